/// A run started in its own task: its job id, a way to cancel it, and its outcome.
///
/// ```swift
/// let handle = runner.start(RunRequest(action: "train"), logger: logger)
/// // ... later, from a key press:
/// handle.cancel()
/// let outcome = await handle.outcome   // .cancelled, with `end` and the final status recorded
/// ```
public final class RunHandle: Sendable {
    /// The run's job id, known before the run starts.
    public let jobID: String
    private let task: Task<RunOutcome, Never>
    /// The job's event log, when the run writes one (``ActionRunner/startJob(_:in:alsoLoggingTo:systemInterval:)``).
    public let jobLog: JSONLinesLogger?

    init(jobID: String, task: Task<RunOutcome, Never>, jobLog: JSONLinesLogger? = nil) {
        self.jobID = jobID
        self.task = task
        self.jobLog = jobLog
    }

    /// Cancels the run: the action's task is cancelled and the run ends `cancelled` (unless it already
    /// ended). Safe to call more than once and from any thread.
    public func cancel() {
        task.cancel()
    }

    /// Waits for the run to end.
    public var outcome: RunOutcome {
        get async { await task.value }
    }
}
