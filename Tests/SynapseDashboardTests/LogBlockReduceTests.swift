import Foundation
import Testing
@testable import SynapsePlugins
@testable import SynapseDashboard

/// Reducing a log from blocks of lines (``DashboardState/ingest(lines:firstLine:)``, and the reader
/// threads `show` and `attach` use) must give exactly the state that applying its events one by one does.
@Suite struct LogBlockReduceTests {
    /// A realistic log with the odd lines a real one may hold.
    static func log(seed: UInt64, events: Int) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var lines: [String] = []
        var t = 1_764_076_800.0
        let steps = ["preprocess", "training", "validation", "データ"]
        var current = [0, 0, 0, 0]
        func encode(_ e: Event) -> String { EventCodec.encodeString(e) }
        lines.append(encode(Event(timestamp: t, payload: .runStatus(RunStatusUpdate(status: .running, action: "train")))))
        for i in 0..<events {
            t += rng.nextUnit() / 100
            let s = rng.below(steps.count)
            switch rng.below(20) {
            case 0...6:
                current[s] = rng.below(30) == 0 ? 0 : current[s] + 1
                lines.append(encode(Event(timestamp: t, step: rng.below(15) == 0 ? nil : steps[s], payload: .progress(ProgressData(
                    current: current[s], total: 1000, elapsed: rng.below(4) == 0 ? nil : Double(i) / 10,
                    timeRemaining: rng.below(3) == 0 ? nil : rng.nextUnit() * 100)))))
            case 7...12:
                var metrics: JSONObject = ["epoch": .int(i / 100), "loss": .double(rng.nextUnit()), "accuracy": .double(rng.nextUnit())]
                if rng.below(10) == 0 { metrics["note"] = .string("text value") }
                if rng.below(20) == 0 { metrics = ["loss": .double(rng.nextUnit()), "epoch": .int(i)] }  // another order
                if rng.below(40) == 0 { metrics["key\(rng.below(300))"] = .int(i) }  // many keys: past the per-step cap
                lines.append(encode(Event(timestamp: t, step: rng.below(10) == 0 ? nil : steps[s], payload: .metrics(metrics))))
            case 13, 14:
                let text = rng.pick(["plain", "with \"quotes\" and \\ and \u{1B}[31mansi", "ünïcödé 😀", "line\nbreak"])
                lines.append(encode(Event(timestamp: t, step: rng.below(2) == 0 ? nil : steps[s],
                                          level: rng.pick([nil, .info, .warning, .success, .danger, .debug]),
                                          payload: .message(Message(content: "\(text) \(i)", key: rng.below(10) == 0 ? "K" : nil)))))
            case 15:
                lines.append(encode(Event(timestamp: t, level: .debug, payload: .devEvent(DevEvent(message: "dev \(i)", data: ["n": .int(i)])))))
            case 16:
                lines.append(encode(Event(timestamp: t, file: "/data/\(i).jpg", payload: .custom(name: "prediction", data: ["c": .double(0.5)]))))
            case 17:
                lines.append(encode(Event(timestamp: t, payload: .output(OutputLine(stream: .stderr, text: "out \(i)")))))
            case 18:
                lines.append(encode(Event(timestamp: t, payload: .actionStatus(ActionStatusUpdate(action: "a", index: rng.below(3), total: 3, status: .running)))))
            default:
                lines.append(rng.pick(["", "   ", "garbage", #"{"v":1,"event":"metrics","timestamp":1,"data":{"a":1,"a":2}}"#,
                                       #"{"v":1,"event":"progress","timestamp":1,"step":"st\u0065p","data":{"current":1,"total":2,"percent":50.0}}"#,
                                       #"{"v":1,"event":"message","timestamp":2,"data":{"content":"unterminated}}"#]))
            }
        }
        // Many steps: past the cap of steps kept.
        for k in 0..<70 {
            lines.append(encode(Event(timestamp: t, step: "extra\(k)", payload: .metrics(["x": .int(k)]))))
        }
        lines.append(encode(Event(timestamp: t + 1, payload: .end)))
        return Array(lines.joined(separator: "\n").utf8)
    }

    /// The reference: every line decoded into an event and applied in order.
    static func eventByEvent(_ bytes: [UInt8]) -> DashboardState {
        var decoder = EventLogDecoder()
        var state = DashboardState()
        state.apply(bytes.withUnsafeBufferPointer { decoder.feed($0) })
        state.apply(decoder.finish())
        return state
    }

    @Test func blocksReduceToTheSameState() {
        for seed: UInt64 in [1, 2, 3] {
            let bytes = Self.log(seed: seed, events: 20_000)
            let reference = Self.eventByEvent(bytes)
            #expect(reference.eventCount > 18_000 && reference.unreadableCount > 0 && !reference.metrics.isEmpty)
            var state = DashboardState()
            bytes.withUnsafeBufferPointer { _ = state.ingest(lines: $0, firstLine: 1) }
            #expect(state == reference, "seed \(seed)")
            // In several calls (the reader's name tables carry over), and the same again.
            var split = DashboardState()
            bytes.withUnsafeBufferPointer { all in
                var at = 0, line = 1
                while at < all.count {
                    var end = min(all.count, at + 5000)
                    while end < all.count, all[end - 1] != 0x0A { end += 1 }
                    line += split.ingest(lines: UnsafeBufferPointer(rebasing: all[at..<end]), firstLine: line)
                    at = end
                }
            }
            #expect(split == reference, "seed \(seed), split")
        }
    }

    /// A message's text goes from the block into the kept ring as bytes, without a String: every form
    /// of text must come out as its String would (invalid UTF-8 made U+FFFD, escapes decoded, a text over
    /// the kept size cut), the ring evicting as it fills.
    @Test func messageTextsOfEveryFormReduceToTheSameState() throws {
        let long = String(repeating: "x", count: DashboardState.maxMessageBytes + 100)
        let texts: [[UInt8]] = [Array("plain ascii".utf8), Array("ünïcödé 😀".utf8), [0x61, 0xFF, 0x62], [0xC3],
                                Array(#"esc\"aped\n \u00e9"#.utf8), Array(long.utf8), [], Array("seven b".utf8),
                                // At the kept size as written, over it once each bad byte is U+FFFD: cut.
                                Array(repeating: 0x61, count: DashboardState.maxMessageBytes - 10) + Array(repeating: 0xFF, count: 10)]
        var lines: [[UInt8]] = []
        for i in 0..<25_000 {
            let head = #"{"v":1,"event":"message","timestamp":\#(i),"step":"s\#(i % 3)","data":{"content":""#
            lines.append(Array(head.utf8) + texts[i % texts.count] + Array(#""}}"#.utf8))
        }
        let bytes = Array(lines.joined(separator: [0x0A]))
        let reference = Self.eventByEvent(bytes)
        var state = DashboardState()
        bytes.withUnsafeBufferPointer { _ = state.ingest(lines: $0, firstLine: 1) }
        #expect(state == reference)
        #expect(state.messages.count == state.messages.capacity && state.messages.droppedCount > 0)
        // The texts as a String reads them, each at its place.
        for sequence in state.messages.lastSequence - 15...state.messages.lastSequence {
            let entry = try #require(state.messages[sequence: sequence])
            let i = Int(entry.time)
            let raw = texts[i % texts.count]
            if i % texts.count == 4 {
                #expect(entry.text == "esc\"aped\n é")
            } else if i % texts.count == 5 {
                #expect(entry.cut?.bytes == raw.count && entry.text.hasSuffix("[truncated: \(raw.count) bytes]"))
            } else if i % texts.count == 8 {
                #expect(entry.cut?.bytes == raw.count + 20)
            } else {
                #expect(entry.text == String(decoding: raw, as: UTF8.self) && entry.cut == nil)
            }
            #expect(entry.step == "s\(i % 3)")
        }
    }

    /// A dev event's message and data text go from the block into the kept ring as bytes too: every form
    /// must come out as the event path keeps it.
    @Test func devEventsOfEveryFormReduceToTheSameState() throws {
        let messages: [[UInt8]] = [Array("batch timing".utf8), Array(#"esc\"aped \u2192"#.utf8), Array("日本".utf8),
                                   [0x61, 0xFF], []]
        let datas: [String?] = [nil, "null", #"{"batch": 23, "ms": 35.761, "shapes": [64, 3, 224, 224]}"#, "1e400",
                                #""caf\u00e9 \n""#, "[]", #"{"deep": {"deeper": [{"x": null}]}}"#]
        var lines: [[UInt8]] = []
        for i in 0..<12_000 {
            var data = Array(#"{"message":""#.utf8) + messages[i % messages.count] + Array(#"""#.utf8)
            if let d = datas[i % datas.count] { data += Array(#", "data": \#(d)"#.utf8) }
            data += Array("}".utf8)
            let head = #"{"event": "dev_event", "data": "#
            let tail = #", "timestamp": \#(i), "file": null, "step": \#(i % 2 == 0 ? "null" : "\"s\""), "level": "debug"}"#
            lines.append(Array(head.utf8) + data + Array(tail.utf8))
        }
        // One with bytes that are not UTF-8 in its data's text.
        lines.append(Array(#"{"event":"dev_event","timestamp":12000,"data":{"message":"m","data":{"k":""#.utf8) + [0xC3, 0x28] + Array(#""}}}"#.utf8))
        let bytes = Array(lines.joined(separator: [0x0A]))
        let reference = Self.eventByEvent(bytes)
        var state = DashboardState()
        bytes.withUnsafeBufferPointer { _ = state.ingest(lines: $0, firstLine: 1) }
        #expect(state == reference)
        #expect(state.devEvents.count == state.devEvents.capacity && state.unreadableCount == 0)
        var reader = LogBlockReader()
        let block = bytes.withUnsafeBufferPointer { reader.read($0) }
        #expect(block.lines.allSatisfy { $0.kind == .devEvent }, "every dev event read compactly")
        for sequence in state.devEvents.lastSequence - 20...state.devEvents.lastSequence {
            let entry = try #require(state.devEvents[sequence: sequence])
            let expected = try #require(reference.devEvents[sequence: sequence])
            #expect(entry.message == expected.message && entry.event.dataText == expected.event.dataText)
            #expect(entry.data == expected.data)
        }
    }

    /// An output line's text goes from the block into the kept ring as bytes, as a message's does: every
    /// form of text and stream must come out as the event path keeps it.
    @Test func outputLinesOfEveryFormReduceToTheSameState() throws {
        let texts: [[UInt8]] = [Array("Epoch 3/100:  45%|████▌     | 450/1000 [00:12<00:15, 35.2it/s]".utf8),
                                Array(#"esc\"aped \u2192 \t tab"#.utf8), Array("日本".utf8), [0x61, 0xFF, 0x62], [],
                                Array(String(repeating: "x", count: 70_000).utf8)]
        let streams: [String?] = [nil, "null", #""stdout""#, #""stderr""#, #""other""#]
        var lines: [[UInt8]] = []
        for i in 0..<12_000 {
            var members = [Array(#""text": ""#.utf8) + texts[i % texts.count] + Array(#"""#.utf8)]
            if let s = streams[i % streams.count] { members.append(Array(#""stream": \#(s)"#.utf8)) }
            if i % 3 == 0 { members.reverse() }
            if i % 7 == 0 { members.append(Array(#""extra": [1, {"a": null}]"#.utf8)) }
            let data = Array("{".utf8) + Array(members.joined(separator: Array(", ".utf8))) + Array("}".utf8)
            let head = i % 2 == 0 ? #"{"event": "output", "data": "# : #"{"v":1,"event":"output","timestamp":\#(i),"data":"#
            let tail = i % 2 == 0 ? #", "timestamp": \#(i), "file": null, "step": \#(i % 4 == 0 ? "null" : "\"s\""), "level": null}"# : "}"
            lines.append(Array(head.utf8) + data + Array(tail.utf8))
        }
        // The general decoder's: a text that is not a string, a stream that is not one, a missing text.
        lines.append(Array(#"{"event":"output","timestamp":12000,"data":{"text":{"a":1},"stream":"stderr"}}"#.utf8))
        lines.append(Array(#"{"event":"output","timestamp":12001,"data":{"text":"t","stream":1}}"#.utf8))
        lines.append(Array(#"{"event":"output","timestamp":12002,"data":{"stream":"stderr"}}"#.utf8))
        lines.append(Array(#"{"event":"output","timestamp":12003,"data":{"text":"t","stream":"std\u0065rr"}}"#.utf8))
        let bytes = Array(lines.joined(separator: [0x0A]))
        let reference = Self.eventByEvent(bytes)
        var state = DashboardState()
        bytes.withUnsafeBufferPointer { _ = state.ingest(lines: $0, firstLine: 1) }
        #expect(state == reference)
        #expect(state.output.count == state.output.capacity && state.unreadableCount == 2)
        var reader = LogBlockReader()
        let block = bytes.withUnsafeBufferPointer { reader.read($0) }
        #expect(block.lines.prefix(12_000).allSatisfy { $0.kind == .output }, "every output line read compactly")
        #expect(block.decodedEvents().count == reference.eventCount)
        var stderr = 0
        for sequence in state.output.firstSequence...state.output.lastSequence {
            let entry = try #require(state.output[sequence: sequence])
            let expected = try #require(reference.output[sequence: sequence])
            #expect(entry == expected)
            if entry.stream == .stderr { stderr += 1 }
        }
        #expect(stderr > 1_000, "stderr lines kept as stderr")
        let last = try #require(state.output.last)
        #expect(last.stream == .stderr && last.text == "t", "a stream written with escapes read as the general decoder reads it")
    }

    /// A custom record's name, data text and file go from the block into the kept ring as bytes, its data
    /// as the log wrote it: every form must read back as the event path keeps it; the names whose data the
    /// reducer reads (step proportions, system samples, log gaps) still travel as events.
    @Test func customRecordsOfEveryFormReduceToTheSameState() throws {
        let names = ["prediction", "checkpoint", "caf\u{E9}"]
        let datas = [#"{"class": "truck", "confidence": 0.1853}"#, "null", "[1, 2.5, -0.0, 1e400]", #""a \"b\" \u00e9""#,
                     #"{"a": 1, "a": 2}"#, #"{"deep": {"deeper": [{"x": null, "y": true}]}}"#, "0.0", "-12"]
        let files = [nil, "null", #""/data/images/img_3.jpg""#, #""/d/caf\u00e9.jpg""#, "\"/d/\u{E9}t\u{E9}.png\""]
        var lines: [[UInt8]] = []
        for i in 0..<9_000 {
            var line = #"{"event": "\#(names[i % names.count])", "data": \#(datas[i % datas.count]), "timestamp": \#(i)"#
            if let file = files[i % files.count] { line += #", "file": \#(file)"# }
            line += i % 4 == 0 ? #", "step": "s", "level": null}"# : "}"
            lines.append(Array(line.utf8))
        }
        // Bytes that are not UTF-8 in a data string and in a file.
        lines.append(Array(#"{"event":"prediction","timestamp":9000,"data":{"k":""#.utf8) + [0xC3, 0x28] + Array(#""},"file":"x"#.utf8) + [0xFF] + Array(#""}"#.utf8))
        // The reducer reads these ones' data.
        lines.append(Array(#"{"event":"step_proportions","timestamp":9001,"data":{"train":3,"eval":1}}"#.utf8))
        lines.append(Array(#"{"event":"system","timestamp":9002,"data":{"cpu":12.5,"rss":1048576}}"#.utf8))
        lines.append(Array(#"{"event":"log_gap","timestamp":9003,"data":{"lost":7}}"#.utf8))
        let bytes = Array(lines.joined(separator: [0x0A]))
        let reference = Self.eventByEvent(bytes)
        var state = DashboardState()
        bytes.withUnsafeBufferPointer { _ = state.ingest(lines: $0, firstLine: 1) }
        #expect(state == reference)
        #expect(state.customEvents.count == state.customEvents.capacity && state.unreadableCount == 0)
        var reader = LogBlockReader()
        let block = bytes.withUnsafeBufferPointer { reader.read($0) }
        #expect(block.lines.filter { $0.kind == .custom }.count == lines.count - 3, "every custom record but the three read compactly")
        #expect(Self.expectSameEvents(block, bytes))
        for sequence in state.customEvents.lastSequence - 30...state.customEvents.lastSequence {
            let entry = try #require(state.customEvents[sequence: sequence])
            let expected = try #require(reference.customEvents[sequence: sequence])
            #expect(entry.name == expected.name && entry.data == expected.data && entry.file == expected.file && entry.step == expected.step)
        }
    }

    /// The block's events are the decoder's, one for one (written out, so a NaN compares as it is written).
    static func expectSameEvents(_ block: LogBlock, _ bytes: [UInt8]) -> Bool {
        var decoder = EventLogDecoder()
        let expected = bytes.withUnsafeBufferPointer { decoder.feed($0) }.events + decoder.finish().events
        let events = block.decodedEvents()
        return events.map(EventCodec.encodeString) == expected.map(EventCodec.encodeString)
    }

    /// Metrics whose keys change order from line to line (Swift and Python records in one log), repeat a
    /// key, add one, or hold a counter whose first value was not a number: blocks and events agree.
    @Test func metricsInAnyKeyOrderReduceToTheSameState() throws {
        var lines: [String] = []
        var t = 1_764_076_800.0
        func add(_ step: String?, _ data: String) {
            t += 0.5
            let stepField = step.map { ",\"step\":\"" + $0 + "\"" } ?? ""
            lines.append(#"{"v":1,"event":"metrics","timestamp":"# + "\(t)" + stepField + #","data":"# + data + "}")
        }
        add("t", #"{"epoch":null,"loss":1}"#)  // a counter not adopted yet (not a number)
        add("t", #"{"loss":0.9,"epoch":1}"#)
        add("t", #"{"epoch":2,"loss":0.8}"#)
        add("t", #"{"loss":0.7,"loss":0.6,"epoch":3}"#)  // a repeated key
        add("t", #"{"acc":0.5,"loss":0.5,"epoch":4}"#)  // a new key
        add("u", #"{"epoch":"one","x":1}"#)
        add("u", #"{"epoch":1,"x":2}"#)  // the same order: the counter is adopted now
        for i in 5..<60 {
            let keys = [#""epoch":\#(i)"#, #""acc":0.\#(i)"#, #""loss":\#(1.0 / Double(i))"#]
            let order = [[0, 1, 2], [2, 1, 0], [1, 0, 2], [2, 0], [1]][i % 5]
            add("t", "{" + order.map { keys[$0] }.joined(separator: ",") + "}")
            add("v", i % 2 == 0 ? #"{"val_loss":\#(i),"val_acc":1}"# : #"{"val_acc":2,"val_loss":\#(i)}"#)  // borrows t's epoch
            add(nil, #"{"b":\#(i),"a":1}"#)
            // A step with more metrics than are found by comparing names (they are then hashed).
            let wide = (0..<20).map { #""k\#($0)":\#(i * 20 + $0)"# }
            add("w", "{" + (i == 5 ? wide : Array(wide[(i % 7)..<(i % 7 + 12)].reversed())).joined(separator: ",") + "}")
        }
        let bytes = Array(lines.joined(separator: "\n").utf8)
        let reference = Self.eventByEvent(bytes)
        var state = DashboardState()
        bytes.withUnsafeBufferPointer { _ = state.ingest(lines: $0, firstLine: 1) }
        #expect(state == reference)
        let training = try #require(state.metrics.first { $0.step == "t" })
        #expect(training.counterName == "epoch")
        #expect(state.metrics.first { $0.step == "v" }?.counterName == "epoch")
        #expect(state.metrics.first { $0.step == "u" }?.counterName == "epoch")
        #expect(try #require(state.metrics.first { $0.step == "w" }).entries.count == 20)
        #expect(reference.eventCount == lines.count)
    }

    @Test func theReaderThreadsOfShowReduceToTheSameState() throws {
        let bytes = Self.log(seed: 9, events: 60_000)  // several 1 MiB chunks
        let folder = NSTemporaryDirectory() + "synapse-blocks-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/events.jsonl"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let queue = try EventQueue()
        let tailer = try EventLogTailer(path: path, follow: false)
        tailer.start(into: queue)
        defer { tailer.stop() }
        var state = DashboardState()
        queue.consumeUntilFinished(events: { state.apply($0) }, notice: { state.apply($0) })
        let reference = Self.eventByEvent(bytes)
        #expect(bytes.count > 3 << 20)
        #expect(state == reference)
        #expect(state.lastUnreadable == reference.lastUnreadable && reference.lastUnreadable != nil)
    }
}
