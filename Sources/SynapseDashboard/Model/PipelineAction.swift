import SynapsePlugins

/// One action of a pipeline, as its `action_status` records describe it.
public struct PipelineAction: Sendable, Hashable {
    /// 0-based position in the pipeline.
    public var index: Int
    /// The action's name.
    public var name: String
    /// Its latest status.
    public var status: ActionStatus
    /// The error it failed with, if any.
    public var error: RunError?
    /// When it started running (timestamp of its first `running` record).
    public var startedAt: Double?
    /// When it reached a final status.
    public var endedAt: Double?

    /// Creates an action entry.
    public init(index: Int, name: String, status: ActionStatus) {
        self.index = index
        self.name = name
        self.status = status
    }
}
