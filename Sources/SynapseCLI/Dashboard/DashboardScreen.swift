import Foundation
import SynapseDashboard
import SynapsePlugins
import SynapseTerminal

/// The dashboard as the live loop sees it: the run's state, the UI state and the theme, with the
/// dashboard's pure reducer, key handler and renderer behind ``LiveScreen``.
struct DashboardScreen: LiveScreen, Sendable {
    var state: DashboardState
    var ui: UIState
    var theme: Theme
    var options: RenderOptions
    /// The run executes in this process: `q` asks first, `c` cancels.
    var isInProcess: Bool
    /// `c` (after its confirmation) cancels the run: an in-process run, or a Ray job (asks Ray to stop it).
    var canCancel: Bool
    private(set) var themeGeneration = 0
    /// What the source is doing, for the status line ("waiting for events.jsonl", "log truncated, reading
    /// again"), and until when (wall clock) to show it; `nil` for as long as the source says nothing new.
    private(set) var sourceStatus: (text: String, until: Double?)?
    /// Why the job log of the run in this process cannot be written, while that lasts (the header says so).
    private(set) var logWriteFailure: String?
    private let themes: ThemeChoice
    /// A status line note the source computes when drawn (a child's cancel counting down to SIGKILL).
    var stopStatus: (@Sendable () -> String?)?
    /// Reads the job's `writer.json` (attach): a run whose writer died shows `lost`, not `running`.
    var liveness: LivenessProbe?
    /// The run as the time cursor shows it: through the events as they arrive until ``timeTravel(log:)``
    /// names the run's log.
    private(set) var travel = TimeTravel()
    /// `false` for a screen printed once (`show`): it has no time cursor, so nothing is recorded for one
    /// (a million events would otherwise be held as a timeline: 4x the memory, twice the time).
    private let travels: Bool

    /// The time cursor reads the run's log at `path` (`attach`, `run`) and holds only checkpoints, rather
    /// than recording the events as they arrive (a Ray job, a console capture).
    /// A pipe or a device cannot be read twice: its events are recorded instead. (A log not written yet is
    /// read once it is.)
    mutating func timeTravel(log path: String) {
        var info = stat()
        guard travels else { return }
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG { return }
        travel = TimeTravel(log: path, capacities: state.capacities)
    }

    init(settings: DashboardSettings, isInProcess: Bool, sourceLabel: String?, interactive: Bool = true) {
        travels = interactive
        state = DashboardState()
        ui = UIState(showDev: settings.showDev, themeName: settings.theme.name)
        theme = settings.theme
        themes = settings.themeChoice
        options = RenderOptions(ascii: settings.ascii, utcOffset: DashboardSettings.localUTCOffset,
                                isLiveInProcess: isInProcess, sourceLabel: sourceLabel)
        self.isInProcess = isInProcess
        self.canCancel = isInProcess
        if isInProcess { options.host = JobHeartbeat.localHost }
    }

    mutating func apply(_ events: ArraySlice<Event>) {
        state.apply(events)
        if travels { travel.record(events) }
    }

    mutating func apply(_ notice: SourceNotice) {
        switch notice {
        case .waiting(let path):
            sourceStatus = ("waiting for \((path as NSString).lastPathComponent)", nil)
        case .restarted(let reason):
            // The log was truncated or replaced: what it said before no longer holds.
            state.apply(notice)
            if travels { travel.record(notice) }
            ui.timeCursor = nil
            let what = reason.hasSuffix("replaced") ? "log replaced" : "log truncated"
            sourceStatus = ("\(what), reading again", Event.now() + Self.noticeSeconds)
        case .unreadable, .lines:
            state.apply(notice)
            if travels { travel.record(notice) }
        case .following, .finished:
            sourceStatus = nil
        case .problem(let text):
            sourceStatus = (text, nil)
        case .logWriteFailed(let reason?):
            logWriteFailure = reason
            sourceStatus = (reason, nil)
        case .logWriteFailed(nil):
            // The recovery message (and any log_gap) is in the Events pane; the status line says it briefly.
            logWriteFailure = nil
            sourceStatus = ("the job log takes writes again", Event.now() + Self.noticeSeconds)
        }
    }

    /// How long a passing source status (a restart) stays on the status line.
    static let noticeSeconds = 5.0

    mutating func handle(_ key: Key, width: Int, height: Int) -> [LoopCommand] {
        let context = KeyContext(isLiveInProcess: isInProcess && state.run.status?.isFinal != true,
                                 canCancel: canCancel && state.run.status?.isFinal != true, screen: Size(width: width, height: height),
                                 ascii: options.ascii, runSpan: TimeTravel.span(of: state))
        var commands: [LoopCommand] = []
        // Keys scroll and search what is shown: the past while the time cursor is set.
        let uiCommands = ui.handle(key, state: travel.past ?? state, context: context)
        travel.update(cursor: ui.timeCursor)
        // A confirmed q ([cancelRun, quit]) only quits: the caller cancels the run once the dashboard is
        // gone, and so can record "cancelled by user (q)" rather than the (c) that onCancel means.
        let quitting = uiCommands.contains(.quit)
        for command in uiCommands {
            switch command {
            case .quit: commands.append(.quit)
            case .cancelRun: if !quitting { commands.append(.cancelRun) }
            case .copy(let text): commands.append(.copy(text))
            case .themeChanged(let name):
                theme = themes.theme(named: name)
                themeGeneration += 1
            }
        }
        return commands
    }

    func render(width: Int, height: Int) -> Canvas {
        var options = options
        let now = Event.now()
        // A run still going shows elapsed time on the wall clock; a finished one its recorded span.
        options.now = isRunning ? now : nil
        if isRunning || state.run.status == nil, let lost = liveness?.liveness(now: now).lostSince {
            options.writerLostSince = lost
        }
        if let host = liveness?.host { options.host = host }
        if let status = sourceStatus, status.until.map({ now < $0 }) ?? true { options.sourceStatus = status.text }
        if let stop = stopStatus?() { options.sourceStatus = stop }
        options.logWriteFailing = logWriteFailure != nil
        let shown = travel.shown(state, options: &options)
        return DashboardRenderer.render(shown, ui: ui, size: Size(width: width, height: height), options: options)
    }

    func terminalStyle(for style: Style, mode: ColorMode) -> TerminalStyle {
        theme.terminalStyle(for: style, mode: mode)
    }

    var wantsClockTick: Bool {
        // One more tick after a passing status expires, so the frame without it gets drawn.
        isRunning || stopStatus?() != nil || (sourceStatus?.until.map { Event.now() < $0 + 1 } ?? false)
    }

    private var isRunning: Bool {
        guard let status = state.run.status else { return false }
        return !status.isFinal
    }
}
