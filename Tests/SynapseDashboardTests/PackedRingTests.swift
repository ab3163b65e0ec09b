import Testing
import SynapsePlugins
@testable import SynapseDashboard

/// ``PackedRing`` keeps what ``RingBuffer`` keeps, element for element, with its texts in one byte queue.
@Suite struct PackedRingTests {
    /// Texts of every size (wrapping around the queue's storage and making it grow while wrapped).
    static func texts(seed: UInt64) -> [String] {
        var rng = SplitMix64(seed: seed)
        let tricky = TrickyText.all
        return (0..<4000).map { i in
            let base = tricky[Int(rng.next() % UInt64(tricky.count))]
            // Now and then a long one: several KiB, past the queue's first storage.
            return i % 97 == 0 ? String(repeating: base + "x", count: 1 + Int(rng.next() % 3000)) : base
        }
    }

    @Test(arguments: [1, 3, 17, 250, 5000])
    func messagesAsARingBufferKeepsThem(capacity: Int) {
        var packed = PackedRing<MessageEntry>(capacity: capacity)
        var plain = RingBuffer<MessageEntry>(capacity: capacity)
        let texts = Self.texts(seed: UInt64(capacity))
        for (i, text) in texts.enumerated() {
            let entry = MessageEntry(time: Double(i) * 0.25, level: LogLevel.allCases[i % LogLevel.allCases.count],
                                     text: text, step: i % 3 == 0 ? nil : texts[(i * 7) % texts.count],
                                     cut: i % 5 == 0 ? MessageCut(bytes: 70_000 + i, line: i % 2 == 0 ? i : nil, slack: i % 4) : nil)
            packed.append(entry)
            plain.append(entry)
            if i % 499 == 0 { #expect(packed.elements == plain.elements) }
        }
        #expect(packed.elements == plain.elements)
        #expect(packed.elements.map(\.cut?.line) == plain.elements.map(\.cut?.line))
        #expect(packed.totalAppended == plain.totalAppended && packed.firstSequence == plain.firstSequence)
        #expect(packed[sequence: plain.lastSequence] == plain.last && packed[sequence: plain.firstSequence - 1] == nil)
        // The plain parts, read without the texts, are the element's.
        #expect((plain.firstSequence...plain.lastSequence).allSatisfy { packed.packed(sequence: $0)?.level == plain[sequence: $0]?.level })
        #expect(packed.packed(sequence: plain.lastSequence + 1) == nil)
        // Exactly the kept entries' bytes are kept.
        let kept = plain.elements.reduce(0) { $0 + $1.text.utf8.count + ($1.step?.utf8.count ?? 0) }
        #expect(packed.textBytes == kept)
    }

    @Test func devEventsKeepEachFormOfData() throws {
        // Past the object's hash-index threshold.
        var wide = JSONObject()
        for k in 0..<40 { wide["k\(k)"] = .int(k) }
        let values: [JSONValue?] = [
            nil, .null, .bool(true), .int(Int.min), .int(Int.max), .double(-0.0), .double(1e16), .double(.leastNonzeroMagnitude),
            .double(.infinity), .double(-.infinity), .double(0.1 + 0.2), .string("\u{1B}[31m \"q\" \\ é 🚀"),
            .array([.int(1), .double(2.5), .null, .array([])]),
            .object(["b": 1, "a": ["x": .string("y")], "": .bool(false)]),
            .object(wide),
        ]
        var packed = PackedRing<DevEntry>(capacity: 7)
        var plain = RingBuffer<DevEntry>(capacity: 7)
        for round in 0..<5 {
            for (i, value) in values.enumerated() {
                let message = "step \(round)-\(i) " + String(repeating: "m", count: i * 37)
                let entry = i % 2 == 0
                    ? DevEntry(time: Double(i), event: DevEvent(message: message, data: value))
                    : DevEntry(time: Double(i), event: DevEvent(message: message, dataText: value?.jsonText ?? "null"))
                packed.append(entry)
                plain.append(entry)
                let got = try #require(packed.last)
                #expect(got == entry)
                // The same form: a value stays a value (`null` included), a log's text stays text.
                #expect(got.event.dataText == entry.event.dataText)
                #expect(got.data?.jsonText == entry.data?.jsonText)
            }
        }
        #expect(packed.elements == plain.elements)
    }

    @Test func customEventsKeepDataFileAndStep() throws {
        var packed = PackedRing<CustomEntry>(capacity: 50)
        var plain = RingBuffer<CustomEntry>(capacity: 50)
        let texts = Self.texts(seed: 9)
        for i in 0..<3000 {
            let data: JSONValue = i % 4 == 0 ? .null
                : .object(["class": .string(texts[i]), "confidence": .double(Double(i) / 7), "n": .int(i),
                           "nan": i % 3 == 0 ? .double(-0.0) : .double(Double(i) * 1e15)])
            let entry = CustomEntry(time: Double(i), name: i % 2 == 0 ? "prediction" : texts[(i * 3) % texts.count],
                                    data: data, file: i % 3 == 0 ? nil : "/data/images/img_\(i).jpg",
                                    step: i % 5 == 0 ? texts[(i * 11) % texts.count] : nil)
            packed.append(entry)
            plain.append(entry)
        }
        #expect(packed.elements == plain.elements)
        #expect(try #require(packed.last).file == "/data/images/img_2999.jpg")
    }

    @Test func aCopyKeepsItsEntriesWhileTheOtherGoesOn() {
        var ring = PackedRing<MessageEntry>(capacity: 4)
        for i in 0..<6 { ring.append(MessageEntry(time: Double(i), level: .info, text: "message number \(i) of the first run")) }
        let snapshot = ring
        let before = snapshot.elements
        // The other overwrites every slot and every byte the snapshot reads, and makes its queue grow.
        for i in 0..<50 { ring.append(MessageEntry(time: Double(i), level: .warning, text: String(repeating: "later \(i) ", count: 40))) }
        #expect(snapshot.elements == before)
        #expect(snapshot.elements.map(\.text) == (2..<6).map { "message number \($0) of the first run" })
        #expect(ring.last?.text == String(repeating: "later 49 ", count: 40))
    }

    @Test func emptyAndSingleByteTextsWrapTheQueue() {
        var queue = ByteQueue()
        var positions: [(Int, String)] = []
        for i in 0..<20_000 {
            let text = i % 3 == 0 ? "" : String(repeating: "é", count: i % 7)
            positions.append((queue.append(text), text))
            if positions.count > 10 {
                let (at, old) = positions.removeFirst()
                queue.drop(before: at + old.utf8.count)
            }
            for (at, text) in positions.suffix(3) { #expect(queue.string(at: at, count: text.utf8.count) == text) }
        }
        #expect(queue.count == positions.reduce(0) { $0 + $1.1.utf8.count })
    }
}
