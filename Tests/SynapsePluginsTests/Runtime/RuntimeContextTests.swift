import Foundation
import Testing
@testable import SynapsePlugins

@Suite struct RuntimeContextTests {
    let memory = MemoryLogger()
    var ctx: RuntimeContext { RuntimeContext(logger: memory, jobID: "job-1") }

    @Test func logRecordsACustomEventWithDataAndFile() throws {
        let ctx = self.ctx
        ctx.log("checkpoint", ["epoch": 5, "loss": 0.25])
        ctx.log("prediction", ["class": "cat", "confidence": 0.95], file: "/data/img.jpg")
        let events = memory.events
        #expect(events.count == 2)
        #expect(events[0].payload == .custom(name: "checkpoint", data: ["epoch": 5, "loss": 0.25]))
        #expect(events[0].file == nil)
        #expect(events[1].file == "/data/img.jpg")
        #expect(EventCodec.encodeString(events[1]).contains(#""file":"/data/img.jpg","data":{"class":"cat","confidence":0.95}"#))
    }

    @Test func setProgressDerivesPercentElapsedAndTimeRemaining() async throws {
        let ctx = self.ctx
        let clock = ContinuousClock()
        let start = clock.now
        ctx.setProgress(0, 4, step: "training")
        try await Task.sleep(for: .milliseconds(40))
        ctx.setProgress(1, 4, step: "training")
        let measured = clock.now - start
        ctx.setProgress(3, 3)
        let progress = memory.events.compactMap { e -> ProgressData? in
            if case .progress(let p) = e.payload { return p } else { return nil }
        }
        #expect(progress.count == 3)
        #expect(progress[0].percent == 0 && progress[0].elapsed == 0 && progress[0].timeRemaining == nil)
        let second = progress[1]
        #expect(second.step == "training" && second.percent == 25)
        let elapsed = try #require(second.elapsed)
        // At least the sleep, at most what the test itself measured around the two calls (a busy machine
        // may stretch the sleep a lot).
        let upper = Double(measured.components.seconds) + Double(measured.components.attoseconds) / 1e18
        #expect(elapsed >= 0.03 && elapsed <= upper + 0.01)
        // time_remaining = elapsed / current * (total - current), both rounded to 2 decimals
        let remaining = try #require(second.timeRemaining)
        #expect(abs(remaining - elapsed * 3) <= 0.02)
        #expect(progress[2].step == nil && progress[2].percent == 100 && progress[2].timeRemaining == 0)
        #expect(memory.events[1].step == "training")
    }

    @Test func progressTimerRestartsWhenCurrentIsZeroAndIsPerStep() async throws {
        let ctx = self.ctx
        ctx.setProgress(1, 10, step: "a")
        try await Task.sleep(for: .milliseconds(30))
        ctx.setProgress(0, 10, step: "a")  // restart
        ctx.setProgress(1, 10, step: "b")  // b's own timer starts now
        let progress = memory.events.compactMap { e -> ProgressData? in
            if case .progress(let p) = e.payload { return p } else { return nil }
        }
        #expect(progress[1].elapsed == 0)
        #expect(progress[2].elapsed == 0)
    }

    @Test func percentRoundsToTwoDecimalsLikePython() {
        #expect(ProgressData(current: 1, total: 3).percent == 33.33)
        #expect(ProgressData(current: 2, total: 3).percent == 66.67)
        #expect(ProgressData(current: 5, total: 0).percent == 0)
    }

    @Test func setMetricsKeepsKeyOrderAndStep() {
        let ctx = self.ctx
        ctx.setMetrics(["accuracy": 0.95, "loss": 0.05, "learning_rate": 0.001])
        ctx.setMetrics(["mAP": 0.87], step: "validation")
        let events = memory.events
        #expect(EventCodec.encodeString(events[0]).hasSuffix(#""data":{"accuracy":0.95,"loss":0.05,"learning_rate":0.001}}"#))
        #expect(events[1].step == "validation")
        #expect(events[1].payload == .metrics(["mAP": 0.87]))
    }

    @Test func logMessageDefaultsToInfoAndTakesEveryContext() {
        let ctx = self.ctx
        ctx.logMessage("Starting model training...")
        ctx.logMessage("GPU memory low", context: .warning)
        ctx.logMessage("done", context: .success)
        ctx.logMessage("Failed to load checkpoint", context: .danger)
        let messages = RT.messages(memory.events)
        #expect(messages.map(\.0) == [.info, .warning, .success, .danger])
        #expect(messages[0].1 == "Starting model training...")
    }

    @Test func logDevEventIsDebugWithOptionalData() {
        let ctx = self.ctx
        ctx.logDevEvent("Variable state checkpoint", data: ["variable_x": 42])
        ctx.logDevEvent("Debug mode enabled")
        let events = memory.events
        #expect(events.allSatisfy { $0.level == .debug })
        #expect(events[0].payload == .devEvent(DevEvent(message: "Variable state checkpoint", data: ["variable_x": 42])))
        #expect(EventCodec.encodeString(events[1]).hasSuffix(#""data":{"message":"Debug mode enabled","data":null}}"#))
    }

    @Test func logMetricMatchesThePythonRecord() {
        ctx.logMetric(category: "train", key: "loss", value: 0.5, metrics: ["epoch": 1])
        #expect(EventCodec.encodeString(memory.events[0]).hasSuffix(
            #""data":{"category":"train","key":"loss","value":0.5,"metrics":{"epoch":1}}}"#))
    }

    @Test func endLogWritesEndOnce() {
        let ctx = self.ctx
        ctx.endLog()
        ctx.endLog()
        #expect(RT.count("end", in: memory.events) == 1)
    }

    @Test func callsAfterTheRunFinishedAreIgnored() {
        let ctx = self.ctx
        ctx.logMessage("before")
        #expect(ctx.state.finish(with: Event(payload: .runStatus(RunStatusUpdate(status: .completed)))))
        #expect(ctx.isFinished)
        ctx.logMessage("after")
        ctx.setProgress(1, 2)
        ctx.setMetrics(["x": 1])
        ctx.logDevEvent("late")
        ctx.log("late", [:])
        ctx.endLog()
        #expect(!ctx.state.finish(with: Event(payload: .runStatus(RunStatusUpdate(status: .failed)))))
        #expect(memory.events.map(\.name) == ["message", "end", "run_status"])
        #expect(memory.flushCount == 1)
    }

    @Test func propertiesArePassedThrough() {
        let env = PluginEnvironment(["storage_path": "/data"])
        let checkpoint = Checkpoint(category: "base", path: "/m.pt", id: "7", name: "resnet")
        let ctx = RuntimeContext(logger: memory, env: env, jobID: "j", checkpoint: checkpoint)
        #expect(ctx.env.storagePath == "/data")
        #expect(ctx.jobID == "j")
        #expect(ctx.checkpoint == checkpoint)
        #expect(ctx.client == nil && ctx.agentClient == nil)
        #expect(ctx.logger === memory)
    }

    @Test func concurrentCallsFromManyTasksAreAllRecorded() async {
        let ctx = self.ctx
        await withTaskGroup(of: Void.self) { group in
            for t in 0..<8 {
                group.addTask {
                    for i in 0..<500 { ctx.setMetrics(["t": .int(t), "i": .int(i)], step: "s\(t)") }
                }
            }
        }
        #expect(memory.events.count == 4000)
    }

    @Test func checkpointParsesBothForms() throws {
        #expect(try Checkpoint(parsing: "base:/models/r.pt") == Checkpoint(category: "base", path: "/models/r.pt"))
        #expect(try Checkpoint(parsing: #"{"category":"ft","path":"s3://b/k","id":12,"name":"n"}"#)
                == Checkpoint(category: "ft", path: "s3://b/k", id: "12", name: "n"))
        #expect(throws: Checkpoint.ParseError.self) { try Checkpoint(parsing: "nocolon") }
        #expect(throws: Checkpoint.ParseError.self) { try Checkpoint(parsing: #"{"path":"x"}"#) }
        #expect(throws: Checkpoint.ParseError.self) { try Checkpoint(parsing: ":x") }
    }
}
