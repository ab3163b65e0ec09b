/// Where a run's events go: the spec's `BaseLogger`.
///
/// Deliberately tiny, like swift-log's `LogHandler`: ``RuntimeContext`` turns every call
/// (`setProgress`, `logMessage`, ...) into an ``Event`` and hands it to its logger. Sinks (the job's
/// event log, the console, the in-process dashboard queue, memory for tests) implement this protocol, and
/// fan-out combines several. Implementations must be safe to call from any thread and must not block the
/// caller on a screen.
public protocol PluginLogger: AnyObject, Sendable {
    /// Records one event.
    ///
    /// `consuming`: a sink that keeps the event takes the caller's copy instead of retaining its contents
    /// again (``FanOutLogger`` hands its last sink the original). A conformance may declare the parameter
    /// plainly (`func record(_ event: Event)`); Swift bridges the two.
    func record(_ event: consuming Event)
    /// Makes everything recorded so far durable or visible (called at the end of a run).
    func flush()
    /// The run's job log cannot be written now (`reason`, a sentence), or takes writes again (`nil`). A
    /// sink in front of the user shows it for as long as it lasts (the dashboard: header and status line);
    /// a danger message is recorded beside it, so a sink may ignore this.
    func jobLogWriteFailed(_ reason: String?)
}

extension PluginLogger {
    /// Writes out whatever is buffered.
    public func flush() {}
    /// Called when the job log cannot be written; does nothing unless a logger shows it.
    public func jobLogWriteFailed(_ reason: String?) {}
}

/// The spec's name for the logger protocol.
public typealias BaseLogger = PluginLogger
