/// What the key handler needs to know about the world around the dashboard.
public struct KeyContext: Sendable, Hashable {
    /// The run executes in this process and has not finished: `q` asks whether to cancel it.
    public var isLiveInProcess: Bool
    /// The app can cancel the run (`c`). False when attached to someone else's job.
    public var canCancel: Bool
    /// The screen size, so paging moves by a pane's height.
    public var screen: Size
    /// Draw ASCII only (affects layout as rendered).
    public var ascii: Bool
    /// The whole run's start and end (the live state's, not the moment shown), which the time cursor's
    /// steps are shares of; `nil`: no time travel here.
    public var runSpan: ClosedRange<Double>?

    /// Creates a context.
    public init(isLiveInProcess: Bool = false, canCancel: Bool = false, screen: Size = Size(width: 80, height: 24),
                ascii: Bool = false, runSpan: ClosedRange<Double>? = nil) {
        self.isLiveInProcess = isLiveInProcess
        self.canCancel = canCancel
        self.screen = screen
        self.ascii = ascii
        self.runSpan = runSpan
    }
}
