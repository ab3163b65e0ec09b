import SynapsePlugins

/// One action of a pipeline, as its `action_status` records describe it.
package struct PipelineAction: Sendable, Hashable {
    /// 0-based position in the pipeline.
    package var index: Int
    /// The action's name.
    package var name: String
    /// Its latest status.
    package var status: ActionStatus
    /// The error it failed with, if any.
    package var error: RunError?
    /// When it started running (timestamp of its first `running` record).
    package var startedAt: Double?
    /// When it reached a final status.
    package var endedAt: Double?

    /// Creates an action entry.
    package init(index: Int, name: String, status: ActionStatus) {
        self.index = index
        self.name = name
        self.status = status
    }
}
