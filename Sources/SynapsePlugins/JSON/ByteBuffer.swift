#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable run of bytes in raw memory: the job log's pending lines.
///
/// Noncopyable, so it owns its memory outright: no copy-on-write check and no `Array` bookkeeping per
/// append (an append is a capacity compare and a store or a `memcpy`). That matters because every
/// `ctx` call encodes its record into one of these on the action's thread.
struct ByteBuffer: ~Copyable, JSONOutput {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(64, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    /// The bytes written so far (valid until the next write or ``removeAll()``).
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Forgets the contents, keeping the memory.
    mutating func removeAll() {
        count = 0
    }

    @inline(__always)
    mutating func writeByte(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func writeBytes(_ raw: UnsafeRawBufferPointer) {
        let n = raw.count
        if n > capacity - count { grow(to: count + n) }
        if n <= 16 {
            // Most runs are a key, a number or punctuation: a loop beats calling memcpy for them.
            for i in 0..<n { base[count + i] = raw[i] }
        } else {
            memcpy(base + count, raw.baseAddress!, n)
        }
        count += n
    }

    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}
