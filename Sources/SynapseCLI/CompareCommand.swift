import ArgumentParser
import Foundation
import SynapseDashboard
import SynapsePlugins
import SynapseTerminal

/// `synapse-tui compare`: several runs side by side, live while any of them runs.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare runs side by side: a chart of one metric with a line per run, every metric's last and best, the params that differ.",
        discussion: """
            Runs are named by the params that tell them apart (lr=0.01), else by their short job id. Running \
            runs are followed live. Keys: Up/Down pick the charted metric, Left/Right show other runs' columns \
            when not all fit, x switches the x axis (the runs' counter or time since each run's start), q quits. \
            --print writes the screen as text instead, like `show`.
            """
    )

    @Argument(help: "Job ids or unique prefixes of them (at most 8 runs in all).")
    var jobs: [String] = []

    @Option(name: .long, help: "An event-log file to compare (repeatable).")
    var file: [String] = []

    @Flag(name: .long, help: "Print the comparison as plain text (no curses) and exit.")
    var print = false

    @Option(name: .long, help: "The printed screen's size, WxH (default: the terminal's, or 120x40 when not a terminal).")
    var size: String?

    @Option(name: .long, help: "The metric to chart first: step/name (training/loss) or a name (loss).")
    var metric: String?

    @Flag(name: .long, help: "With --print: colour the text with ANSI escapes (the theme's colours).")
    var color = false

    @OptionGroup var dashboard: DashboardOptions

    func validate() throws {
        try CompareDashboard.validateCount(jobs.count + file.count)
        if let size, Size(parsing: size) == nil { throw ValidationError("--size must look like 120x40, not '\(size)'.") }
        if size != nil, !print { throw ValidationError("--size goes with --print.") }
    }

    func run() async throws {
        let sources = try CompareDashboard.sources(jobs: jobs, files: file)
        let settings = try DashboardSettings(dashboard, debug: false)
        if print {
            let size = size.flatMap(Size.init(parsing:)) ?? ShowCommand.defaultSize
            Swift.print(try CompareDashboard.printed(sources, size: size, settings: settings, metric: metric, color: color),
                        terminator: "")
            return
        }
        let exit = try await CompareDashboard.run(sources, settings: settings, metric: metric)
        if case .signal(let number) = exit { throw ExitCode(128 + number) }
    }
}

/// The comparison view's entry points: for `compare`, and for any screen that opens it on runs a user
/// picked (the jobs browser's marked runs).
enum CompareDashboard {
    /// A clear error for no runs or too many.
    static func validateCount(_ n: Int) throws {
        if n == 0 { throw ValidationError("Give the runs to compare: job ids (or unique prefixes) and/or --file PATH.") }
        if n > RunComparison.maxRuns {
            throw ValidationError("compare shows at most \(RunComparison.maxRuns) runs; \(n) were given.")
        }
    }

    /// The logs of `jobs` (ids or unique prefixes of `SYNAPSE_HOME`'s jobs) then `files`; an unknown or
    /// ambiguous id, a missing or unreadable file, a run given twice or more than 8 runs is an error that
    /// says which.
    static func sources(jobs: [String], files: [String]) throws -> [EventLogSource] {
        try validateCount(jobs.count + files.count)
        let sources = try EventLogReading.sources(jobs: jobs, files: files, consoles: [])
        var seen: Set<String> = []
        for source in sources {
            try checkLogFile(source.path, mustExist: true)
            let key = URL(fileURLWithPath: source.path).standardizedFileURL.path
            guard seen.insert(key).inserted else { throw ValidationError("\(source.label) is given twice.") }
        }
        return sources
    }

    /// The comparison as `compare --print` writes it: each log read whole, the screen as text (ANSI colours
    /// with `color`), without trailing blank rows.
    static func printed(_ sources: [EventLogSource], size: Size, settings: DashboardSettings, metric: String?,
                        color: Bool) throws -> String {
        var comparison = RunComparison(sources: sources.map(\.label))
        for (k, source) in sources.enumerated() {
            var batch: [Event] = []
            try EventLogReading.forEach(source, event: { event in
                batch.append(event)
                if batch.count == 4096 {
                    comparison.apply(batch[...], run: k)
                    batch.removeAll(keepingCapacity: true)
                }
                return true
            }, unreadable: { comparison.apply(.unreadable($0), run: k) })
            comparison.apply(batch[...], run: k)
            let probe = LivenessProbe(eventLog: source.path)
            if comparison.runs[k].state.run.status?.isFinal != true { comparison.runs[k].lostSince = probe.liveness().lostSince }
            comparison.runs[k].host = probe.host
        }
        var options = RenderOptions(ascii: settings.ascii, utcOffset: DashboardSettings.localUTCOffset)
        options.interactive = false
        let summary = comparison.summary(now: nil)
        var ui = CompareUI()
        if let metric, !ui.select(metric: metric, in: summary) {
            throw ValidationError("No run has a metric '\(metric)'. They have: \(summary.metrics.map(\.id.description).joined(separator: ", ")).")
        }
        let canvas = CompareView.render(comparison, summary: summary, ui: ui, size: size, options: options)
        if color && settings.maxColors != .none {
            return PlainTextRenderer.trimmingTrailingBlankLines(PlainTextRenderer.ansi(canvas, theme: settings.theme))
        }
        return PlainTextRenderer.trimmingTrailingBlankLines(PlainTextRenderer.text(canvas))
    }

    /// Opens the live comparison of `jobs` (ids or unique prefixes) and `files` in a terminal of its own and
    /// returns when the user leaves it (`q`) or a signal arrives; the terminal is given back first.
    static func run(jobs: [String], files: [String] = [], settings: DashboardSettings) async throws -> LoopExit {
        try await run(try sources(jobs: jobs, files: files), settings: settings, metric: nil)
    }

    /// ``run(jobs:files:settings:)`` for resolved sources, charting `metric` first when given.
    static func run(_ sources: [EventLogSource], settings: DashboardSettings, metric: String?) async throws -> LoopExit {
        let signals = try SignalPipe()
        defer { signals.uninstall() }
        let maxColors = settings.maxColors
        return try await withCheckedThrowingContinuation { continuation in
            // Its own thread, as the dashboard's: the loop blocks in poll() and curses wants one thread.
            let thread = Thread {
                continuation.resume(with: Result {
                    let terminal = try Terminal(options: Terminal.Options(maxColors: maxColors))
                    defer { terminal.restore() }
                    return try run(on: terminal, signals: signals, sources: sources, settings: settings, metric: metric)
                })
            }
            thread.name = "synapse.ui"
            thread.start()
        }
    }

    /// Runs the live comparison on a terminal already started, on the calling thread (the UI thread that
    /// owns `terminal`), until `q` or a signal: for a screen that opens it from its own loop (the jobs
    /// browser) and takes the terminal back afterwards. Each log is tailed into its own queue.
    static func run(on terminal: Terminal, signals: SignalPipe?, sources: [EventLogSource], settings: DashboardSettings,
                    metric: String? = nil) throws -> LoopExit {
        var queues: [EventQueue] = []
        var running: [any EventSource] = []
        defer { running.forEach { $0.stop() } }
        for source in sources {
            let queue = try EventQueue()
            let eventSource = try source.makeSource()
            eventSource.start(into: queue)
            running.append(eventSource)
            queues.append(queue)
        }
        var screen = CompareScreen(sources: sources, settings: settings, metric: metric)
        let loop = LiveLoop(terminal: terminal, queues: queues, signals: signals)
        return loop.run(&screen)
    }
}

/// The comparison as the live loop sees it: the runs (each fed by its own queue), the view's UI state and
/// the theme, with the pure ``CompareView`` behind it.
struct CompareScreen: LiveScreen {
    var comparison: RunComparison
    var ui = CompareUI()
    var theme: Theme
    var options: RenderOptions
    let themeGeneration = 0
    /// Each run's `writer.json` reader: a run whose writer died shows `lost`.
    private let liveness: [LivenessProbe?]
    /// The metric to chart once a run has logged it (`--metric`), until the user picks another.
    private var wantedMetric: String?

    init(sources: [EventLogSource], settings: DashboardSettings, metric: String?) {
        comparison = RunComparison(sources: sources.map(\.label))
        theme = settings.theme
        options = RenderOptions(ascii: settings.ascii, utcOffset: DashboardSettings.localUTCOffset)
        liveness = sources.map { $0.format == .eventLog ? LivenessProbe(eventLog: $0.path) : nil }
        wantedMetric = metric
    }

    mutating func apply(_ events: ArraySlice<Event>) { apply(events, source: 0) }
    mutating func apply(_ notice: SourceNotice) { apply(notice, source: 0) }

    mutating func apply(_ events: ArraySlice<Event>, source: Int) {
        comparison.apply(events, run: source)
    }

    mutating func apply(_ notice: SourceNotice, source: Int) {
        switch notice {
        case .lines, .unreadable, .restarted: comparison.apply(notice, run: source)
        default: break
        }
    }

    mutating func handle(_ key: Key, width: Int, height: Int) -> [LoopCommand] {
        let summary = comparison.summary()
        if let wanted = wantedMetric { _ = ui.select(metric: wanted, in: summary) }
        if key != .resize { wantedMetric = nil }
        return ui.handle(key, metrics: summary.metrics.count, runs: summary.runs.count) ? [.quit] : []
    }

    func render(width: Int, height: Int) -> Canvas {
        var comparison = comparison
        let now = Event.now()
        for (k, probe) in liveness.enumerated() {
            guard let probe else { continue }
            if comparison.runs[k].state.run.status?.isFinal != true { comparison.runs[k].lostSince = probe.liveness(now: now).lostSince }
            comparison.runs[k].host = probe.host
        }
        var options = options
        options.now = now
        let summary = comparison.summary(now: now)
        var ui = ui
        if let wanted = wantedMetric { _ = ui.select(metric: wanted, in: summary) }
        return CompareView.render(comparison, summary: summary, ui: ui, size: Size(width: width, height: height), options: options)
    }

    func terminalStyle(for style: Style, mode: ColorMode) -> TerminalStyle {
        theme.terminalStyle(for: style, mode: mode)
    }

    var wantsClockTick: Bool { comparison.isLive }
}
