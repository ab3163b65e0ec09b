import SynapsePlugins

/// A part of the dashboard that draws itself into a rectangle of a ``Canvas``.
///
/// Panes are values built from the state for one frame; they draw only what fits in their rectangle and
/// look only at the history they show, so drawing costs in proportion to the screen.
public protocol DashboardPane {
    /// Draws the pane inside `rect` (never outside it).
    func draw(into canvas: inout Canvas, in rect: Rect)
}

/// Everything a pane may read: the run, the UI and the options, for one frame.
public struct PaneContext: Sendable {
    /// The run.
    public var state: DashboardState
    /// Focus, scrolling, toggles.
    public var ui: UIState
    /// Character set, clock, capabilities.
    public var options: RenderOptions

    /// Creates a context.
    public init(state: DashboardState, ui: UIState, options: RenderOptions) {
        self.state = state
        self.ui = ui
        self.options = options
    }

    /// The glyph set in use.
    public var glyphs: Glyphs { options.glyphs }

    /// `HH:MM:SS ` when timestamps are on, else empty.
    func timeColumn(_ t: Double) -> String {
        ui.showTimestamps ? NumberFormat.clock(t, utcOffset: options.utcOffset) + " " : ""
    }
}
