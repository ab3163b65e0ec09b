import Foundation
import Testing
@testable import SynapsePlugins

/// A child process as a dashboard's ``EventSource``: what `run --plugin` and `run -- CMD` give the dashboard.
@Suite struct ChildProcessSourceTests {
    /// Drains `queue` until `done` holds for what arrived, or 20 s pass.
    func collect(_ queue: EventQueue, until done: ([Event]) -> Bool) -> [Event] {
        var all: [Event] = []
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !done(all) {
            var events: [Event] = [], notices: [QueuedNotice] = []
            queue.drain(events: &events, notices: &notices)
            all += events
            usleep(5_000)
        }
        return all
    }

    func source(_ script: String, log: String) -> ChildProcessSource {
        ChildProcessSource(label: "j1", cancelReason: "cancelled by user (c)") { sink in
            ChildProcessRun(executable: "/bin/sh", arguments: ["-c", script], mode: .console, eventLogPath: log,
                            action: "act", jobID: "j1", sink: sink)
        }
    }

    /// A source running `script`, started into a new queue, once its first output line has arrived.
    func started(_ script: String) throws -> (source: ChildProcessSource, queue: EventQueue, log: String, first: [Event]) {
        let log = temporaryFolder() + "/jobs/j1/events.jsonl"
        let source = source(script, log: log)
        let queue = try EventQueue()
        source.start(into: queue)
        return (source, queue, log, collect(queue) { !outputs($0).isEmpty })
    }

    @Test func whatTheRunRecordsBeforeStartReachesTheQueueFirstThenTheChildsEvents() throws {
        let log = temporaryFolder() + "/jobs/j1/events.jsonl"
        let source = source("echo hello; echo 'Result: {\"ok\": true}'", log: log)
        source.child.record([Event(payload: .runStatus(RunStatusUpdate(status: .running, action: "act", jobID: "j1")))])
        let queue = try EventQueue()
        source.start(into: queue)
        source.start(into: queue)  // twice: nothing more
        let events = collect(queue) { statuses($0).contains { $0.status.isFinal } }
        #expect(source.startFailure == nil)
        #expect(statuses(events).map(\.status) == [.running, .completed])
        #expect(outputs(events).map(\.text) == ["hello"])
        #expect(source.child.wait().status == .completed)
        #expect(statuses(try readLog(log)).map(\.status) == [.running, .completed])
    }

    @Test func theCancelHookCancelsTheChildAndItsStatusArrivesThroughTheQueue() throws {
        let (source, queue, _, first) = try started("echo started; exec sleep 30")
        #expect(outputs(first).map(\.text) == ["started"])
        let cancel = try #require(source.cancelHook(reportingTo: queue))
        cancel()
        let outcome = source.child.wait()
        #expect(outcome.status == .cancelled)
        let rest = collect(queue) { statuses($0).contains { $0.status.isFinal } }
        let final = try #require(statuses(rest).last)
        #expect(final.status == .cancelled)
        #expect(final.error?.message.contains("cancelled by user (c)") == true)
    }

    @Test func stoppingTheSourceStopsTheScreensCopyNotTheLog() throws {
        let (source, queue, log, first) = try started("echo one; sleep 0.3; echo two; echo 'Result: {}'")
        #expect(outputs(first).map(\.text) == ["one"])
        source.stop()
        #expect(source.child.wait().status == .completed)
        var events: [Event] = [], notices: [QueuedNotice] = []
        queue.drain(events: &events, notices: &notices)
        #expect(outputs(events).isEmpty, "pushed after stop: \(events)")
        #expect(outputs(try readLog(log)).map(\.text) == ["one", "two"])
    }

    @Test func aChildThatCannotStartIsRecordedFailedInTheQueueAndTheLog() throws {
        let log = temporaryFolder() + "/jobs/j1/events.jsonl"
        let source = ChildProcessSource(label: "j1", cancelReason: "c") { sink in
            ChildProcessRun(executable: "definitely-not-a-command-xyz", arguments: [], mode: .console, eventLogPath: log,
                            action: "act", jobID: "j1", sink: sink)
        }
        let queue = try EventQueue()
        source.start(into: queue)
        let failure = try #require(source.startFailure)
        #expect(failure.message.contains("definitely-not-a-command-xyz"))
        let events = collect(queue) { !statuses($0).isEmpty }
        #expect(statuses(events).map(\.status) == [.failed])
        #expect(statuses(try readLog(log)).map(\.status) == [.failed])
    }
}
