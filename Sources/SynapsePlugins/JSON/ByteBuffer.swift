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
    /// Forgets everything after the first `n` bytes (an encoding that must be redone).
    mutating func removeLast(from n: Int) {
        count = min(count, max(0, n))
    }

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
        guard n > 0 else { return }
        if n > capacity - count { grow(to: count + n) }
        if n <= 16 {
            // Most runs are a key, a number or punctuation: two overlapping word copies (both inside
            // the source and the room just ensured) beat a byte loop and a call to memcpy.
            let from = raw.baseAddress!, to = UnsafeMutableRawPointer(base + count)
            if n >= 8 {
                to.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
                to.storeBytes(of: from.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), toByteOffset: n - 8, as: UInt64.self)
            } else if n >= 4 {
                to.storeBytes(of: from.loadUnaligned(as: UInt32.self), as: UInt32.self)
                to.storeBytes(of: from.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self), toByteOffset: n - 4, as: UInt32.self)
            } else {
                for i in 0..<n { to.storeBytes(of: from.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self) }
            }
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
