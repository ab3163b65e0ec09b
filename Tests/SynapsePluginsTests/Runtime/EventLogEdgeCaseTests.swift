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

    /// Read as a long line: its text kept as the writer cuts one, with its whole size.
    @Test func aOneMebibyteMessageDecodes() throws {
        let content = String(repeating: "x", count: 1 << 20)
        let event = Event(timestamp: 1, level: .info, payload: .message(Message(content: content)))
        let batch = decode(EventCodec.encodeString(event) + "\n")
        var cut = Message(content: EventCodec.cappedText(content))
        cut.wholeBytes = 1 << 20
        #expect(batch.events == [Event(timestamp: 1, level: .info, payload: .message(cut))])
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

extension DirectEncodingTests {
    /// `encode` writes known event names and levels as literals and strings through a word-at-a-time
    /// check: the line must be what writing every field as a general JSON string gives.
    @Test func envelopeMatchesTheGeneralWriter() {
        let payloads: [EventPayload] = [
            .progress(ProgressData(current: 1, total: 2)), .metrics(["a": 1]), .message(Message(content: "m")),
            .devEvent(DevEvent(message: "d")), .end, .custom(name: "prediction", data: ["c": "cat"]),
            .custom(name: "we\"ird\n\u{7}name", data: .null), .custom(name: "", data: 1),
            .runStatus(RunStatusUpdate(status: .running)), .actionStatus(ActionStatusUpdate(action: "a", index: 0, status: .running)),
            .metric(MetricRecord(category: "c")), .output(OutputLine(text: "o")),
        ]
        let steps: [String?] = [nil, "", "train", "eight888", "seven77", "with \"quote\" inside, and more", "tab\tat7"]
        let levels: [LogLevel?] = [nil] + LogLevel.allCases
        for payload in payloads {
            for step in steps {
                for level in levels {
                    let event = Event(timestamp: 1764076801.25, step: step, level: level, file: step.map { "/f/\($0)" }, payload: payload)
                    var reference = JSONWriter()
                    reference.writeRaw("{\"v\":1,\"event\":")
                    reference.write(string: payload.name)
                    reference.writeRaw(",\"timestamp\":")
                    reference.write(double: event.timestamp)
                    if let step { reference.writeRaw(",\"step\":"); reference.write(string: step) }
                    if let level { reference.writeRaw(",\"level\":"); reference.write(string: level.rawValue) }
                    if let file = event.file { reference.writeRaw(",\"file\":"); reference.write(string: file) }
                    reference.writeRaw(",\"data\":")
                    reference.write(EventCodec.data(of: payload))
                    reference.writeByte(UInt8(ascii: "}"))
                    #expect(EventCodec.encodeString(event) == reference.string)
                }
            }
        }
    }
}

@Suite struct JSONObjectStorageTests {
    /// A literal with distinct keys adopts its own array; one with a repeated key falls back to
    /// assignment: first position, last value, as Python's `json.loads` and the parser have it.
    @Test func literalsKeepOrderAndTheLastValueOfARepeatedKey() {
        let distinct: JSONObject = ["b": 1, "a": 2, "c": 3]
        #expect(distinct.keys == ["b", "a", "c"])
        let repeated: JSONObject = ["b": 1, "a": 2, "b": 3]
        #expect(repeated.keys == ["b", "a"])
        #expect(repeated["b"] == 3)
        let value: JSONValue = ["x": 1, "x": 2]
        #expect(value.objectValue?.count == 1)
        #expect(value.objectValue?["x"] == 2)
    }

    @Test func keysAreDistinctAtEverySize() {
        for n in [0, 1, 2, 16, 17, 40] {
            let members = (0..<n).map { ("k\($0)", JSONValue.int($0)) }
            #expect(JSONObject.keysAreDistinct(members))
            if n >= 2 {
                var twice = members
                twice[n - 1].0 = "k0"
                #expect(!JSONObject.keysAreDistinct(twice), "n = \(n)")
            }
        }
    }
}
