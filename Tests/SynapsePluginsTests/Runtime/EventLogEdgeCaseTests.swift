import Foundation
import Testing
@testable import SynapsePlugins

/// Good, odd and broken lines through the one decoder every reader uses.
@Suite struct EventLogEdgeCaseTests {
    func decode(_ text: String) -> EventLogDecoder.Batch {
        var decoder = EventLogDecoder()
        return decoder.feed(Array(text.utf8))
    }

    @Test func everyRecordTheRuntimeWritesReadsBack() async {
        let memory = MemoryLogger()
        _ = await ActionRunner(registry: .testActions).run(
            RunRequest(action: "train", params: ["epochs": 5, "epoch_seconds": 0],
                       checkpoint: Checkpoint(category: "base", path: "/m.pt")), logger: memory)
        let text = memory.events.map { EventCodec.encodeString($0) + "\n" }.joined()
        let batch = decode(text)
        #expect(batch.unreadable.isEmpty)
        #expect(batch.events == memory.events)
    }

    @Test func oddButValidLines() throws {
        let batch = decode("""
            {"event":"message","data":{"content":"no v, no timestamp"}}
            {"v":1,"event":"progress","data":{"current":1,"total":2},"extra":{"ignored":true}}
            {"v":1,"event":"my_custom","timestamp":1,"data":[1,2,3]}
               \t
            {"v":1,"event":"metrics","timestamp":1,"step":"s","data":{"loss":NaN,"big":Infinity}}
            {"v":1,"event":"message","timestamp":1,"level":"SUCCESS","data":{"content":{"not":"a string"}}}

            """)
        #expect(batch.unreadable.isEmpty)
        #expect(batch.events.count == 5)
        #expect(batch.events[2].payload == .custom(name: "my_custom", data: [1, 2, 3]))
        #expect(batch.events[4].level == .success)
        #expect(batch.events[4].payload == .message(Message(content: #"{"not":"a string"}"#)))
    }

    @Test func brokenLinesAreCountedWithLineNumbersAndSkipped() {
        let good = #"{"v":1,"event":"end","timestamp":1,"data":{}}"#
        let batch = decode([
            good,
            #"{"v":1,"event":"message","timestamp":1,"data":{"content":"trunc"#,  // truncated
            "not json at all",
            #"{"v":1,"event":"progress","timestamp":1,"data":{"current":"one","total":2}}"#,  // wrong type
            #"{"v":1,"event":"run_status","timestamp":1,"data":{"status":"exploded"}}"#,  // unknown status
            #"{"v":1,"event":5,"data":{}}"#,  // event not a string
            #"["an","array"]"#,
            #"{"v":1,"event":"message","timestamp":"noon","data":{"content":"x"}}"#,
            good,
        ].joined(separator: "\n") + "\n")
        #expect(batch.events.count == 2)
        #expect(batch.unreadable.map(\.lineNumber) == [2, 3, 4, 5, 6, 7, 8])
        #expect(batch.unreadable[2].reason.contains("data.current"))
    }

    @Test func aTruncatedLastLineWaitsForItsNewline() {
        var decoder = EventLogDecoder()
        let line = #"{"v":1,"event":"end","timestamp":1,"data":{}}"#
        let bytes = Array((line + "\n" + line.prefix(20)).utf8)
        #expect(decoder.feed(bytes).events.count == 1)
        #expect(decoder.pending.count == 20)
        #expect(decoder.feed(Array(line.dropFirst(20).utf8) + [0x0A]).events.count == 1)
    }

    @Test func aOneMebibyteMessageDecodes() throws {
        let content = String(repeating: "x", count: 1 << 20)
        let event = Event(timestamp: 1, level: .info, payload: .message(Message(content: content)))
        let batch = decode(EventCodec.encodeString(event) + "\n")
        #expect(batch.events == [event])
    }

    @Test func invalidUTF8NeverStopsTheReader() {
        var bytes = Array(#"{"v":1,"event":"message","timestamp":1,"data":{"content":"bad "#.utf8)
        bytes += [0xFF, 0xC3, 0x28, 0xED, 0xA0, 0x80]
        bytes += Array(#""}}"#.utf8) + [0x0A]
        bytes += [0xFE, 0xFF, 0x0A]  // a line of garbage bytes
        bytes += Array(#"{"v":1,"event":"end","timestamp":1,"data":{}}"#.utf8) + [0x0A]
        var decoder = EventLogDecoder()
        let batch = decoder.feed(bytes)
        #expect(batch.events.count + batch.unreadable.count == 3)
        #expect(batch.events.last?.payload == .end)
        #expect(batch.unreadable.contains { $0.lineNumber == 2 })
    }
}

@Suite struct DirectEncodingTests {
    @Test func directEncodingWritesExactlyWhatTheDataTreeWrites() {
        let payloads: [EventPayload] = [
            .progress(ProgressData(current: 3, total: 7, step: "s", elapsed: 1.25, timeRemaining: 1.67)),
            .progress(ProgressData(current: 0, total: 0)),
            .metrics(["loss": 0.5, "epoch": 3, "name": "x\"y", "nested": ["a": [1, nil]]]),
            .metrics([:]),
            .message(Message(content: "hi\n\u{1}", key: "K")),
            .message(Message(content: "")),
            .devEvent(DevEvent(message: "m", data: ["x": 1])),
            .devEvent(DevEvent(message: "m")),
            .end,
            .custom(name: "c", data: [1, "two", nil, true, 2.5]),
            .custom(name: "c", data: .null),
            .runStatus(RunStatusUpdate(status: .failed, action: "a", jobID: "j", error: RunError(type: "T", message: "m"))),
            .actionStatus(ActionStatusUpdate(action: "a", index: 1, total: 2, status: .skipped)),
            .metric(MetricRecord(category: "c", key: "k", value: 1, metrics: ["m": 2])),
            .output(OutputLine(stream: .stderr, text: "t")),
        ]
        for payload in payloads {
            var direct = JSONWriter(), tree = JSONWriter()
            EventCodec.writeData(of: payload, into: &direct)
            tree.write(EventCodec.data(of: payload))
            #expect(direct.string == tree.string)
        }
    }
}
