import ArgumentParser
import Foundation
import SynapseDashboard
import SynapsePlugins
import SynapseTerminal

/// The jobs browser as the live loop sees it: the pure ``JobBrowser`` model and renderer, refreshed from a
/// ``JobLister`` once a second. Enter and `C` leave the loop with what to open (``choice``); the caller
/// opens it and comes back.
struct BrowserScreen: LiveScreen, Sendable {
    /// What the user chose to open when the loop ended; `nil` when they quit.
    enum Choice: Sendable, Hashable {
        case attach(String)
        case compare([String])
    }

    var browser: JobBrowser
    let lister: any JobLister
    let theme: Theme
    var ascii: Bool
    var utcOffset = DashboardSettings.localUTCOffset
    /// Where the key metrics are remembered (`nil`: not remembered, a Ray cluster's browser has no home of its own).
    let store: JobStore?
    private(set) var choice: Choice?
    let themeGeneration = 0

    init(lister: any JobLister, settings: DashboardSettings, store: JobStore?, browser: JobBrowser? = nil) {
        self.lister = lister
        theme = settings.theme
        ascii = settings.ascii
        self.store = store
        var model = browser ?? JobBrowser(sourceLabel: lister.label, canDelete: lister.canDelete)
        if let store { model.keyMetrics = BrowserPreferences.keyMetrics(store) }
        self.browser = model
        _ = tick()
    }

    mutating func tick() -> Bool {
        let (rows, skipped) = lister.refresh(now: Event.now())
        browser.skipped = skipped
        browser.update(rows)
        return true
    }

    mutating func apply(_ events: ArraySlice<Event>) {}
    mutating func apply(_ notice: SourceNotice) {}

    mutating func handle(_ key: Key, width: Int, height: Int) -> [LoopCommand] {
        if key == .resize { return [] }
        for command in browser.handle(key, pageRows: max(1, height - 3)) {
            switch command {
            case .quit:
                choice = nil
                return [.quit]
            case .attach(let id):
                choice = .attach(id)
                return [.quit]
            case .compare(let ids):
                choice = .compare(ids)
                return [.quit]
            case .cancel(let id):
                browser.notice = lister.cancel(id)
            case .delete(let id):
                browser.notice = lister.delete(id)
                _ = tick()
            case .keyMetric:
                if let store { BrowserPreferences.save(browser.keyMetrics, store) }
            }
        }
        return []
    }

    func render(width: Int, height: Int) -> Canvas {
        JobBrowserRenderer.render(browser, size: Size(width: width, height: height),
                                  options: .init(ascii: ascii, utcOffset: utcOffset, now: Event.now()))
    }

    func terminalStyle(for style: Style, mode: ColorMode) -> TerminalStyle {
        theme.terminalStyle(for: style, mode: mode)
    }

    /// Always: the list refreshes itself once a second.
    var wantsClockTick: Bool { true }
}

/// `synapse-tui` (no arguments) and `attach` (no id): the jobs browser on a terminal, `jobs` and the help hint
/// off one.
enum JobsBrowser {
    /// Runs the browser until the user quits; Enter opens the dashboard on a job and `C` the comparison view,
    /// and the list comes back when they close.
    static func run(lister: any JobLister, settings: DashboardSettings, store: JobStore?,
                    attach: @escaping (String) async throws -> Void) async throws {
        var model: JobBrowser?
        while true {
            let screen = BrowserScreen(lister: lister, settings: settings, store: store, browser: model)
            let (exit, final) = try await LiveDashboard.runScreen(screen, queue: try EventQueue(), maxColors: settings.maxColors)
            if case .signal(let number) = exit { throw ExitCode(128 + number) }
            guard exit == .quit, let choice = final.choice else { return }
            model = final.browser
            switch choice {
            case .attach(let id):
                try await attach(id)
            case .compare(let ids):
                try await compare(ids, settings: settings, store: store)
            }
        }
    }

    /// The browser over this machine's jobs, or over a Ray cluster's with `--ray`.
    static func open(ray: RayOptions, settings: DashboardSettings) async throws {
        if ray.isSet {
            let client = try ray.client()
            let lister = RayJobLister(client: client)
            lister.start()
            defer { lister.stop() }
            // The first list, so the browser does not open empty on a cluster that answers.
            for _ in 0..<50 where lister.refresh(now: 0).rows.isEmpty && lister.lastProblem == nil {
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            return try await run(lister: lister, settings: settings, store: nil) { id in
                _ = try await RayCLI.liveDashboard(client: client, submissionID: id, settings: settings)
            }
        }
        let store = JobStore.fromEnvironment()
        let lister = LocalJobLister(store: store)
        lister.start()
        defer { lister.stop() }
        try await run(lister: lister, settings: settings, store: store) { id in
            let source = EventLogSource(path: try store.eventLog(of: id).path, format: .eventLog, label: id)
            try await AttachCommand.follow(source, settings: settings)
        }
    }

    /// Opens the comparison view on `ids` (this machine's jobs); `q` there comes back to the list.
    static func compare(_ ids: [String], settings: DashboardSettings, store: JobStore?) async throws {
        guard store != nil else {
            // Ray's jobs have no local log to tail side by side: say so rather than open an empty view.
            Console.error("compare works on this machine's jobs, not on a Ray cluster's")
            return
        }
        let exit = try await CompareDashboard.run(jobs: ids, settings: settings)
        if case .signal(let number) = exit { throw ExitCode(128 + number) }
    }

    /// Off a terminal: what `jobs` prints, then how to get help.
    static func printJobs() {
        let store = JobStore.fromEnvironment()
        let listing = JobOverview.listing(store)
        if listing.jobs.isEmpty {
            Console.out("No jobs in \(store.jobsDirectory.path)")
        } else {
            for line in JobsTable.narrowLines(listing.jobs, width: JobsTable.terminalWidth) { Console.out(line) }
        }
        Console.out("")
        Console.out("Run 'synapse-tui --help' for the commands (on a terminal, 'synapse-tui' opens the jobs browser).")
    }

    /// `true` when both standard input and output are terminals.
    static var onTerminal: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }
}
