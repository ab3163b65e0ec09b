import SynapsePlugins

/// A part of the dashboard that draws itself into a rectangle of a ``Canvas``.
///
/// Panes are values built from the state for one frame; they draw only what fits in their rectangle and
/// look only at the history they show, so drawing costs in proportion to the screen.
package protocol DashboardPane {
    /// Draws the pane inside `rect` (never outside it).
    func draw(into canvas: inout Canvas, in rect: Rect)
}

/// Everything a pane may read: the run, the UI and the options, for one frame.
package struct PaneContext: Sendable {
    /// The run.
    package var state: DashboardState
    /// Focus, scrolling, toggles.
    package var ui: UIState
    /// Character set, clock, capabilities.
    package var options: RenderOptions

    /// Creates a context.
    package init(state: DashboardState, ui: UIState, options: RenderOptions) {
        self.state = state
        self.ui = ui
        self.options = options
    }

    /// The glyph set in use.
    package var glyphs: Glyphs { options.glyphs }

    /// `HH:MM:SS ` when timestamps are on, else empty.
    func timeColumn(_ t: Double) -> String {
        ui.showTimestamps ? NumberFormat.clock(t, utcOffset: options.utcOffset) + " " : ""
    }
}
