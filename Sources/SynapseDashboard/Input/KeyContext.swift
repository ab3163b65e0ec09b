/// What the key handler needs to know about the world around the dashboard.
package struct KeyContext: Sendable, Hashable {
    /// The run executes in this process and has not finished: `q` asks whether to cancel it.
    package var isLiveInProcess: Bool
    /// The app can cancel the run (`c`). False when attached to someone else's job.
    package var canCancel: Bool
    /// The screen size, so paging moves by a pane's height.
    package var screen: Size
    /// Draw ASCII only (affects layout as rendered).
    package var ascii: Bool
    /// The whole run's start and end (the live state's, not the moment shown), which the time cursor's
    /// steps are shares of; `nil`: no time travel here.
    package var runSpan: ClosedRange<Double>?

    /// Creates a context.
    package init(isLiveInProcess: Bool = false, canCancel: Bool = false, screen: Size = Size(width: 80, height: 24),
                ascii: Bool = false, runSpan: ClosedRange<Double>? = nil) {
        self.isLiveInProcess = isLiveInProcess
        self.canCancel = canCancel
        self.screen = screen
        self.ascii = ascii
        self.runSpan = runSpan
    }
}
