import SynapseDashboard
import SynapsePlugins

/// What the live loop drives: the dashboard's state, UI state and theme behind one small interface, so the
/// loop (and its tests) know nothing about panes.
///
/// Everything here is called on the UI thread only.
package protocol LiveScreen {
    /// Applies events in order (the reducer).
    mutating func apply(_ events: ArraySlice<Event>)
    /// Applies a notice of the source (waiting, restarted, unreadable line, finished).
    mutating func apply(_ notice: SourceNotice)
    /// Applies events of one of the loop's sources (its queue's index); by default ``apply(_:)``.
    mutating func apply(_ events: ArraySlice<Event>, source: Int)
    /// Applies a notice of one of the loop's sources; by default ``apply(_:)-(SourceNotice)``.
    mutating func apply(_ notice: SourceNotice, source: Int)
    /// Handles one key; returns what the loop must do.
    mutating func handle(_ key: Key, width: Int, height: Int) -> [LoopCommand]
    /// Draws the whole screen (pure).
    func render(width: Int, height: Int) -> Canvas
    /// Resolves a semantic style with the current theme for the terminal's colours.
    func terminalStyle(for style: Style, mode: ColorMode) -> TerminalStyle
    /// Changes whenever the theme changes, so the driver re-resolves styles.
    var themeGeneration: Int { get }
    /// `true` while something on screen moves with the clock (elapsed time of a running job).
    var wantsClockTick: Bool { get }
    /// Called once a second while ``wantsClockTick`` (before drawing): a screen that refreshes itself (the
    /// jobs browser) looks at its source here. Returns `true` when something changed.
    mutating func tick() -> Bool
}

extension LiveScreen {
    /// Nothing to refresh: the dashboard's events arrive through the queue.
    public mutating func tick() -> Bool { false }
}

extension LiveScreen {
    /// One source: its events are the screen's.
    package mutating func apply(_ events: ArraySlice<Event>, source: Int) { apply(events) }
    /// One source: its notices are the screen's.
    package mutating func apply(_ notice: SourceNotice, source: Int) { apply(notice) }
}

/// What a key asks of the loop beyond redrawing.
package enum LoopCommand: Sendable, Hashable {
    /// Leave the dashboard.
    case quit
    /// Cancel the in-process run (it records `cancelled` and the screen shows the final state).
    case cancelRun
    /// Put text on the terminal's clipboard (OSC 52).
    case copy(String)
}

/// Why ``LiveLoop/run(_:)`` returned.
package enum LoopExit: Sendable, Hashable {
    /// The user quit.
    case quit
    /// A signal (SIGINT, SIGTERM, SIGHUP) arrived.
    case signal(Int32)
    /// The terminal went away (input closed).
    case inputClosed
}
