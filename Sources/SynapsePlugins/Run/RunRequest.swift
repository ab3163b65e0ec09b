import Foundation

/// One action of a run, with the params given for it.
public struct PipelineStep: Sendable, Hashable {
    /// The registered action's name.
    public var action: String
    /// The params as given (defaults are filled in during validation).
    public var params: JSONValue

    /// A request to run the registered action `action` with `params` (a JSON object).
    public init(action: String, params: JSONValue = [:]) {
        self.action = action
        self.params = params
    }
}

/// What to run: one action, or several in order (a pipeline), and with what around it.
public struct RunRequest: Sendable {
    /// The actions to run, in order.
    public var steps: [PipelineStep]
    /// The job id; a new UUID by default.
    public var jobID: String
    /// The checkpoint the run starts from.
    public var checkpoint: Checkpoint?
    /// The environment the actions see as `ctx.env`.
    public var environment: PluginEnvironment
    /// Passed through to actions as `ctx.client`.
    public var client: (any BackendClient)?
    /// Passed through to actions as `ctx.agentClient`.
    public var agentClient: (any AgentClient)?
    /// Whether the run is a pipeline (emits `action_status` records). A request of several steps always is;
    /// set it for a one-step pipeline.
    public var isPipeline: Bool

    /// A run of one action.
    public init(action: String, params: JSONValue = [:], jobID: String = JobID.generate(),
                checkpoint: Checkpoint? = nil, environment: PluginEnvironment = PluginEnvironment(),
                client: (any BackendClient)? = nil, agentClient: (any AgentClient)? = nil) {
        self.init(steps: [PipelineStep(action: action, params: params)], jobID: jobID, checkpoint: checkpoint,
                  environment: environment, client: client, agentClient: agentClient)
        isPipeline = false
    }

    /// A pipeline: the steps run in order; after a failure the rest are skipped.
    public init(steps: [PipelineStep], jobID: String = JobID.generate(), checkpoint: Checkpoint? = nil,
                environment: PluginEnvironment = PluginEnvironment(), client: (any BackendClient)? = nil,
                agentClient: (any AgentClient)? = nil) {
        self.steps = steps
        self.jobID = jobID
        self.checkpoint = checkpoint
        self.environment = environment
        self.client = client
        self.agentClient = agentClient
        self.isPipeline = steps.count != 1
    }

    /// The name recorded as the run's `action`: the action's, or `a>b>c` for a pipeline.
    public var actionLabel: String { steps.map(\.action).joined(separator: ">") }

    /// The params as given: the action's, or `[{"action", "params"}]` for a pipeline.
    var givenParams: JSONValue {
        if !isPipeline, let only = steps.first { return only.params }
        return .array(steps.map { ["action": .string($0.action), "params": $0.params] })
    }
}
