import Foundation
import Synchronization
import SynapseTestSupport
import Testing
@testable import SynapsePlugins

/// The job log on a full disk (issue #13): a tmpfs of 64 KiB, filled by the test and then freed. Mounting
/// needs root (CI runs as root); elsewhere the suite is skipped and says why.
@Suite(.serialized, .enabled(if: TinyDisk.canMount, "mounting a tmpfs needs root (CI runs as root)"))
struct DiskFullTests {
    static func record(_ i: Int) -> Event {
        Event(timestamp: 1_764_076_800 + Double(i), step: "training",
              payload: .metrics(["epoch": .int(i), "loss": .double(1 / Double(i + 1))]))
    }

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Records that meet a full disk wait, are written in order once there is room, and the failure is
    /// reported once, at once; the log never holds a partial line.
    @Test func recordsWaitAndAreWrittenWhenSpaceReturns() throws {
        let disk = try TinyDisk()
        defer { disk.unmount() }
        let path = disk.path + "/events.jsonl"
        let reports = Mutex<[String]>([])
        let log = try JSONLinesLogger(path: path, flushInterval: 0)
        log.onWriteFailure { text in reports.withLock { $0.append(text) } }
        try disk.fill()
        for i in 0..<200 { log.record(Self.record(i)) }
        #expect(reports.withLock { $0.count } == 1)
        #expect(reports.withLock { $0.first?.contains("No space left on device") == true })
        #expect(log.recordsNotWritten > 0)
        let partial = try Self.lines(path)
        #expect(partial.last == "", "the log ends with a whole line")
        disk.free()
        log.record(Self.record(200))
        log.close()
        #expect(log.recordsNotWritten == 0)
        let written = try Self.lines(path).dropLast()
        #expect(written.count == 201)
        for (i, line) in written.enumerated() {
            #expect(line.contains("\"epoch\":\(i),"), "line \(i) in order: \(line)")
        }
    }

    /// Past the memory bound the oldest waiting records are dropped, counted, and a `log_gap` record says
    /// how many as soon as the disk takes it.
    @Test func overflowIsCountedAndRecorded() throws {
        // Room enough, once freed, for what waited in memory.
        let disk = try TinyDisk(size: "16m")
        defer { disk.unmount() }
        let path = disk.path + "/events.jsonl"
        let log = try JSONLinesLogger(path: path, flushInterval: 0)
        let recoveries = Mutex<[Event?]>([])
        log.onWriteRecovery { gap in recoveries.withLock { $0.append(gap) } }
        try disk.fill()
        let n = 60_000  // ~100 bytes each: past the 4 MiB held in memory
        for i in 0..<n { log.record(Self.record(i)) }
        let missing = log.recordsNotWritten
        #expect(missing > 0 && missing <= n)
        disk.free()
        log.record(Self.record(n))
        log.close()
        let lines = try Self.lines(path).dropLast()
        let gap = try #require(lines.first { $0.contains(#""event":"log_gap""#) })
        let event = try #require(try EventCodec.decodeLine(gap))
        let lost = try #require(EventCodec.data(of: event.payload)["lost"]?.intValue)
        #expect(lost > 0 && lines.count == n + 1 - lost + 1)
        #expect(log.recordsNotWritten == lost, "what was dropped stays counted: the log is incomplete")
        // The run is told once that writes go through again, with the log_gap record the log got.
        let told = recoveries.withLock { $0 }
        #expect(told.count == 1 && told.first??.payload == event.payload)
    }

    /// Through the runner, as the dashboard sees it: the failure arrives at once as a notice (the header
    /// and status line show it) with a danger message, and its end as a notice with a message saying
    /// nothing was lost.
    @Test func theDashboardIsToldWhenWritesFailAndWhenTheyGoThroughAgain() async throws {
        let disk = try TinyDisk(size: "1m")
        defer { disk.unmount() }
        let store = JobStore(home: URL(fileURLWithPath: disk.path + "/h"))
        var registry = ActionRegistry()
        registry.register(TickAction.self)
        let queue = try EventQueue()
        let handle = try ActionRunner(registry: registry).startJob(
            RunRequest(steps: [PipelineStep(action: "tick", params: [:])], jobID: "disk-job"), in: store,
            alsoLoggingTo: [QueueLogger(queue: queue)])
        var events: [Event] = [], notices: [SourceNotice] = []
        func waitFor(_ what: String, _ found: () -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                var e: [Event] = [], n: [QueuedNotice] = []
                queue.drain(events: &e, notices: &n)
                events += e
                notices += n.map(\.notice)
                if found() { return true }
                usleep(10_000)
            }
            Issue.record("no \(what) within 30 s")
            return false
        }
        try disk.fill()
        #expect(waitFor("failure notice") { notices.contains { if case .logWriteFailed(let r?) = $0 { r.contains("No space left on device") } else { false } } })
        #expect(events.contains { $0.level == .danger && $0.payload.name == "message" })
        disk.free()
        #expect(waitFor("recovery notice") { notices.contains(.logWriteFailed(nil)) })
        #expect(events.contains { if case .message(let m) = $0.payload { m.content.contains("every record that waited was written") } else { false } })
        handle.cancel(reason: "test over")
        _ = await handle.outcome
        let log = try String(contentsOfFile: disk.path + "/h/jobs/disk-job/events.jsonl", encoding: .utf8)
        #expect(log.hasSuffix("\n") && log.contains(#""status":"cancelled""#))
    }
}

/// Records a metric every millisecond until cancelled.
struct TickAction: PluginAction {
    struct Params: ActionParams {}
    static let actionName = "tick"
    let params: Params
    let ctx: RuntimeContext
    init(params: Params, context: RuntimeContext) { self.params = params; self.ctx = context }
    func execute() async throws -> JSONValue {
        var i = 0
        while !Task.isCancelled {
            ctx.setMetrics(["i": .int(i)], step: "tick")
            i += 1
            try await Task.sleep(nanoseconds: 1_000_000)
        }
        throw CancellationError()
    }
}
