import Foundation
import Testing
@testable import SynapsePlugins

@Suite struct ExampleActionTests {
    @Test func trainFollowsTheSpecsExample() async {
        let memory = MemoryLogger()
        let outcome = await ActionRunner().run(
            RunRequest(action: "train", params: ["epochs": 10, "epoch_seconds": 0],
                       checkpoint: Checkpoint(category: "base", path: "/models/base.pt")), logger: memory)
        #expect(outcome.status == .completed)
        #expect(outcome.result?["epochs_trained"] == 10)
        let events = memory.events
        #expect(Set(RT.messages(events).compactMap(\.0)) == [.info, .warning, .success, .danger] ||
                Set(RT.messages(events).compactMap(\.0)) == [.info, .success, .danger])
        #expect(events.contains { $0.payload == .custom(name: "checkpoint_loaded", data: ["category": "base", "path": "/models/base.pt"]) })
        let training = events.compactMap { e -> ProgressData? in
            if case .progress(let p) = e.payload, p.step == "training" { return p } else { return nil }
        }
        #expect(training.last?.current == 10 && training.last?.total == 10)
        #expect(events.contains { $0.step == "validation" && $0.name == "metrics" })
        #expect(RT.count("dev_event", in: events) >= 10)
        // Loss falls: the curve is realistic, not flat.
        let losses = events.compactMap { e -> Double? in
            if case .metrics(let m) = e.payload, e.step == "training" { return m["loss"]?.doubleValue } else { return nil }
        }
        #expect(losses.count == 10 && losses.last! < losses.first! / 3)
    }

    @Test func trainWarnsAboutLargeBatchesSoEveryContextAppears() async {
        let memory = MemoryLogger()
        _ = await ActionRunner().run(RunRequest(action: "train", params: ["epochs": 3, "epoch_seconds": 0, "batch_size": 300]),
                                     logger: memory)
        #expect(Set(RT.messages(memory.events).compactMap(\.0)) == [.info, .warning, .success, .danger])
    }

    @Test func trainFailsOnDemand() async {
        let outcome = await ActionRunner().run(
            RunRequest(action: "train", params: ["epochs": 5, "epoch_seconds": 0, "fail_at_epoch": 2]), logger: MemoryLogger())
        #expect(outcome.status == .failed && outcome.error?.message == "loss became NaN at epoch 2")
    }

    @Test func defaultTrainingTakesAFewSeconds() {
        let p = TrainAction.Params()
        let seconds = Double(p.epochs) * (p.epochSeconds + 3 * p.epochSeconds / 8 / 5)
        #expect(seconds > 2 && seconds < 6)
        #expect(p.epochs == 50 && p.batchSize == 8 && p.learningRate == 0.001)
    }

    @Test func pipelineOfTheExamples() async {
        let memory = MemoryLogger()
        let outcome = await ActionRunner().run(RunRequest(steps: [
            PipelineStep(action: "preprocess", params: ["shard_seconds": 0]),
            PipelineStep(action: "train", params: ["epochs": 2, "epoch_seconds": 0]),
            PipelineStep(action: "evaluate", params: ["batch_seconds": 0, "fail": true]),
        ]), logger: memory)
        #expect(outcome.status == .failed)
        #expect(RT.actionStatuses(memory.events).filter { !$0.hasSuffix("pending") } == [
            "0:preprocess:running", "0:preprocess:completed", "1:train:running", "1:train:completed",
            "2:evaluate:running", "2:evaluate:failed",
        ])
    }
}
