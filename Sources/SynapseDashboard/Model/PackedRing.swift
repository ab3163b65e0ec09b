import SynapsePlugins

/// An element a ``PackedRing`` keeps as a record of plain values, its texts in the ring's one ``ByteQueue``.
package protocol RingPackable: Sendable {
    /// The element without its texts: plain values, and where its bytes lie.
    associatedtype Packed: Sendable
    /// Appends the element's texts to `bytes` and returns the rest of it.
    func pack(into bytes: inout ByteQueue) -> Packed
    /// The element again, its texts read from `bytes`.
    init(unpacking packed: Packed, from bytes: ByteQueue)
    /// Where the packed element's bytes end: the next element's begin there.
    static func end(of packed: Packed) -> Int
}

/// A ``RingBuffer`` for elements with texts: each kept element is a record of plain values and its texts
/// lie in one byte queue, first in first out as the elements are.
///
/// Entries holding heap objects of their own (a message's text, a custom event's members), thousands kept
/// and each released long after, cost the ingest 2-10 % of its CPU (docs/benchmarks.md, round 20).
/// Elements are made again when read: a pane reads a screenful.
package struct PackedRing<Element: RingPackable>: Sendable {
    private var slots: RingBuffer<Element.Packed>
    private var bytes = ByteQueue()

    /// Creates an empty ring keeping at most `capacity` elements (at least 1).
    package init(capacity: Int) {
        slots = RingBuffer(capacity: capacity)
    }

    /// The most elements kept.
    package var capacity: Int { slots.capacity }
    /// Elements appended since creation, including those already dropped; the next sequence number.
    package var totalAppended: Int { slots.totalAppended }
    /// Elements currently kept.
    package var count: Int { slots.count }
    /// `true` when nothing is kept.
    package var isEmpty: Bool { slots.isEmpty }
    /// Sequence number of the oldest kept element.
    package var firstSequence: Int { slots.firstSequence }
    /// Sequence number of the newest element, or -1 when empty.
    package var lastSequence: Int { slots.lastSequence }
    /// Elements dropped because the ring was full.
    package var droppedCount: Int { slots.droppedCount }
    /// Bytes of text kept for the kept elements.
    package var textBytes: Int { bytes.count }

    /// Appends an element, dropping the oldest when full. O(1) amortised, plus its texts' bytes.
    package mutating func append(_ element: Element) {
        append { element.pack(into: &$0) }
    }

    /// Appends the element `pack` writes into the ring's bytes: for a caller holding the element's texts
    /// as bytes, so no String is made to be copied from.
    package mutating func append(packing pack: (inout ByteQueue) -> Element.Packed) {
        // The oldest element's texts are the oldest bytes: forgotten before the new ones go in.
        if slots.count == slots.capacity { bytes.drop(before: Element.end(of: slots[position: 0])) }
        slots.append(pack(&bytes))
    }

    /// The kept element at position `i` (0 = oldest kept).
    package subscript(position i: Int) -> Element { Element(unpacking: slots[position: i], from: bytes) }

    /// The element with sequence number `sequence`, or `nil` when it was dropped or not yet appended.
    package subscript(sequence sequence: Int) -> Element? {
        slots[sequence: sequence].map { Element(unpacking: $0, from: bytes) }
    }

    /// The plain parts of the element with sequence number `sequence`, without making it (no text read).
    package func packed(sequence: Int) -> Element.Packed? { slots[sequence: sequence] }

    /// The newest element.
    package var last: Element? { slots.last.map { Element(unpacking: $0, from: bytes) } }

    /// The kept elements, oldest first (allocates; for tests and small rings).
    package var elements: [Element] { (0..<count).map { self[position: $0] } }
}

extension PackedRing: Equatable where Element: Equatable {
    /// Same capacity, same count of elements ever appended, and the same kept elements in order.
    package static func == (lhs: PackedRing, rhs: PackedRing) -> Bool {
        lhs.capacity == rhs.capacity && lhs.totalAppended == rhs.totalAppended && lhs.elements == rhs.elements
    }
}

/// Bytes first in, first out, at positions counted from the first byte ever appended; its storage grows
/// to hold the bytes kept at most, and is reused as the oldest are dropped. A copy shares the storage until
/// either appends (copy on write, as an `Array`).
package struct ByteQueue: Sendable {
    /// A power of two bytes (or none); position `p` lies at `p & (capacity - 1)`. Written only while
    /// uniquely referenced.
    private final class Storage: @unchecked Sendable {
        let bytes: UnsafeMutablePointer<UInt8>
        let capacity: Int
        init(capacity: Int) {
            self.capacity = capacity
            bytes = .allocate(capacity: Swift.max(1, capacity))
        }
        deinit { bytes.deallocate() }
    }
    private var storage = Storage(capacity: 0)
    /// Position of the oldest byte kept.
    package private(set) var start = 0
    /// Position after the newest byte.
    package private(set) var end = 0

    /// Bytes kept.
    package var count: Int { end - start }

    /// Appends `bytes`; returns the position of the first.
    @discardableResult
    package mutating func append(_ bytes: UnsafeRawBufferPointer) -> Int {
        let position = end
        guard let source = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), !bytes.isEmpty else { return position }
        if count + bytes.count > storage.capacity || !isKnownUniquelyReferenced(&storage) {
            reallocate(toHold: count + bytes.count)
        }
        Self.copy(source, count: bytes.count, to: position, in: storage)
        end += bytes.count
        return position
    }

    /// Appends the UTF-8 bytes of `text`; returns the position of the first.
    @discardableResult
    package mutating func append(_ text: String) -> Int {
        if let position = text.utf8.withContiguousStorageIfAvailable({ append(UnsafeRawBufferPointer($0)) }) {
            return position
        }
        var text = text
        return text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Appends `text` when there is one; returns its bytes' count, -1 for none (read back with
    /// ``string(at:optionalCount:)``).
    package mutating func append(optional text: String?) -> Int {
        guard let text else { return -1 }
        let at = append(text)
        return end - at
    }

    /// ``append(optional:)-(String?)`` for UTF-8 bytes.
    package mutating func append(optional bytes: UnsafeRawBufferPointer?) -> Int {
        guard let bytes else { return -1 }
        let at = append(bytes)
        return end - at
    }

    /// The text ``append(optional:)`` put at `position`: nil for a count of -1.
    package func string(at position: Int, optionalCount count: Int) -> String? {
        count < 0 ? nil : string(at: position, count: count)
    }

    /// Forgets the bytes before `position`.
    package mutating func drop(before position: Int) {
        start = Swift.max(start, Swift.min(position, end))
    }

    /// The UTF-8 text of the `count` bytes at `position` (kept bytes; they were appended as valid UTF-8).
    package func string(at position: Int, count: Int) -> String {
        precondition(position >= start && count >= 0 && position + count <= end, "bytes no longer kept")
        guard count > 0 else { return "" }
        let at = position & (storage.capacity - 1)
        if at + count <= storage.capacity {
            return String(decoding: UnsafeBufferPointer(start: storage.bytes + at, count: count), as: UTF8.self)
        }
        // Wrapped around the storage's end: the two parts joined.
        let first = storage.capacity - at
        return String(unsafeUninitializedCapacity: count) { out in
            out.baseAddress!.update(from: storage.bytes + at, count: first)
            (out.baseAddress! + first).update(from: storage.bytes, count: count - first)
            return count
        }
    }

    /// Copies `count` bytes to `position`'s place in `storage`, wrapping around its end.
    private static func copy(_ source: UnsafePointer<UInt8>, count: Int, to position: Int, in storage: Storage) {
        let at = position & (storage.capacity - 1)
        let first = Swift.min(count, storage.capacity - at)
        (storage.bytes + at).update(from: source, count: first)
        if first < count { storage.bytes.update(from: source + first, count: count - first) }
    }

    /// A storage of its own holding `needed` bytes at least, the kept bytes copied to their places in it.
    private mutating func reallocate(toHold needed: Int) {
        var capacity = Swift.max(4096, storage.capacity)
        while capacity < needed { capacity *= 2 }
        let new = Storage(capacity: capacity)
        // The kept bytes in at most two runs of the old storage.
        var p = start
        while p < end {
            let at = p & (storage.capacity - 1)
            let run = Swift.min(end - p, storage.capacity - at)
            Self.copy(storage.bytes + at, count: run, to: p, in: new)
            p += run
        }
        storage = new
    }
}

extension ByteQueue: JSONOutput {
    package mutating func writeByte(_ byte: UInt8) {
        if count < storage.capacity, isKnownUniquelyReferenced(&storage) {
            storage.bytes[end & (storage.capacity - 1)] = byte
            end += 1
        } else {
            withUnsafeBytes(of: byte) { _ = append($0) }
        }
    }

    package mutating func writeBytes(_ bytes: UnsafeRawBufferPointer) {
        append(bytes)
    }
}
