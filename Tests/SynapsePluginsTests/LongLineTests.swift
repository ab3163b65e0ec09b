import Foundation
import Testing
@_spi(Fuzzing) @testable import SynapsePlugins

/// A line over ``EventLogDecoder/longLineBytes`` is read piece by piece (``LongLineShortener``) and must read
/// exactly as the whole line does with every string over the kept size cut to ``EventCodec/cappedText(_:)``:
/// same record, same keys in any order, same escapes, and for a bad line the same reason at the same byte.
/// Checked with small sizes (every line long, strings cut at a few bytes) on generated and broken lines, and
/// at the real sizes on messages of several hundred KiB.
@Suite struct LongLineTests {
    // MARK: What the whole line gives, cut

    /// The whole line's reading with its long strings cut: the event (a cut message knowing its whole size),
    /// or the whole line's error.
    static func expected(_ line: [UInt8], limit: Int) -> Result<Event?, EventDecodingError> {
        let whole = EventScannerTests.shipped(line)
        guard case .success(let event?) = whole else { return whole }
        // Valid: the same record with its strings cut (parsed again from the cut JSON, keys in their order).
        let value = try? line.withUnsafeBufferPointer { buffer -> JSONValue? in
            guard let (start, end) = EventCodec.recordBounds(buffer) else { return nil }
            return try JSONParser.parse(UnsafeBufferPointer(rebasing: buffer[start..<end]))
        }
        guard let value else { return .failure(EventDecodingError("the whole line read, its JSON did not")) }
        var writer = JSONWriter()
        writer.write(FuzzingHooks.capped(value, limit))
        var cut = EventScannerTests.shipped(writer.bytes)
        if case .success(var c?) = cut, case .message(let m) = event.payload, m.content.utf8.count > limit,
           case .message(var cm) = c.payload {
            cm.wholeBytes = m.content.utf8.count
            c.payload = .message(cm)
            cut = .success(c)
        }
        return cut
    }

    static func same(_ a: Result<Event?, EventDecodingError>, _ b: Result<Event?, EventDecodingError>) -> Bool {
        guard EventScannerTests.same(a, b) else { return false }
        if case .success(let x?) = a, case .success(let y?) = b, case .message(let m) = x.payload, case .message(let n) = y.payload {
            return m.wholeBytes == n.wholeBytes
        }
        return true
    }

    // MARK: Generated lines

    /// Text of every kind a string can hold: plain, escapes of every form, surrogate pairs and lone halves,
    /// raw non-ASCII, raw invalid UTF-8.
    static func text(_ rng: inout SplitMix64, pieces: Int) -> [UInt8] {
        let parts: [[UInt8]] = [
            Array("plain text ".utf8), Array("x".utf8), Array("  ".utf8), Array(#"\""#.utf8), Array(#"\\"#.utf8),
            Array(#"\/"#.utf8), Array(#"\b\f\n\r\t"#.utf8), Array(#"\u00e9"#.utf8), Array(#"\u20AC"#.utf8),
            Array(#"\ud83d\ude00"#.utf8), Array(#"\ud83d"#.utf8), Array(#"\ude00"#.utf8), Array(#"\ud83d\u0041"#.utf8),
            Array(#"\ud83d\n"#.utf8), Array(#"\ud83d\ud83d\ude00"#.utf8), Array("üñï €😀".utf8), [0xFF], [0xC3], [0x80, 0x80],
            [0xE2, 0x82], [0xF0, 0x9F, 0x98],
        ]
        var out: [UInt8] = []
        for _ in 0..<pieces { out += rng.pick(parts) }
        return out
    }

    static func quoted(_ rng: inout SplitMix64, long: Bool) -> [UInt8] {
        [0x22] + text(&rng, pieces: long ? 4 + rng.below(100) : rng.below(3)) + [0x22]
    }

    /// A record with long strings where they may be: message texts and keys, steps, custom data (values and
    /// keys, nested), output text, dev messages; keys in any order, extra keys, whitespace.
    static func line(_ rng: inout SplitMix64) -> [UInt8] {
        func s(_ long: Bool = true) -> [UInt8] { quoted(&rng, long: long && rng.below(3) != 0) }
        let space: [UInt8] = rng.below(4) == 0 ? [0x20] : []
        var members: [[UInt8]] = []
        let kind = rng.below(6)
        let name: String
        var data: [UInt8]
        switch kind {
        case 0, 1:
            name = "message"
            var inner = [Array(#""content":"#.utf8) + s()]
            if rng.below(2) == 0 { inner.append(Array(#""key":"#.utf8) + s()) }
            if rng.below(3) == 0 { inner.append(s() + Array(":".utf8) + s()) }
            if rng.below(2) == 0 { inner.reverse() }
            data = [0x7B] + Array(inner.joined(separator: Array((",\(space.isEmpty ? "" : " ")").utf8))) + [0x7D]
        case 2:
            name = "custom_\(rng.below(3))"
            data = Array(#"{"a":"#.utf8) + s() + Array(#","n":[1,"#.utf8) + s() + [0x2C] + s() + Array(#":{"#.utf8) + s()
                + Array(":2}],".utf8) + s() + Array(":true}".utf8)
        case 3:
            name = "output"
            data = Array(#"{"stream":"stdout","text":"#.utf8) + s() + [0x7D]
        case 4:
            name = "dev_event"
            data = Array(#"{"message":"#.utf8) + s() + Array(#","data":{"x":"#.utf8) + s() + Array("}}".utf8)
        default:
            name = "progress"
            data = Array(#"{"current":3,"total":9}"#.utf8)
        }
        members.append(Array(#""event":"\#(name)""#.utf8))
        members.append(Array(#""timestamp":1764000000.5"#.utf8))
        if rng.below(2) == 0 { members.append(Array(#""step":"#.utf8) + s(rng.below(3) == 0)) }
        if rng.below(3) == 0 { members.append(Array(#""level":"warning""#.utf8)) }
        if rng.below(3) == 0 { members.append(Array(#""extra":"#.utf8) + s()) }
        members.append(Array(#""data":"#.utf8) + space + data)
        for i in stride(from: members.count - 1, to: 0, by: -1) { members.swapAt(i, rng.below(i + 1)) }
        return space + [0x7B] + Array(members.joined(separator: [0x2C] + space)) + [0x7D] + space
    }

    /// `line`, broken now and then: a byte replaced by one that breaks a string or the structure, a bad
    /// escape, cut short, or garbage after it.
    static func broken(_ line: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var out = line
        guard !out.isEmpty else { return out }
        switch rng.below(8) {
        case 0: out[rng.below(out.count)] = rng.pick([0x01, 0x0A - 1, 0x22, 0x7D, 0x2C, 0x5C, 0x3A])
        case 1: out.insert(contentsOf: rng.pick([Array(#"\x"#.utf8), Array(#"\u12G4"#.utf8), Array(#"\ud83d\u12"#.utf8), [0x1F]]),
                           at: rng.below(out.count))
        case 2: out.removeLast(rng.below(out.count))
        case 3: out += Array(rng.pick(["x", " ,", "}", "\\u00"]).utf8)
        case 4: out.removeLast(rng.below(min(out.count, 14)))
        default: break
        }
        return out
    }

    /// Decodes `log` with every line read as a long one (strings cut at `limit`), fed in chunks of random
    /// sizes: through the event decoder, and through the block reader.
    static func streamed(_ log: [UInt8], limit: Int, _ rng: inout SplitMix64) -> (events: [Event], unreadable: [UnreadableLine], blocks: [LogBlock]) {
        var decoder = EventLogDecoder(longLineBytes: 0, keptStringBytes: limit)
        var lineDecoder = EventLogDecoder(longLineBytes: 0, keptStringBytes: limit)
        var reader = LogBlockReader()
        var events: [Event] = [], unreadable: [UnreadableLine] = [], blocks: [LogBlock] = []
        var next = 1
        func add(_ block: LogBlock) {
            var block = block
            block.firstLine = next
            next += block.lineCount
            blocks.append(block)
        }
        log.withUnsafeBufferPointer { all in
            var at = 0
            while at < all.count {
                let end = min(all.count, at + 1 + rng.below(rng.below(2) == 0 ? 7 : 600))
                let chunk = UnsafeBufferPointer(rebasing: all[at..<end])
                decoder.feed(chunk, onEvent: { events.append($0) }, onUnreadable: { unreadable.append($0) })
                lineDecoder.feedLines(chunk, onLines: { add(reader.read($0)) }, onLongLine: { add(reader.read($0)) },
                                      onOversized: { Issue.record("nothing here is over the limit") })
                at = end
            }
        }
        let last = decoder.finish()
        events += last.events
        unreadable += last.unreadable
        lineDecoder.finishLines(onLines: { add(reader.read($0)) }, onLongLine: { add(reader.read($0)) },
                                onOversized: { Issue.record("nothing here is over the limit") })
        return (events, unreadable, blocks)
    }

    /// FuzzDecoder's finding (round 12): a line with a byte order mark whose record fails (no
    /// `data.content`), read with strings over 2 bytes cut. The long-line reader cut its keys as it cuts any
    /// string; the fuzz target's reference read the line uncut because the mark kept it from parsing the JSON.
    @Test func aByteOrderMarkLineIsComparedCut() throws {
        let line = Array(#"{"v":1,"event":"message","timestamp":1,"fvellevel":"warning","data":{"conInttent":"x\u0016y","key":"k"}}"#.utf8)
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + line + Array("\n1".utf8)
        // Split where the fuzz target split it: the first byte modulo the size plus one.
        let split = Int(bytes[0]) % (bytes.count + 1)
        let difference = bytes.withUnsafeBufferPointer { all in
            FuzzingHooks.longLineDifference(all, chunks: [UnsafeBufferPointer(rebasing: all[..<split]),
                                                          UnsafeBufferPointer(rebasing: all[split...])], limit: 2)
        }
        #expect(difference == nil, "\(difference ?? "")")
    }

    /// FuzzDecoder's findings (round 13, seeds 0, 7 and 3 twice): a line whose trailing whitespace begins inside
    /// a string. The whole-line decoder trimmed it first and reported what the shorter line lacked (an
    /// unterminated string; a literal cut short, unexpectedly ended); read piece by piece, and by the parser
    /// on the line as it is, the first fault is met before that whitespace (the control character; the
    /// invalid literal). Both paths now report that one, at the same byte.
    @Test(arguments: [
        [84, 125, 139, 190, 91, 123, 0, 44, 34, 57, 13, 13, 13, 117, 10, 123, 34, 118, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13],
        [73, 110, 116, 123, 34, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 10, 10, 10, 10, 92, 98, 92, 98, 92, 116, 116, 103, 9, 38, 73, 9],
        [32, 83, 116, 114, 63, 32, 32, 34, 239, 187, 191, 32, 32, 50, 32, 10, 32, 123, 34, 49, 55, 57, 55, 54, 57, 51, 49, 51, 52, 56, 54, 50, 51, 49, 53, 55, 191, 32, 32, 13, 32, 10, 32, 123, 34, 101, 118, 101, 110, 116, 34, 58, 255, 255, 255, 7, 49],
    ] as [[UInt8]])
    func trailingWhitespaceInsideAStringGivesOneReason(bytes: [UInt8]) throws {
        // The input as the fuzzer found it, split and limited where the target does.
        let split = Int(bytes[0]) % (bytes.count + 1), limit = 1 + Int(bytes.last!) % 48
        let difference = bytes.withUnsafeBufferPointer { all in
            FuzzingHooks.longLineDifference(all, chunks: [UnsafeBufferPointer(rebasing: all[..<split]),
                                                          UnsafeBufferPointer(rebasing: all[split...])], limit: limit)
        }
        #expect(difference == nil, "\(difference ?? "")")
    }

    @Test(arguments: [
        ("{\"v\r\r\r", "not JSON: control character in string at byte 3"),
        ("Int{\"\t\t\t\t\t", "not JSON: invalid literal at byte 0"),
        ("{\"a  \r ", "not JSON: control character in string at byte 5"),
        // Past the record's end a fault is reported where the record ends, as before.
        ("{\"a\"\t\t", "not JSON: expected ':' at byte 4"),
    ])
    func aFaultBeforeTheTrailingWhitespaceIsTheOneReported(line: String, expected: String) throws {
        let reason = try #require(Array(line.utf8).withUnsafeBufferPointer { line -> String? in
            do throws(EventDecodingError) { _ = try EventCodec.decodeLine(line); return nil } catch { return error.reason }
        })
        #expect(reason == expected)
    }

    @Test(arguments: [8, 16, 40, 200])
    func longLinesReadAsTheWholeLinesCut(limit: Int) {
        var rng = SplitMix64(seed: 13_000 + UInt64(limit))
        var lines: [[UInt8]] = []
        for _ in 0..<600 {
            let l = Self.line(&rng)
            lines.append(rng.below(3) == 0 ? Self.broken(l, &rng) : l)
        }
        // A line with a newline inside was broken into two: each is checked as a line of its own.
        let log = Array(lines.joined(separator: [0x0A]))
        let split = log.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        var expectedEvents: [Event] = []
        var expectedUnreadable: [UnreadableLine] = []
        var readable = 0, cut = 0
        for (i, line) in split.enumerated() {
            switch Self.expected(line, limit: limit) {
            case .success(let event?):
                expectedEvents.append(event)
                readable += 1
                if EventCodec.encodeString(event).contains("[truncated: ") { cut += 1 }
            case .success(nil): break
            case .failure(let error): expectedUnreadable.append(UnreadableLine(lineNumber: i + 1, reason: error.reason))
            }
        }
        // The generator reaches what it must: cut strings, and bad lines of every kind.
        #expect(cut > 100 && expectedUnreadable.count > 50 && readable > 300, "cut \(cut), unreadable \(expectedUnreadable.count)")

        let got = Self.streamed(log, limit: limit, &rng)
        #expect(got.events.count == expectedEvents.count)
        for (k, (a, b)) in zip(got.events, expectedEvents).enumerated() where !Self.same(.success(a), .success(b)) {
            Issue.record("event \(k): \(EventCodec.encodeString(a)) != \(EventCodec.encodeString(b))")
            break
        }
        #expect(got.unreadable.count == expectedUnreadable.count)
        for (a, b) in zip(got.unreadable, expectedUnreadable) where a != b {
            Issue.record("\(a) != \(b): \(String(decoding: split[b.lineNumber - 1], as: UTF8.self).debugDescription)")
            break
        }
        let fromBlocks = got.blocks.flatMap { $0.decodedEvents() }
        #expect(fromBlocks.count == expectedEvents.count)
        for (k, (a, b)) in zip(fromBlocks, expectedEvents).enumerated() where !Self.same(.success(a), .success(b)) {
            Issue.record("block event \(k): \(EventCodec.encodeString(a)) != \(EventCodec.encodeString(b))")
            break
        }
        #expect(got.blocks.flatMap(\.unreadable) == expectedUnreadable, "blocks")
    }

    /// Reading a long string's text in windows gives the size `String(decoding:)` gives the whole: invalid
    /// sequences never span a window's edge.
    @Test func windowedCountsMatchTheWholeText() {
        var rng = SplitMix64(seed: 77)
        let alphabet: [[UInt8]] = [[0x41], [0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80], [0x80], [0xBF], [0xC3],
                                   [0xE2, 0x82], [0xF0, 0x9F], [0xFF], [0xF4, 0x90, 0x80, 0x80], [0xED, 0xA0, 0x80]]
        for _ in 0..<200 {
            var bytes: [UInt8] = []
            for _ in 0..<rng.below(400) { bytes += rng.pick(alphabet) }
            var window: [UInt8] = [], counted = 0
            var at = 0
            while at < bytes.count {
                let end = min(bytes.count, at + 1 + rng.below(9))
                window += bytes[at..<end]
                at = end
                if window.count >= 6 {
                    let split = LongLineShortener.safeSplit(window)
                    counted += LongLineShortener.repairedCount(window[..<split])
                    window.removeFirst(split)
                }
            }
            counted += LongLineShortener.repairedCount(window)
            #expect(counted == String(decoding: bytes, as: UTF8.self).utf8.count)
        }
    }

    // MARK: Real sizes

    /// A log with messages of 300 KiB to 2 MiB (escapes, non-ASCII) among normal records: read as `show`
    /// reads it (blocks, long lines shortened), the dashboard's reducer gets what it gets from whole lines —
    /// the same first 64 KiB of each text and its whole size — while no line is ever held whole.
    @Test func bigMessagesReadInTheMemoryOfTheirPrefix() throws {
        var rng = SplitMix64(seed: 7)
        var lines: [String] = []
        var texts: [String] = []
        for i in 0..<6 {
            let unit = "line \(i): \"quoted\"\tüñï € \u{1F600}\n"
            let text = String(repeating: unit, count: (300_000 + rng.below(1_800_000)) / unit.utf8.count)
            texts.append(text)
            lines.append(EventCodec.encodeString(Event(timestamp: Double(i), step: "s", level: .warning, payload: .message(Message(content: text)))))
            lines.append(#"{"v":1,"event":"metrics","timestamp":\#(i),"step":"s","data":{"loss":\#(i)}}"#)
        }
        let log = Array((lines.joined(separator: "\n") + "\n").utf8)
        var decoder = EventLogDecoder()
        var reader = LogBlockReader()
        var blocks: [LogBlock] = []
        var longest = 0
        log.withUnsafeBufferPointer { all in
            var at = 0
            while at < all.count {
                let end = min(all.count, at + (256 << 10))
                decoder.feedLines(UnsafeBufferPointer(rebasing: all[at..<end]), onLines: { blocks.append(reader.read($0)) },
                                  onLongLine: { long in
                                      longest = max(longest, long.bytes.count)
                                      blocks.append(reader.read(long))
                                  }, onOversized: {})
                // The line under way is never kept whole past the long-line size.
                #expect(decoder.pending.count <= EventLogDecoder.longLineBytes)
                at = end
            }
        }
        #expect(longest < 80_000, "a shortened message line holds \(longest) bytes")
        let messages = blocks.flatMap { $0.decodedEvents() }.compactMap { event -> Message? in
            if case .message(let m) = event.payload { return m }
            return nil
        }
        try #require(messages.count == texts.count)
        for (m, text) in zip(messages, texts) {
            #expect(m.content == EventCodec.cappedText(text))
            #expect(m.wholeBytes == text.utf8.count)
        }
        #expect(blocks.reduce(0) { $0 + $1.byteCount } < 1_000_000)
    }

    /// What waits between the readers and the screen is bounded in bytes too: a few blocks of long lines are
    /// few lines but much memory.
    @Test func theQueueWaitsForRoomInBytes() throws {
        let queue = try EventQueue()
        var block = LogBlock()
        block.lineCount = 1
        block.byteCount = 5 << 20
        queue.post(.lines(block))
        #expect(queue.waitForRoom(below: 1000, timeout: 0))
        #expect(!queue.waitForRoom(below: 1000, bytes: 4 << 20, timeout: 0))
        var events: [Event] = [], notices: [QueuedNotice] = []
        queue.drain(events: &events, notices: &notices)
        #expect(queue.waitForRoom(below: 1000, bytes: 4 << 20, timeout: 0))
    }
}

