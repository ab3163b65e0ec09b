/// A short data-preparation step, so pipelines (`run preprocess train evaluate`) can be shown.
package struct PreprocessAction: PluginAction {
    /// How much to prepare, and how slowly.
    package struct Params: ActionParams, Hashable {
        /// Samples to "prepare".
        package var samples = 2000
        /// Shards they are split into (1...64).
        package var shards = 4
        /// Simulated seconds per shard.
        package var shardSeconds = 0.15

        package init() {}

        package static let rules: [ParamRule] = [
            .field("samples", .ge(1)),
            .field("shards", .ge(1), .le(64)),
            .field("shard_seconds", .ge(0), .le(10)),
        ]
    }

    package static let actionName = "preprocess"
    package static let summary = "Simulated dataset preparation (a pipeline's first step)."

    let params: Params
    let ctx: RuntimeContext

    package init(params: Params, context: RuntimeContext) {
        self.params = params
        self.ctx = context
    }

    package func execute() async throws -> JSONValue {
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
