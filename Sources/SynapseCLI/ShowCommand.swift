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

    @OptionGroup var dashboard: DashboardOptions

    @OptionGroup var ray: RayOptions

    func validate() throws {
        try validateLogSource(job: job, file: file, console: console, ray: ray)
        if let size, Size(parsing: size) == nil { throw ValidationError("--size must look like 120x40, not '\(size)'.") }
    }

    func run() async throws {
        if ray.isSet {
            let size = self.size.flatMap(Size.init(parsing:)) ?? Self.defaultSize
            return try await RayCLI.show(ray, job: job!, size: size, color: color,
                                         settings: try DashboardSettings(dashboard, debug: debug))
        }
        let source = try EventLogSource.resolve(job: job, file: file, console: console)
        guard (source.format == .console && source.path == "-") || FileManager.default.fileExists(atPath: source.path) else {
            throw ValidationError("No event log at \(source.path).")
        }
        if !(source.format == .console && source.path == "-") { try checkLogFile(source.path, mustExist: true) }
        let settings = try DashboardSettings(dashboard, debug: debug)
        var screen = DashboardScreen(settings: settings, isInProcess: false, sourceLabel: source.label)
        var problems = 0
        switch source.format {
        case .eventLog:
            // The log's lines are read on one thread per core (in order) while this thread reduces them.
            let queue = try EventQueue()
            let tailer = try EventLogTailer(path: source.path, queue: queue, follow: false)
            tailer.start()
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
        let size = self.size.flatMap(Size.init(parsing:)) ?? Self.defaultSize
        var options = screen.options
        options.now = nil
        var host: String?
        if source.format == .eventLog {
            let folder = URL(fileURLWithPath: source.path).deletingLastPathComponent()
            host = JobHeartbeat.read(directory: folder)?.host
            if screen.state.run.status?.isFinal != true {
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
        let canvas = DashboardRenderer.render(screen.state, ui: screen.ui, size: size, options: options)
        if color && settings.maxColors != .none {
            print(PlainTextRenderer.ansi(canvas, theme: screen.theme), terminator: "")
        } else {
            print(PlainTextRenderer.text(canvas), terminator: "")
        }
        if problems > 0 { throw ExitCode.failure }
    }

    static var defaultSize: Size {
        var w = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0, w.ws_row > 0 {
            return Size(width: Int(w.ws_col), height: Int(w.ws_row))
        }
        return Size(width: 120, height: 40)
    }
}
