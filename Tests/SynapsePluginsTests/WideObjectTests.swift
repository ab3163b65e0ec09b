import Foundation
import Testing
@testable import SynapsePlugins

/// Wide objects and many names (issue #13): behaviour at scale. The time they take is the harness's
/// figure (`synapse-bench hostile`), not a test's.
@Suite struct WideObjectTests {
    static func wideLine(_ keys: Int, duplicate: Bool = false) -> String {
        var parts = (0..<keys).map { "\"k\($0)\":\($0)" }
        if duplicate { parts.append("\"k7\":-1") }
        return #"{"v":1,"event":"metrics","timestamp":1,"step":"s","data":{"# + parts.joined(separator: ",") + "}}"
    }

    @Test func wideObjectKeepsOrderAndFindsEveryKey() throws {
        let event = try #require(try EventCodec.decodeLine(Self.wideLine(20_000, duplicate: true)))
        var metrics: JSONObject?
        if case .metrics(let o) = event.payload { metrics = o }
        let object = try #require(metrics)
        #expect(object.count == 20_000)
        #expect(object.members.first?.0 == "k0" && object.members.last?.0 == "k19999")
        // A repeated key keeps its first position and takes the last value, as Python's json.loads does.
        #expect(object["k7"] == .int(-1) && object.members[7].0 == "k7")
        for i in stride(from: 0, to: 20_000, by: 997) { #expect(object["k\(i)"] == .int(i == 7 ? -1 : i)) }
        #expect(object["k20000"] == nil)
    }

    @Test func indexFollowsEveryChange() {
        var object = JSONObject()
        for i in 0..<40 { object["k\(i)"] = .int(i) }
        object["k3"] = nil
        object["k30"] = nil
        #expect(object.count == 38 && object["k3"] == nil && object["k30"] == nil)
        #expect(object["k31"] == .int(31) && object["k39"] == .int(39) && object["k2"] == .int(2))
        object["k3"] = .int(-3)
        #expect(object.members.last?.0 == "k3" && object["k3"] == .int(-3))
        // Shrinking below the threshold and growing again.
        for i in 0..<40 { object["k\(i)"] = nil }
        #expect(object.isEmpty)
        for i in 0..<20 { object.appendUnchecked("n\(i)", .int(i)) }
        #expect(object["n19"] == .int(19) && object["n0"] == .int(0))
        // Equality ignores order, whatever the size.
        let reversed = JSONObject(object.members.reversed())
        #expect(reversed == object && reversed.hashValue == object.hashValue)
        let literal: JSONObject = ["a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 7, "h": 8, "i": 9,
                                   "j": 10, "k": 11, "l": 12, "m": 13, "n": 14, "o": 15, "p": 16, "q": 17]
        #expect(literal["q"] == 17 && literal["a"] == 1)
    }

    /// A log of more distinct names than the reader's tables hold reads the same through blocks as through
    /// the full decoder, past the tables' capacity.
    @Test func manyDistinctNamesReadAsTheDecoderReadsThem() throws {
        let n = LogBlockReader.tableCapacity * 3
        var text = ""
        for i in 0..<n {
            text += #"{"v":1,"event":"metrics","timestamp":\#(i),"step":"s\#(i % 1500)","data":{"k\#(i)":\#(i),"k\#(i / 2)":1}}"# + "\n"
        }
        var reader = LogBlockReader()
        let block = Array(text.utf8).withUnsafeBufferPointer { reader.read($0) }
        #expect(block.problems.isEmpty)
        let fromBlock = block.decodedEvents()
        var decoder = EventLogDecoder()
        let decoded = decoder.feed(Array(text.utf8)).events
        #expect(fromBlock.count == n && fromBlock == decoded)
    }
}

/// The writer and the reader agree on the line limit (issue #13): a record too big for a line is written
/// with its big values cut and marked, never as a line the reader would skip.
@Suite struct LineLimitTests {
    @Test func hugeRecordsAreCappedToALineTheReaderReads() throws {
        let big = String(repeating: "é", count: EventCodec.maxLineBytes / 2 + 10)
        let events = [
            Event(timestamp: 1, payload: .runStatus(RunStatusUpdate(status: .running, action: "train", jobID: "j",
                                                                    params: ["blob": .string(big)]))),
            Event(timestamp: 2, level: .info, payload: .message(Message(content: big))),
            Event(timestamp: 3, step: "s", payload: .metrics(["k": .string(big)])),
            Event(timestamp: 4, payload: .custom(name: "x", data: .array([.string(big)]))),
            Event(timestamp: 5, payload: .output(OutputLine(stream: .stderr, text: big))),
        ]
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cap-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/events.jsonl"
        let log = try JSONLinesLogger(path: path, flushInterval: 0)
        for event in events { log.record(event) }
        log.close()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var decoder = EventLogDecoder()
        let batch = decoder.feed(Array(text.utf8))
        #expect(batch.unreadable.isEmpty)
        #expect(batch.events.count == events.count)
        #expect(batch.events.map(\.payload.name) == events.map(\.payload.name))
        for line in text.split(separator: "\n") { #expect(line.utf8.count <= EventCodec.maxLineBytes) }
        if case .runStatus(let u)? = batch.events.first?.payload {
            #expect(u.status == .running && u.action == "train" && u.params?["truncated_bytes"]?.intValue != nil)
        } else {
            Issue.record("the run_status record did not read back as one")
        }
        if case .message(let m)? = batch.events.dropFirst().first?.payload {
            #expect(m.content.hasPrefix("éé") && m.content.contains("[truncated: "))
        } else {
            Issue.record("the message did not read back as one")
        }
    }
}

/// The end of a run reads the log's tail, not the whole log (`run -- CMD`'s result).
@Suite struct LogTailTests {
    @Test func lastEventsReadOnlyTheTail() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tail-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/events.jsonl"
        var text = ""
        for i in 0..<20_000 { text += EventCodec.encodeString(Event(timestamp: Double(i), payload: .output(OutputLine(text: "line \(i)")))) + "\n" }
        text += EventCodec.encodeString(Event(timestamp: 1, payload: .runStatus(RunStatusUpdate(status: .completed, result: ["ok": true])))) + "\n"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let tail = JobLogSampler.lastEvents(ofLogAt: path, maxBytes: 4096)
        #expect(tail.count < 100 && tail.count > 10, "only the tail: \(tail.count) events")
        if case .runStatus(let u)? = tail.last?.payload {
            #expect(u.result == ["ok": true])
        } else {
            Issue.record("the final status is not the tail's last event")
        }
        #expect(JobLogSampler.lastEvents(ofLogAt: path).count == 20_001)
    }
}
