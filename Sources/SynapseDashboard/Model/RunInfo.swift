import SynapsePlugins

/// What the `run_status` records say about the run as a whole.
package struct RunInfo: Sendable, Hashable {
    /// The action's name, once known.
    package var action: String?
    /// The job id, once known.
    package var jobID: String?
    /// The latest status; `nil` before any `run_status` record (the dashboard shows "waiting").
    package var status: RunStatus?
    /// The action's parameters, when logged.
    package var params: JSONValue?
    /// The result, on `completed`.
    package var result: JSONValue?
    /// The error, on `failed` or `cancelled`.
    package var error: RunError?
    /// Timestamp of the first `running` status.
    package var startedAt: Double?
    /// Timestamp of the final status.
    package var endedAt: Double?

    /// Creates an empty run description.
    package init() {}

}
