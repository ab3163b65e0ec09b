import Foundation

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
    private let reason: CancellationReason
    /// The job's event log, when the run writes one (``ActionRunner/startJob(_:in:alsoLoggingTo:systemInterval:)``).
    public let jobLog: JSONLinesLogger?

    init(jobID: String, task: Task<RunOutcome, Never>, reason: CancellationReason, jobLog: JSONLinesLogger? = nil) {
        self.jobID = jobID
        self.task = task
        self.reason = reason
        self.jobLog = jobLog
    }

    /// Cancels the run: the action's task is cancelled and the run ends `cancelled` (unless it already
    /// ended). Safe to call more than once and from any thread.
    ///
    /// - Parameter reason: why, as a user reads it ("cancelled by user (q)", "cancelled by SIGTERM"); it
    ///   becomes the message of the run's final error. The first reason given wins.
    public func cancel(reason: String? = nil) {
        if let reason { self.reason.set(reason) }
        task.cancel()
    }

    /// Waits for the run to end.
    public var outcome: RunOutcome {
        get async { await task.value }
    }
}

/// Why a run was cancelled, set by whoever cancels it and read by the runner when it records `cancelled`.
package final class CancellationReason: @unchecked Sendable {
    private let lock = NSLock()
    private var text: String?  // guarded by lock

    package init() {}

    /// Keeps the first reason: a later cancel (the dashboard closing after `c`) does not rewrite why.
    package func set(_ reason: String) {
        lock.withLock { if text == nil { text = reason } }
    }

    package var reason: String? { lock.withLock { text } }

    /// The run's final error: "Cancelled: cancelled by user (q)", or "run cancelled" when nobody said why.
    package var error: RunError { RunError(type: "Cancelled", message: reason ?? "run cancelled") }
}
