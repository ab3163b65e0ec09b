import Testing
@testable import SynapsePlugins

@Suite struct EventLogDecoderTests {
    let good = #"{"v":1,"event":"message","timestamp":1.5,"level":"info","data":{"content":"hello"}}"#

    @Test func splitsChunksAnywhereAndWaitsForNewline() {
        let text = Array((good + "\n" + good + "\n" + good).utf8)
        var decoder = EventLogDecoder()
        var events: [Event] = []
        // Feed one byte at a time: every split point is exercised.
        for byte in text { events += decoder.feed([byte]).events }
        #expect(events.count == 2)
        #expect(decoder.pending.count == good.utf8.count)
        events += decoder.finish().events
        #expect(events.count == 3)
        #expect(events.allSatisfy { $0.payload == .message(Message(content: "hello")) && $0.level == .info })
    }

    @Test func reportsBrokenLinesWithNumbersAndKeepsGoing() {
        let lines = [
            good,
            "not json at all",
            #"{"v":1,"event":"progress","timestamp":2,"data":{"current":"five","total":10}}"#,
            #"[1,2,3]"#,
            #"{"v":1,"event":"message","timestamp":3,"data":{"content":"trunc"#,
            "",
            #"{"v":1,"event":"my_custom","timestamp":4,"file":"/x.jpg","data":{"a":1},"extra":"ignored"}"#,
        ]
        var decoder = EventLogDecoder()
        let batch = decoder.feed(Array((lines.joined(separator: "\n") + "\n").utf8))
        #expect(batch.events.count == 2)
        #expect(batch.unreadable.map(\.lineNumber) == [2, 3, 4, 5])
        #expect(batch.unreadable[1].reason == "progress: data.current is a string, expected a number")
        #expect(batch.events[1].payload == .custom(name: "my_custom", data: ["a": 1]))
        #expect(batch.events[1].file == "/x.jpg")
        #expect(decoder.unreadableCount == 4)
    }

    @Test func invalidUTF8InsideAStringIsReplacedNotFatal() {
        var bytes = Array(#"{"v":1,"event":"message","timestamp":1,"data":{"content":"a"#.utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array(#"b"}}"#.utf8) + [0x0A]
        var decoder = EventLogDecoder()
        let batch = decoder.feed(bytes)
        #expect(batch.unreadable.isEmpty)
        #expect(batch.events.first?.payload == .message(Message(content: "a\u{FFFD}\u{FFFD}b")))
    }

    @Test func oneMebibyteLineDecodes() {
        let big = String(repeating: "x", count: 1 << 20)
        let line = #"{"v":1,"event":"message","timestamp":1,"data":{"content":""# + big + "\"}}\n"
        var decoder = EventLogDecoder()
        let bytes = Array(line.utf8)
        var events: [Event] = []
        // In 64 KiB chunks, as a file reader hands it over.
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + 65_536)
            events += decoder.feed(Array(bytes[offset..<end])).events
            offset = end
        }
        #expect(events.count == 1)
        // A long line: its text is cut as the writer cuts one, its whole size kept (the dashboard reads it back).
        if case .message(let m) = events.first?.payload {
            #expect(m.content == EventCodec.cappedText(big) && m.wholeBytes == 1 << 20)
        } else {
            Issue.record("not a message")
        }
    }

    @Test func oversizedLineIsReportedAndTheNextLineStillReads() {
        var decoder = EventLogDecoder()
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
        var unreadable: [UnreadableLine] = []
        for _ in 0..<((EventCodec.maxLineBytes >> 20) + 2) { unreadable += decoder.feed(chunk).unreadable }
        let batch = decoder.feed(Array(("\n" + good + "\n").utf8))
        unreadable += batch.unreadable
        #expect(unreadable.count == 1)
        #expect(unreadable.first?.lineNumber == 1)
        #expect(batch.events.count == 1)
        #expect(decoder.pending.isEmpty)
    }

    @Test func recordsWithoutVersionFromThePythonSDKRead() throws {
        let line = #"{"event": "dev_event", "data": {"message": "probe", "data": {"x": 42}}, "timestamp": 1.0, "file": null, "step": null, "level": "debug"}"#
        let event = try #require(try EventCodec.decodeLine(line))
        #expect(event.payload == .devEvent(DevEvent(message: "probe", data: ["x": 42])))
        #expect(event.level == .debug)
    }

    @Test func markedLinesDecodeAfterAnyPrefix() throws {
        let event = Event(timestamp: 2, level: .warning, payload: .message(Message(content: "careful")))
        let line = "2026-11-25 12:00:00 INFO " + MarkedLine.encode(event)
        let decoded = try #require(MarkedLine.decode(line[...]))
        #expect(try decoded.get() == event)
        #expect(MarkedLine.decode("plain output"[...]) == nil)
    }
}
