import ArgumentParser
import Foundation
import SynapseDashboard
import SynapsePlugins
import SynapseTerminal

/// `synapse-tui show`: print a job's summary (``RunSummary``: what happened first) and its final dashboard as
/// text, and exit (CI logs, scripts, bug reports).
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a job's summary and its dashboard as plain text (no curses) and exit."
    )

    @Argument(help: "A job id or a unique prefix of one.")
    var job: String?

    @Option(name: .long, help: "Read this event-log file instead of a job of SYNAPSE_HOME.")
    var file: String?

    @Option(name: .long, help: "Read the captured console output of an unmodified synapse-sdk run (- for stdin).")
    var console: String?

    @Option(name: .long, help: "The screen size, WxH (default: the terminal's, or 120x40 when not a terminal).")
    var size: String?

    @Flag(name: .long, help: "Colour the text with ANSI escapes (the theme's colours).")
    var color = false

    @Flag(name: .long, help: "Show the dev-event pane from the start (also SYNAPSE_DEBUG=1).")
    var debug = false

    @Flag(name: .long, help: "Print only the screen, without the run's summary above it.")
    var noSummary = false

    @Option(name: .long, help: ArgumentHelp(
        "Show the run as it was at a moment: 50% (of its duration), +5m30s (since its start), 12:03:41 or an ISO time (wall clock), epoch=5 (when a counter first reached a value).",
        valueName: "moment"))
    var at: String?

    @OptionGroup var dashboard: DashboardOptions

    @OptionGroup var ray: RayOptions

    func validate() throws {
        try validateLogSource(job: job, file: file, console: console, ray: ray)
        if let at {
            do { _ = try RunInstant(parsing: at) } catch { throw ValidationError(error.description) }
            if ray.isSet { throw ValidationError("--at reads a log; a Ray job is shown as Ray reports it now.") }
            if console == "-" { throw ValidationError("--at reads the log twice: give a file, not standard input.") }
        }
        if let size, Size(parsing: size) == nil { throw ValidationError("--size must look like 120x40, not '\(size)'.") }
    }

    func run() async throws {
        if ray.isSet {
            let size = self.size.flatMap(Size.init(parsing:)) ?? Self.defaultSize
            return try await RayCLI.show(ray, job: job!, size: size, color: color,
                                         settings: try DashboardSettings(dashboard, debug: debug), summary: !noSummary)
        }
        let source = try EventLogSource.resolve(job: job, file: file, console: console)
        guard (source.format == .console && source.path == "-") || FileManager.default.fileExists(atPath: source.path) else {
            throw ValidationError("No event log at \(source.path).")
        }
        if !(source.format == .console && source.path == "-") { try checkLogFile(source.path, mustExist: true) }
        let settings = try DashboardSettings(dashboard, debug: debug)
        var screen = DashboardScreen(settings: settings, isInProcess: false, sourceLabel: source.label, interactive: false)
        // Messages cut in memory are read back whole from the log (the detail view).
        if source.format == .eventLog { screen.ui.logPath = source.path }
        var problems = 0
        var cursor: (time: Double, label: String)?
        if let at {
            cursor = try Self.reduce(source, at: at, into: &screen)
        } else {
        switch source.format {
        case .eventLog:
            // The log's lines are read on one thread more than the cores (in order) while this thread
            // reduces them.
            let queue = try EventQueue()
            let tailer = try EventLogTailer(path: source.path, follow: false)
            tailer.start(into: queue)
            defer { tailer.stop() }
            queue.consumeUntilFinished(events: { screen.apply($0) }, notice: { notice in
                // What stopped the reading early (a stream with no line breaks, a read error) is said
                // where a script sees it, and in the exit status.
                if case .problem(let text) = notice {
                    Console.error(text)
                    problems += 1
                }
                screen.apply(notice)
            })
        case .console:
            screen.apply(try ConsoleFileTailer.events(ofFile: source.path)[...])
        }
        }
        let size = self.size.flatMap(Size.init(parsing:)) ?? Self.defaultSize
        var options = screen.options
        options.now = nil
        options.interactive = false
        var host: String?
        if source.format == .eventLog {
            let folder = URL(fileURLWithPath: source.path).deletingLastPathComponent()
            host = JobHeartbeat.read(directory: folder)?.host
            // A moment of the past is shown as it was then: no writer had gone yet.
            if screen.state.run.status?.isFinal != true, cursor == nil {
                options.writerLostSince = LivenessProbe(directory: folder).liveness().lostSince
            }
        }
        if !noSummary {
            // What happened comes first, whole (the error with its line breaks), as a user pastes it.
            var summary = RunSummary(state: screen.state, lostSince: options.writerLostSince, host: host)
            // A job's folder is named by its id, for a log that never said it (a foreign or early writer).
            if summary.jobID == nil, job != nil { summary.jobID = source.label }
            print(summary.lines(utcOffset: options.utcOffset, ascii: options.ascii).joined(separator: "\n") + "\n")
        }
        if let cursor {
            options.now = cursor.time
            options.timeCursor = cursor.label
        }
        let canvas = DashboardRenderer.render(screen.state, ui: screen.ui, size: size, options: options)
        // No key hints and no trailing blank rows: a printed screen is read in a log, not used.
        if color && settings.maxColors != .none {
            print(PlainTextRenderer.trimmingTrailingBlankLines(PlainTextRenderer.ansi(canvas, theme: screen.theme)), terminator: "")
        } else {
            print(PlainTextRenderer.trimmingTrailingBlankLines(PlainTextRenderer.text(canvas)), terminator: "")
        }
        if problems > 0 { throw ExitCode.failure }
    }

    /// Reduces the events of `source` up to the moment `at` names into `screen` (a prefix of the log: the
    /// pure reducer gives the state as it was then) and returns the moment and the header's words for it.
    static func reduce(_ source: EventLogSource, at: String, into screen: inout DashboardScreen) throws
        -> (time: Double, label: String) {
        let utcOffset = screen.options.utcOffset
        let instant = try RunInstant(parsing: at, utcOffset: utcOffset)
        // The run's start and end, for the forms measured from them (a first, light pass).
        var whole = DashboardState(capacities: .init(messages: 1, devEvents: 1, customEvents: 1, output: 1))
        try EventLogReading.forEach(source, event: { whole.apply($0); return true })
        let start = whole.run.startedAt ?? whole.firstTimestamp ?? 0
        let end = start + (whole.elapsed() ?? 0)
        let cutoff = instant.time(start: start, end: end, utcOffset: utcOffset)
        var batch: [Event] = []
        batch.reserveCapacity(4096)
        var reached = false
        var last = start
        try EventLogReading.forEach(source, event: { event in
            if let cutoff, event.timestamp > cutoff { return false }
            batch.append(event)
            if event.timestamp > 0 { last = event.timestamp }
            if batch.count == 4096 {
                screen.apply(batch[...])
                batch.removeAll(keepingCapacity: true)
            }
            if instant.reached(by: event) {
                reached = true
                return false
            }
            return true
        }, unreadable: { screen.apply(.unreadable($0)) })
        screen.apply(batch[...])
        if case .counter(let name, let value) = instant, !reached {
            throw LogSourceError(description: "\(ExportText.clean(name, keepNewlines: false)) never reached \(NumberFormat.number(value)) in this run.")
        }
        let time = cutoff ?? last
        return (time, TimeTravel.label(time: time, start: start, end: end, utcOffset: utcOffset))
    }

    static var defaultSize: Size {
        var w = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0, w.ws_row > 0 {
            return Size(width: Int(w.ws_col), height: Int(w.ws_row))
        }
        return Size(width: 120, height: 40)
    }
}
