/// A short data-preparation step, so pipelines (`run preprocess train evaluate`) can be shown.
public struct PreprocessAction: PluginAction {
    /// How much to prepare, and how slowly.
    public struct Params: ActionParams, Hashable {
        /// Samples to "prepare".
        public var samples = 2000
        /// Shards they are split into (1...64).
        public var shards = 4
        /// Simulated seconds per shard.
        public var shardSeconds = 0.15

        public init() {}

        public static let rules: [ParamRule] = [
            .field("samples", .ge(1)),
            .field("shards", .ge(1), .le(64)),
            .field("shard_seconds", .ge(0), .le(10)),
        ]
    }

    public static let actionName = "preprocess"
    public static let summary = "Simulated dataset preparation (a pipeline's first step)."

    let params: Params
    let ctx: RuntimeContext

    public init(params: Params, context: RuntimeContext) {
        self.params = params
        self.ctx = context
    }

    public func execute() async throws -> JSONValue {
        ctx.logMessage("Preparing \(params.samples) samples in \(params.shards) shards")
        for shard in 1...params.shards {
            try await Task.sleep(for: .seconds(params.shardSeconds))
            ctx.setProgress(shard, params.shards, step: "preprocessing")
            ctx.logDevEvent("Shard written", data: ["shard": .int(shard), "samples": .int(params.samples / params.shards)])
        }
        ctx.logMessage("Dataset ready", context: .success)
        return ["samples": .int(params.samples), "shards": .int(params.shards)]
    }
}
