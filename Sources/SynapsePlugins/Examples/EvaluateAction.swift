/// A short evaluation step that can fail on demand (`fail: true`), to show failures and pipeline skips.
package struct EvaluateAction: PluginAction {
    /// What to evaluate, and how slowly.
    package struct Params: ActionParams, Hashable {
        /// Which split to evaluate.
        package var split = "test"
        /// Batches to evaluate.
        package var batches = 10
        /// Simulated seconds per batch.
        package var batchSeconds = 0.05
        /// Throw an error halfway, to demonstrate a failed run.
        package var fail = false

        package init() {}

        package static let rules: [ParamRule] = [
            .field("split", .oneOf("train", "validation", "test")),
            .field("batches", .ge(1), .le(10_000)),
            .field("batch_seconds", .ge(0), .le(10)),
        ]
    }

    /// Raised by `fail: true`.
    package struct EvaluationFailed: Error, CustomStringConvertible {
        /// The batch that failed.
        package var batch: Int
        package var description: String { "evaluation data is corrupt at batch \(batch)" }
    }

    package static let actionName = "evaluate"
    package static let summary = "Simulated evaluation; `fail: true` makes it fail halfway."

    let params: Params
    let ctx: RuntimeContext

    package init(params: Params, context: RuntimeContext) {
        self.params = params
        self.ctx = context
    }

    package func execute() async throws -> JSONValue {
        ctx.logMessage("Evaluating on the \(params.split) split")
        var sim = SplitMix64(seed: 7)
        for batch in 1...params.batches {
            try await Task.sleep(for: .seconds(params.batchSeconds))
            if params.fail && batch > params.batches / 2 {
                throw EvaluationFailed(batch: batch)
            }
            ctx.setProgress(batch, params.batches, step: "evaluation")
        }
        let mAP = 0.85 + 0.04 * sim.nextUnit()
        ctx.setMetrics(["mAP": .double(mAP), "precision": .double(mAP + 0.03), "recall": .double(mAP - 0.02)],
                       step: "evaluation")
        ctx.logMessage("Evaluation done: mAP \((mAP * 1000).rounded() / 1000)", context: .success)
        return ["split": .string(params.split), "mAP": .double(mAP)]
    }
}
