import Foundation
import Testing
import SynapseTestSupport
@testable import SynapsePlugins

@Suite struct ActionRunnerTests {
    let runner = ActionRunner(registry: .testActions)
    let memory = MemoryLogger()

    @Test func completedRunGoesPendingRunningCompletedWithParamsAndResult() async throws {
        let outcome = await runner.run(RunRequest(action: "echo", params: ["times": 2], jobID: "job-a"), logger: memory)
        #expect(outcome.status == .completed && outcome.failure == nil && outcome.jobID == "job-a")
        #expect(outcome.result == ["echoed": 2])
        let events = memory.events
        #expect(RT.statuses(events) == [.pending, .running, .completed])
        let pending = try #require(events.first?.payload.asRunStatus, "the first record is not run_status")
        let running = try #require(events.dropFirst().first?.payload.asRunStatus, "the second record is not run_status")
        #expect(pending.params == ["times": 2])
        #expect(running.params == ["text": "hi", "times": 2])  // defaults filled in
        #expect(pending.action == "echo" && pending.jobID == "job-a")
        #expect(RT.finalStatus(events)?.result == ["echoed": 2])
        #expect(events.map(\.name).suffix(2) == ["end", "run_status"])
        #expect(RT.count("end", in: events) == 1)
        #expect(memory.flushCount >= 1)
    }

    @Test func endIsWrittenWhenTheActionForgetsIt() async {
        _ = await runner.run(RunRequest(action: "forgetful"), logger: memory)
        #expect(memory.events.map(\.name).suffix(2) == ["end", "run_status"])
        #expect(RT.count("end", in: memory.events) == 1)
    }

    @Test func endIsWrittenOnceWhenTheActionRepeatsIt() async {
        _ = await runner.run(RunRequest(action: "repeated-end"), logger: memory)
        #expect(RT.count("end", in: memory.events) == 1)
    }

    @Test func thrownErrorFailsTheRunWithADangerMessage() async {
        let outcome = await runner.run(RunRequest(action: "throws"), logger: memory)
        #expect(outcome.status == .failed && outcome.failure == .actionError)
        #expect(outcome.error == RunError(type: "Boom", message: "boom"))
        let events = memory.events
        #expect(RT.statuses(events) == [.pending, .running, .failed])
        #expect(RT.finalStatus(events)?.error == RunError(type: "Boom", message: "boom"))
        let danger = RT.messages(events).filter { $0.0 == .danger }.map(\.1)
        #expect(danger == ["Action 'throws' failed: Boom: boom"])
        #expect(events.map(\.name).suffix(2) == ["end", "run_status"])
    }

    @Test func cancellingTheTaskCancelsTheRun() async {
        let handle = runner.start(RunRequest(action: "sleepy"), logger: memory)
        let started = await RT.poll { memory.events.contains { $0.name == "progress" } }
        #expect(started)
        handle.cancel()
        let outcome = await handle.outcome
        #expect(outcome.status == .cancelled && outcome.failure == .cancelled)
        let events = memory.events
        #expect(RT.statuses(events) == [.pending, .running, .cancelled])
        #expect(RT.finalStatus(events)?.error == RunError(type: "Cancelled", message: "run cancelled"))
        #expect(events.map(\.name).suffix(2) == ["end", "run_status"])
        #expect(RT.messages(events).contains { $0.0 == .warning && $0.1 == "Run cancelled" })
    }

    @Test func theCancelReasonIsTheRunsError() async {
        let handle = runner.start(RunRequest(action: "sleepy"), logger: memory)
        #expect(await RT.poll { memory.events.contains { $0.name == "progress" } })
        handle.cancel(reason: "cancelled by user (c)")
        handle.cancel(reason: "cancelled by user (q)")  // the first reason stays
        let outcome = await handle.outcome
        #expect(outcome.error == RunError(type: "Cancelled", message: "cancelled by user (c)"))
        #expect(RT.finalStatus(memory.events)?.error?.message == "cancelled by user (c)")
        #expect(RT.messages(memory.events).contains { $0.0 == .warning && $0.1 == "Run cancelled by user (c)" })
    }

    @Test func cancellingAtOnceStillRecordsACompleteCancelledRun() async {
        let handle = runner.start(RunRequest(action: "sleepy"), logger: memory)
        handle.cancel()
        handle.cancel()  // twice is fine
        let outcome = await handle.outcome
        #expect(outcome.status == .cancelled)
        #expect(RT.statuses(memory.events).first == .pending && RT.statuses(memory.events).last == .cancelled)
        #expect(memory.events.map(\.name).suffix(2) == ["end", "run_status"])
    }

    @Test func anActionThatFinishesDespiteCancellationCompletes() async {
        struct Stubborn: PluginAction {
            static let actionName = "stubborn"
            init(params: NoParams, context: RuntimeContext) {}
            func execute() async throws -> JSONValue {
                withUnsafeCurrentTask { $0?.cancel() }  // cancelled while running...
                return "done anyway"  // ...but it returned a result: that is what happened
            }
        }
        let outcome = await ActionRunner(registry: ActionRegistry([Stubborn.self])).run(RunRequest(action: "stubborn"), logger: memory)
        #expect(outcome.status == .completed && outcome.result == "done anyway")
    }

    @Test func invalidParamsFailBeforeExecuteWithEveryProblem() async {
        let before = ExecutionProbe.shared.hits
        let outcome = await runner.run(RunRequest(action: "probed", params: ["n": -1]), logger: memory)
        #expect(ExecutionProbe.shared.hits == before)
        #expect(outcome.status == .failed && outcome.failure == .invalidParams)
        #expect(outcome.error?.type == "ParamsValidationError")
        #expect(outcome.error?.message.contains("n\n  Input should be greater than or equal to 0 [rule=ge, input_value=-1]") == true)
        #expect(RT.statuses(memory.events) == [.pending, .failed])
        #expect(RT.messages(memory.events).contains { $0.0 == .danger })
    }

    @Test func unknownActionFailsWithTheRegisteredNames() async {
        let outcome = await runner.run(RunRequest(action: "nope"), logger: memory)
        #expect(outcome.failure == .unknownAction)
        #expect(outcome.error?.message.contains("echo") == true)
        #expect(RT.statuses(memory.events) == [.pending, .failed])
    }

    @Test func unknownParamsAreIgnoredWithAWarning() async {
        let outcome = await runner.run(RunRequest(action: "echo", params: ["tiems": 3]), logger: memory)
        #expect(outcome.status == .completed)
        #expect(RT.messages(memory.events).contains { $0.0 == .warning && $0.1.contains("tiems") })
    }

    @Test func pipelineRunsInOrderWithActionStatuses() async {
        let request = RunRequest(steps: [PipelineStep(action: "echo"), PipelineStep(action: "forgetful")])
        let outcome = await runner.run(request, logger: memory)
        #expect(outcome.status == .completed)
        #expect(outcome.result == [["echoed": 1], nil])
        #expect(RT.actionStatuses(memory.events) == [
            "0:echo:pending", "1:forgetful:pending", "0:echo:running", "0:echo:completed",
            "1:forgetful:running", "1:forgetful:completed",
        ])
        // One `end` for the whole run, after the last action, even though echo called endLog().
        #expect(RT.count("end", in: memory.events) == 1)
        #expect(memory.events.map(\.name).suffix(2) == ["end", "run_status"])
        #expect(RT.finalStatus(memory.events)?.action == "echo>forgetful")
        let totals = memory.events.compactMap { e -> Int? in
            if case .actionStatus(let u) = e.payload { return u.total } else { return nil }
        }
        #expect(totals.allSatisfy { $0 == 2 })
    }

    @Test func pipelineSkipsTheRestAfterAFailure() async {
        let request = RunRequest(steps: [PipelineStep(action: "echo"), PipelineStep(action: "throws"),
                                         PipelineStep(action: "echo"), PipelineStep(action: "forgetful")])
        let outcome = await runner.run(request, logger: memory)
        #expect(outcome.status == .failed && outcome.failure == .actionError)
        let statuses = RT.actionStatuses(memory.events).filter { !$0.hasSuffix("pending") }
        #expect(statuses == ["0:echo:running", "0:echo:completed", "1:throws:running", "1:throws:failed",
                             "2:echo:skipped", "3:forgetful:skipped"])
        #expect(RT.statuses(memory.events) == [.pending, .running, .failed])
    }

    @Test func pipelineCancellationFailsTheCurrentActionAndSkipsTheRest() async {
        let request = RunRequest(steps: [PipelineStep(action: "sleepy"), PipelineStep(action: "echo")])
        let handle = runner.start(request, logger: memory)
        #expect(await RT.poll { memory.events.contains { $0.name == "progress" } })
        handle.cancel()
        let outcome = await handle.outcome
        #expect(outcome.status == .cancelled)
        let statuses = RT.actionStatuses(memory.events).filter { !$0.hasSuffix("pending") }
        #expect(statuses == ["0:sleepy:running", "0:sleepy:failed", "1:echo:skipped"])
        #expect(RT.statuses(memory.events) == [.pending, .running, .cancelled])
    }

    @Test func invalidParamsInAPipelineNameTheActionAndRunNothing() async {
        let request = RunRequest(steps: [PipelineStep(action: "echo"), PipelineStep(action: "echo", params: ["times": 9])])
        let outcome = await runner.run(request, logger: memory)
        #expect(outcome.failure == .invalidParams)
        #expect(outcome.error?.message.hasPrefix("invalid params for action 'echo'") == true)
        #expect(RT.actionStatuses(memory.events).isEmpty)
        #expect(RT.messages(memory.events).filter { $0.1 == "hi" }.isEmpty)
    }

    @Test func currentContextIsSetInsideTheActionOnly() async {
        #expect(RuntimeContext.current == nil)
        struct Peek: PluginAction {
            static let actionName = "peek"
            let ctx: RuntimeContext
            init(params: NoParams, context: RuntimeContext) { ctx = context }
            func execute() async throws -> Bool { RuntimeContext.current === ctx }
        }
        let outcome = await ActionRunner(registry: ActionRegistry([Peek.self])).run(RunRequest(action: "peek"), logger: memory)
        #expect(outcome.result == true)
    }

    @Test func encodableResultsUseSnakeCaseKeys() async {
        let outcome = await runner.run(RunRequest(action: "train", params: ["epochs": 2, "epoch_seconds": 0]), logger: memory)
        #expect(outcome.status == .completed)
        #expect(outcome.result?["epochs_trained"] == 2)
        #expect(outcome.result?["final_loss"]?.doubleValue != nil)
    }

    @Test func startJobWritesTheEventLogAndClosesIt() async throws {
        let store = JobStore(home: RT.temporaryFolder("runner"))
        let handle = try runner.startJob(RunRequest(action: "echo", jobID: "job-file"), in: store, alsoLoggingTo: [memory])
        let outcome = await handle.outcome
        #expect(outcome.status == .completed)
        let text = try String(contentsOf: try store.eventLog(of: "job-file"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == memory.events.count)
        #expect(lines.last?.contains(#""status":"completed""#) == true)
        #expect(try store.summary(of: "job-file").status == .completed)
    }
}
