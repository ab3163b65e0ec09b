/// The spec's complete example, as a built-in action: `synapse-tui run train`.
///
/// Simulated training (no model, no data) that takes about 3 seconds with the defaults: per epoch a few
/// training batches with progress on step `training`, metrics (`epoch`, `loss`, `accuracy`,
/// `learning_rate`) and a dev event; every fifth epoch a validation pass on step `validation`. It logs
/// messages of all four contexts, a `checkpoint_loaded` event when a checkpoint is given, honours
/// cancellation between batches, and can fail on demand (`fail_at_epoch`) to show a failed run.
package struct TrainAction: PluginAction {
    /// The spec's `TrainParams`, plus knobs for the simulation.
    package struct Params: ActionParams, Hashable {
        /// Epochs to train (1...1000).
        package var epochs = 50
        /// Batch size (1...512).
        package var batchSize = 8
        /// Learning rate.
        package var learningRate = 0.001
        /// Simulated seconds per epoch (0...10).
        package var epochSeconds = 0.06
        /// Throw an error at this epoch, to demonstrate a failed run.
        package var failAtEpoch: Int?
        /// Seed of the simulated curves.
        package var seed = 42

        package init() {}

        package static let rules: [ParamRule] = [
            .field("epochs", .ge(1), .le(1000)),
            .field("batch_size", .ge(1), .le(512)),
            .field("learning_rate", .gt(0), .le(10)),
            .field("epoch_seconds", .ge(0), .le(10)),
            .field("fail_at_epoch", .ge(1)),
        ]
    }

    /// What a training run returns.
    package struct Result: Encodable, Sendable {
        /// The training loss after the last epoch.
        package var finalLoss: Double
        /// Epochs completed.
        package var epochsTrained: Int
    }

    /// Raised by `fail_at_epoch`.
    package struct TrainingDiverged: Error, CustomStringConvertible {
        /// The epoch that diverged.
        package var epoch: Int
        package var description: String { "loss became NaN at epoch \(epoch)" }
    }

    package static let actionName = "train"
    package static let summary = "Simulated model training (the spec's example): progress, metrics, messages."

    /// The validated params.
    package let params: Params
    /// The run's context.
    package let ctx: RuntimeContext

    package init(params: Params, context: RuntimeContext) {
        self.params = params
        self.ctx = context
    }

    static let batchesPerEpoch = 4

    package func execute() async throws -> Result {
        ctx.logMessage("Starting training...")
        if ctx.env.debug { ctx.logDevEvent("Debug mode enabled", data: ctx.env.redactedJSON) }

        if let checkpoint = ctx.checkpoint {
            ctx.log("checkpoint_loaded", ["category": .string(checkpoint.category), "path": .string(checkpoint.path)])
        }
        if params.batchSize > 256 {
            ctx.logMessage("GPU memory low, reducing batch size to 256", context: .warning)
        }

        var sim = SimulatedTraining(epochs: params.epochs, learningRate: params.learningRate, seed: UInt64(bitPattern: Int64(params.seed)))
        let batchPause = Duration.seconds(params.epochSeconds / Double(Self.batchesPerEpoch))
        var loss = 0.0
        let total = params.epochs
        // Declared like synapse-sdk's step Orchestrator does, so the overall figure is a run percent: validation
        // passes run inside training and take its fraction (docs/event-log.md, "Overall progress").
        ctx.setStepProportions(["training": 98, "validation": 2])
        ctx.setProgress(0, total, step: "training")
        for epoch in 1...total {
            for batch in 0..<Self.batchesPerEpoch {
                try await Task.sleep(for: batchPause)
                loss = sim.loss(epoch: epoch, batch: batch)
            }
            if epoch == params.failAtEpoch {
                ctx.logMessage("Loss diverged at epoch \(epoch)", context: .danger)
                throw TrainingDiverged(epoch: epoch)
            }
            ctx.setProgress(epoch, total, step: "training")
            ctx.setMetrics(["epoch": .int(epoch), "loss": .double(loss), "accuracy": .double(sim.accuracy(loss: loss)),
                            "learning_rate": .double(params.learningRate)], step: "training")
            ctx.logDevEvent("Epoch completed", data: ["epoch": .int(epoch),
                                                      "memory_usage": residentMemoryMiB().map(JSONValue.double) ?? .null])
            if epoch % 5 == 0 || epoch == total {
                try await validate(epoch: epoch, trainingLoss: loss, sim: &sim)
            }
            if epoch == (2 * total) / 3, total >= 3 {
                ctx.logMessage("Validation loss is improving slowly; consider a lower learning rate", context: .warning)
            }
            if epoch == total / 3 {
                // A recoverable problem, so a normal run shows every message context.
                ctx.logMessage("Failed to read cached shard 3; rebuilt it from source", context: .danger)
            }
        }
        ctx.logMessage("Training completed!", context: .success)
        ctx.endLog()
        return Result(finalLoss: (loss * 10_000).rounded() / 10_000, epochsTrained: total)
    }

    private func validate(epoch: Int, trainingLoss: Double, sim: inout SimulatedTraining) async throws {
        let batches = 3
        ctx.setProgress(0, batches, step: "validation")
        for batch in 1...batches {
            try await Task.sleep(for: .seconds(params.epochSeconds / 8))
            ctx.setProgress(batch, batches, step: "validation")
        }
        let validationLoss = sim.validationLoss(trainingLoss: trainingLoss)
        ctx.setMetrics(["epoch": .int(epoch), "val_loss": .double(validationLoss),
                        "val_accuracy": .double(sim.accuracy(loss: validationLoss))], step: "validation")
    }
}
