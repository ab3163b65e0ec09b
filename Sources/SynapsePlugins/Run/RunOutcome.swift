/// How a run ended.
public struct RunOutcome: Sendable, Hashable {
    /// Why a run did not complete.
    public enum Failure: Sendable, Hashable {
        /// No action of that name is registered.
        case unknownAction
        /// Params failed validation; nothing ran.
        case invalidParams
        /// An action threw.
        case actionError
        /// The run was cancelled (task cancellation, SIGINT/SIGTERM).
        case cancelled
    }

    /// The run's job id.
    public var jobID: String
    /// `completed`, `failed` or `cancelled`.
    public var status: RunStatus
    /// What the action returned (an array of results for a pipeline), on `completed`.
    public var result: JSONValue?
    /// The error, on `failed` / `cancelled`.
    public var error: RunError?
    /// Why the run did not complete; `nil` when it did.
    public var failure: Failure?

    /// Describes an ended run.
    public init(jobID: String, status: RunStatus, result: JSONValue? = nil, error: RunError? = nil,
                failure: Failure? = nil) {
        self.jobID = jobID
        self.status = status
        self.result = result
        self.error = error
        self.failure = failure
    }
}
