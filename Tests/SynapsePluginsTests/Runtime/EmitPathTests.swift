import Foundation
import Testing
@testable import SynapsePlugins

/// The producer's hot path: the raw byte buffer the job log encodes into, the log's background writing,
/// and contexts feeding the file and the dashboard queue at once from several threads.
@Suite struct EmitPathTests {
    static let events: [Event] = [
        Event(timestamp: 1764076801.512345, step: "training",
              payload: .progress(ProgressData(current: 3, total: 7, step: "training", elapsed: 1.25, timeRemaining: 1.67))),
        Event(timestamp: 1764076801.5, payload: .progress(ProgressData(current: 0, total: 0))),
        Event(timestamp: 1764076802, step: "t", payload: .metrics(["loss": .double(1.0 / 3), "acc": 0.001, "epoch": 3,
                                                                     "big": .double(1e300), "tiny": .double(-2.5e-7),
                                                                     "nan": .double(.nan), "inf": .double(-.infinity),
                                                                     "neg0": .double(-0.0), "name": "x\"y\\z"])),
        Event(timestamp: 0.000123, level: .warning, payload: .message(Message(content: "a\nb\t\u{1}\u{1F}é✓🙂", key: "K"))),
        Event(timestamp: 5, level: .debug, payload: .devEvent(DevEvent(message: "m", data: ["x": [1, nil, true, 2.5]]))),
        Event(timestamp: 6, file: "/data/img \"1\".jpg", payload: .custom(name: "prediction", data: ["class": "cat"])),
        Event(timestamp: 7, payload: .runStatus(RunStatusUpdate(status: .failed, action: "a", jobID: "j",
                                                                error: RunError(type: "T", message: "m")))),
        Event(timestamp: 8, payload: .actionStatus(ActionStatusUpdate(action: "a", index: 1, total: 2, status: .skipped))),
        Event(timestamp: 9, payload: .metric(MetricRecord(category: "c", key: "k", value: 1, metrics: ["m": 2]))),
        Event(timestamp: 10, payload: .output(OutputLine(stream: .stderr, text: "t"))),
        Event(timestamp: -1.5, payload: .end),
        Event(timestamp: 11, payload: .custom(name: "long", data: .string(String(repeating: "ab\"", count: 40_000)))),
    ]

    @Test func theByteBufferHoldsExactlyWhatEncodeLineWrites() {
        // A tiny start so that growing is exercised too.
        var buffer = ByteBuffer(capacity: 8)
        var expected: [UInt8] = []
        for event in Self.events {
            EventCodec.encode(event, into: &buffer)
            buffer.writeByte(0x0A)
            expected += EventCodec.encodeLine(event)
        }
        #expect(Array(buffer.bytes) == expected)
        buffer.removeAll()
        let empty = buffer.isEmpty  // (#expect cannot take a noncopyable value's property)
        #expect(empty)
        EventCodec.encode(Self.events[0], into: &buffer)
        #expect(Array(buffer.bytes) + [0x0A] == EventCodec.encodeLine(Self.events[0]))
    }

    @Test func theLogFileIsByteIdenticalToEncodeLine() throws {
        let path = RT.temporaryFolder("emit").appendingPathComponent("events.jsonl").path
        let log = try JSONLinesLogger(path: path, flushInterval: 60)
        for event in Self.events { log.record(event) }
        log.close()
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(Array(written) == Self.events.flatMap(EventCodec.encodeLine))
    }

    @Test func aBusyProducerIsWrittenInTheBackgroundWithoutWaitingForTheTimer() async throws {
        let path = RT.temporaryFolder("emit").appendingPathComponent("events.jsonl").path
        let log = try JSONLinesLogger(path: path, flushInterval: 60)
        for i in 0..<(JSONLinesWriter.earlyRecords + 10) { log.record(Event(payload: .metrics(["i": .int(i)]))) }
        // Nobody flushes and the timer is a minute away: the early background flush writes them.
        let lines = { ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").count }
        #expect(await RT.poll(timeout: 5) { lines() >= JSONLinesWriter.earlyRecords })
        log.close()
        #expect(lines() == JSONLinesWriter.earlyRecords + 10)
    }

    @Test func concurrentContextsLoseNothingAndFileAndQueueAgree() async throws {
        let path = RT.temporaryFolder("emit").appendingPathComponent("events.jsonl").path
        let log = try JSONLinesLogger(path: path)
        let queue = try EventQueue()
        let ctx = RuntimeContext(logger: FanOutLogger([log, QueueLogger(queue: queue)]))
        let threads = 4, calls = 6000
        await withTaskGroup(of: Void.self) { group in
            for t in 0..<threads {
                group.addTask {
                    for i in 0..<calls {
                        switch i % 4 {
                        case 0: ctx.setProgress(i + 1, calls, step: "worker-\(t)")
                        case 1: ctx.setMetrics(["t": .int(t), "i": .int(i), "loss": .double(1 / Double(i + 1))], step: "worker-\(t)")
                        case 2: ctx.logMessage("t\(t) i\(i)", context: .warning)
                        default: ctx.log("prediction", ["t": .int(t), "i": .int(i)], file: "/f/\(i)")
                        }
                    }
                }
            }
        }
        log.close()
        var events: [Event] = [], notices: [QueuedNotice] = []
        queue.drain(events: &events, notices: &notices)
        #expect(events.count == threads * calls)
        // Both sinks are fed under the run's lock, so the file is the queue's events, in the queue's order.
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(Array(written) == events.flatMap(EventCodec.encodeLine))
        // Each thread's calls arrive in the order it made them.
        for t in 0..<threads {
            let mine = events.compactMap { e -> Int? in
                guard case .custom(_, let data) = e.payload, data["t"]?.intValue == t else { return nil }
                return data["i"]?.intValue
            }
            #expect(mine.count == calls / 4 && mine == mine.sorted())
        }
    }

    @Test func interleavedStepsKeepTheirOwnProgressTimers() async throws {
        let memory = MemoryLogger()
        let ctx = RuntimeContext(logger: memory)
        ctx.setProgress(1, 10, step: "a")
        try await Task.sleep(for: .milliseconds(60))
        ctx.setProgress(1, 10, step: "b")  // b's timer starts here
        ctx.setProgress(2, 10, step: "a")  // a's timer is still the first call's
        ctx.setProgress(0, 10, step: "a")  // and restarts at 0
        ctx.setProgress(1, 10, step: "a")
        let elapsed = memory.events.compactMap { e -> Double? in
            if case .progress(let p) = e.payload { return p.elapsed } else { return nil }
        }
        #expect(elapsed.count == 5)
        #expect(elapsed[0] == 0 && elapsed[1] < 0.05 && elapsed[2] >= 0.05 && elapsed[3] == 0 && elapsed[4] < 0.05)
    }
}
