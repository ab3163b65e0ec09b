import SynapsePlugins

/// What the `run_status` records say about the run as a whole.
public struct RunInfo: Sendable, Hashable {
    /// The action's name, once known.
    public var action: String?
    /// The job id, once known.
    public var jobID: String?
    /// The latest status; `nil` before any `run_status` record (the dashboard shows "waiting").
    public var status: RunStatus?
    /// The action's parameters, when logged.
    public var params: JSONValue?
    /// The result, on `completed`.
    public var result: JSONValue?
    /// The error, on `failed` or `cancelled`.
    public var error: RunError?
    /// Timestamp of the first `running` status.
    public var startedAt: Double?
    /// Timestamp of the final status.
    public var endedAt: Double?

    /// Creates an empty run description.
    public init() {}

}
