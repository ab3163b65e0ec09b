/// A first-in, first-out buffer of fixed capacity: appending past the capacity drops the oldest element.
///
/// Every element gets a sequence number (0 for the first ever appended), so a view can remember "the entry
/// at the bottom of the screen" even while older entries fall off the front.
package struct RingBuffer<Element: Sendable>: Sendable {
    /// The most elements kept.
    package let capacity: Int
    private var storage: [Element] = []
    private var head = 0
    /// Elements appended since creation, including those already dropped; the next sequence number.
    package private(set) var totalAppended = 0

    /// Creates an empty buffer keeping at most `capacity` elements (at least 1).
    package init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Elements currently kept.
    package var count: Int { storage.count }
    /// `true` when nothing is kept.
    package var isEmpty: Bool { storage.isEmpty }
    /// Sequence number of the oldest kept element.
    package var firstSequence: Int { totalAppended - storage.count }
    /// Sequence number of the newest element, or -1 when empty.
    package var lastSequence: Int { totalAppended - 1 }
    /// Elements dropped because the buffer was full.
    package var droppedCount: Int { firstSequence }

    /// Appends an element, dropping the oldest when full. O(1).
    package mutating func append(_ element: Element) {
        if storage.count < capacity {
            storage.append(element)
        } else {
            storage[head] = element
            head += 1
            if head == capacity { head = 0 }
        }
        totalAppended += 1
    }

    /// The kept element at position `i` (0 = oldest kept).
    package subscript(position i: Int) -> Element {
        precondition(i >= 0 && i < storage.count, "ring buffer position out of range")
        let j = head + i
        return storage[j < storage.count ? j : j - storage.count]
    }

    /// The element with sequence number `sequence`, or `nil` when it was dropped or not yet appended.
    package subscript(sequence sequence: Int) -> Element? {
        let i = sequence - firstSequence
        guard i >= 0, i < storage.count else { return nil }
        return self[position: i]
    }

    /// The newest element.
    package var last: Element? { storage.isEmpty ? nil : self[position: storage.count - 1] }

    /// The kept elements, oldest first (allocates; for tests and small buffers).
    package var elements: [Element] { (0..<storage.count).map { self[position: $0] } }
}
