/// Somewhere compact JSON text is written to, a byte at a time or a run of bytes at a time.
///
/// The JSON spelling (no spaces, keys in insertion order, `NaN`/`Infinity` as Python writes them) lives
/// once, in this protocol's extension, so every output writes the same bytes: ``JSONWriter`` (a growable
/// `[UInt8]`, for building one record) and the job log's line buffer (raw memory, appended to on the
/// action's thread millions of times a second, where `Array`'s per-append bookkeeping dominated).
///
/// Conforming types implement only the two appends; noncopyable outputs are allowed.
package protocol JSONOutput: ~Copyable {
    /// Appends one byte.
    mutating func writeByte(_ byte: UInt8)
    /// Appends `bytes` as they are.
    mutating func writeBytes(_ bytes: UnsafeRawBufferPointer)
}

extension JSONOutput where Self: ~Copyable {
    /// Writes any JSON value.
    package mutating func write(_ value: JSONValue) {
        switch value {
        case .null: writeRaw("null")
        case .bool(let b): writeRaw(b ? "true" : "false")
        case .int(let i): write(int: i)
        case .double(let d): write(double: d)
        case .string(let s): write(string: s)
        case .array(let a):
            writeByte(UInt8(ascii: "["))
            for i in a.indices {
                if i > 0 { writeByte(UInt8(ascii: ",")) }
                write(a[i])
            }
            writeByte(UInt8(ascii: "]"))
        case .object(let o): write(object: o)
        }
    }

    /// Writes an object, keys in insertion order.
    package mutating func write(object: JSONObject) {
        writeByte(UInt8(ascii: "{"))
        let members = object.members
        for i in members.indices {
            if i > 0 { writeByte(UInt8(ascii: ",")) }
            write(string: members[i].0)
            writeByte(UInt8(ascii: ":"))
            write(members[i].1)
        }
        writeByte(UInt8(ascii: "}"))
    }

    /// Appends ASCII text as is (punctuation, literals, pre-validated keys).
    @inline(__always)
    package mutating func writeRaw(_ text: StaticString) {
        writeBytes(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Writes an integer in decimal.
    package mutating func write(int value: Int) {
        // Digits are produced backwards into a stack buffer and appended in one go (one bounds check).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            let n = putDigits(UInt64(value.magnitude), before: 20, in: buffer)
            if value < 0 { writeByte(UInt8(ascii: "-")) }
            writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[n..<20]))
        }
    }

    /// Writes a double as the shortest text that reads back to it; integral values keep a `.0` and
    /// non-finite values are written as Python's `json.dumps` writes them.
    package mutating func write(double value: Double) {
        if value.isNaN { writeRaw("NaN"); return }
        if value.isInfinite { writeRaw(value < 0 ? "-Infinity" : "Infinity"); return }
        // `Double(Int64(value)) == value` rather than `value.rounded(.towardZero)`, a libm call on baseline
        // x86-64 (no SSE4.1).
        if abs(value) < 1e15, Double(Int64(value)) == value {
            // Integral doubles keep a ".0" so they read back as doubles (as Python writes them).
            if value == 0, value.sign == .minus { writeRaw("-0.0"); return }
            write(int: Int(value))
            writeRaw(".0")
            return
        }
        if writeMicros(value) { return }
        if let (digits, fractionDigits) = ShortestDouble.decimal(of: abs(value)) {
            if abs(value) >= 1e-4 {
                writeDecimal(digits, fractionDigits: fractionDigits, negative: value < 0)
            } else {
                writeScientific(digits, fractionDigits: fractionDigits, negative: value < 0)
            }
            return
        }
        // Swift's description is the shortest text that reads back to the same double. (Its runtime
        // routine, `swift_float64ToString`, is not a stable interface: in Swift 6.3 it no longer writes
        // the text from the buffer's start, so we do not call it directly.)
        var text = value.description
        text.withUTF8 { writeBytes(UnsafeRawBufferPointer($0)) }
    }

    /// Fast path for the doubles a run writes most (timestamps in microseconds, rounded metrics, 0.001):
    /// a value that is exactly the double nearest to some decimal with at most six fraction digits, in
    /// 0.0001 <= |value| < 4e9. There the ulp is under 1e-6, so that decimal is the only one with six or
    /// fewer fraction digits that reads back to the value, hence also the shortest: the same text Swift's
    /// `description` gives, without formatting through a String.
    @inline(__always)
    mutating func writeMicros(_ value: Double) -> Bool {
        let magnitude = abs(value)
        guard magnitude >= 1e-4, magnitude < 4e9 else { return false }
        // Round half away from zero, as `rounded()` does, without its libm call: below 4e15 the
        // fraction `scaled - Double(k)` is exact.
        let scaled = magnitude * 1e6
        // Int, not UInt64: unsigned conversions to and from Double are branchy sequences on x86-64.
        var k = Int(scaled)
        if scaled - Double(k) >= 0.5 { k += 1 }
        guard Double(k) / 1e6 == magnitude else { return false }
        let fraction = k % 1_000_000
        guard fraction != 0 else { return false }
        // The whole text is built backwards in one stack buffer, two digits at a time, and appended once:
        // six fraction digits (trailing zeros cut), the point, the integer part, the sign.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            var n = putFixedDigits(UInt64(fraction), count: 6, before: 24, in: buffer).start
            var end = 24
            while buffer[end - 1] == UInt8(ascii: "0") { end -= 1 }
            n -= 1
            buffer[n] = UInt8(ascii: ".")
            n = putDigits(UInt64(k / 1_000_000), before: n, in: buffer)
            if value < 0 {
                n -= 1
                buffer[n] = UInt8(ascii: "-")
            }
            writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[n..<end]))
        }
        return true
    }

    /// Writes `digits` × 10^-`fractionDigits` (1...21 fraction digits, no trailing zero) as plain digits.
    mutating func writeDecimal(_ digits: UInt64, fractionDigits: Int, negative: Bool) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buffer in
            let fraction = putFixedDigits(digits, count: fractionDigits, before: 48, in: buffer)
            var n = fraction.start - 1
            buffer[n] = UInt8(ascii: ".")
            n = putDigits(fraction.rest, before: n, in: buffer)
            if negative {
                n -= 1
                buffer[n] = UInt8(ascii: "-")
            }
            writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[n..<48]))
        }
    }

    /// Writes `digits` × 10^-`fractionDigits` (a value below 1e-4) as `description` does: `d.ddde-XX`,
    /// `de-XX` for a single digit, the exponent with at least two digits.
    mutating func writeScientific(_ digits: UInt64, fractionDigits: Int, negative: Bool) {
        var count = 1
        var power: UInt64 = 10
        while count < 19, digits >= power { count += 1; power &*= 10 }
        let exponent = fractionDigits - count + 1  // the value is d.ddd × 10^-exponent, exponent 5...10
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            // [-]d[.ddd]e-XX: the digits go one place right of where they end up, two at a time from
            // the last; then the first moves left and the point takes its place.
            let start = negative ? 1 : 0
            if negative { buffer[0] = UInt8(ascii: "-") }
            var end = start + 1 + count
            _ = putDigits(digits, before: end, in: buffer)
            buffer[start] = buffer[start + 1]
            if count > 1 { buffer[start + 1] = UInt8(ascii: ".") } else { end -= 1 }
            buffer[end] = UInt8(ascii: "e")
            buffer[end + 1] = UInt8(ascii: "-")
            putPair(UInt64(exponent), at: end + 2, in: buffer)
            writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[0..<(end + 4)]))
        }
    }

    /// Writes a string literal, escaping quotes, backslashes and control characters.
    package mutating func write(string: String) {
        writeByte(UInt8(ascii: "\""))
        var s = string
        s.withUTF8 { utf8 in
            let raw = UnsafeRawBufferPointer(utf8)
            let count = utf8.count
            // Most strings (keys, names, steps) need no escape: check them a word at a time (the tail by
            // overlapping loads) and copy them in one go.
            if let base = raw.baseAddress, !jsonMayNeedEscape(base, count: count) {
                writeBytes(raw)
                return
            }
            var start = 0
            var i = 0
            while i < count {
                // Eight bytes at a time while none needs escaping: most text has nothing to escape.
                if let base = raw.baseAddress {
                    i = jsonSkipPlainWords(base, from: i, count: count)
                    if i >= count { break }
                }
                let c = utf8[i]
                guard c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") else { i += 1; continue }
                if start < i { writeBytes(UnsafeRawBufferPointer(rebasing: raw[start..<i])) }
                start = i + 1
                i += 1
                writeByte(UInt8(ascii: "\\"))
                switch c {
                case UInt8(ascii: "\""): writeByte(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): writeByte(UInt8(ascii: "\\"))
                case 0x0A: writeByte(UInt8(ascii: "n"))
                case 0x0D: writeByte(UInt8(ascii: "r"))
                case 0x09: writeByte(UInt8(ascii: "t"))
                case 0x08: writeByte(UInt8(ascii: "b"))
                case 0x0C: writeByte(UInt8(ascii: "f"))
                default:
                    let hex: StaticString = "0123456789abcdef"
                    writeRaw("u00")
                    writeByte(hex.utf8Start[Int(c >> 4)])
                    writeByte(hex.utf8Start[Int(c & 0xF)])
                }
            }
            if start < utf8.count { writeBytes(UnsafeRawBufferPointer(rebasing: raw[start...])) }
        }
        writeByte(UInt8(ascii: "\""))
    }
}

/// Writes the decimal digits of `value` into `buffer` backwards, ending just before `end`, two digits per
/// division; returns where they start.
@inline(__always)
func putDigits(_ value: UInt64, before end: Int, in buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
    var rest = value
    var n = end
    while rest >= 100 {
        n -= 2
        putPair(rest % 100, at: n, in: buffer)
        rest /= 100
    }
    if rest >= 10 {
        n -= 2
        putPair(rest, at: n, in: buffer)
    } else {
        n -= 1
        buffer[n] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest)
    }
    return n
}

/// Writes `pair` (0...99) as two digits at `n` and `n + 1`, from a table of "00" through "99".
@inline(__always)
func putPair(_ pair: UInt64, at n: Int, in buffer: UnsafeMutableBufferPointer<UInt8>) {
    let pairs = jsonDigitPairs.utf8Start
    let i = Int(truncatingIfNeeded: pair) &* 2
    buffer[n] = pairs[i]
    buffer[n + 1] = pairs[i + 1]
}

/// "00" through "99", for writing integers two digits at a time.
private let jsonDigitPairs: StaticString =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

/// Writes exactly `count` low decimal digits of `value` (leading zeros kept) into `buffer` backwards,
/// ending just before `end`, two at a time; returns where they start and what is left of `value` above them.
@inline(__always)
func putFixedDigits(_ value: UInt64, count: Int, before end: Int,
                    in buffer: UnsafeMutableBufferPointer<UInt8>) -> (start: Int, rest: UInt64) {
    var rest = value
    var n = end
    var left = count
    while left >= 2 {
        n -= 2
        putPair(rest % 100, at: n, in: buffer)
        rest /= 100
        left -= 2
    }
    if left == 1 {
        n -= 1
        buffer[n] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
        rest /= 10
    }
    return (n, rest)
}

/// `false` when none of the `count` bytes at `base` needs escaping in a JSON string; `true` when one may
/// (the caller then walks them byte by byte). Words of eight, the last one overlapping the one before;
/// under eight bytes, two overlapping halves, so no byte outside the text is read.
@inline(__always)
func jsonMayNeedEscape(_ base: UnsafeRawPointer, count: Int) -> Bool {
    if count >= 8 {
        var i = 0
        while i + 8 <= count {
            if jsonNeedsEscape(base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { return true }
            i += 8
        }
        return i < count && jsonNeedsEscape(base.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
    }
    let word: UInt64
    if count >= 4 {
        word = UInt64(base.loadUnaligned(as: UInt32.self))
            | UInt64(base.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)) << 32
    } else if count >= 2 {
        word = UInt64(base.loadUnaligned(as: UInt16.self))
            | UInt64(base.loadUnaligned(fromByteOffset: count - 2, as: UInt16.self)) << 16
            | 0x6161_6161_0000_0000
    } else if count == 1 {
        word = UInt64(base.load(as: UInt8.self)) | 0x6161_6161_6161_6100
    } else {
        return false
    }
    return jsonNeedsEscape(word)
}

/// `true` when one of the eight bytes of `word` is a quote, a backslash or a control character (the
/// bytes a JSON string escapes). Exact: a borrow only starts at such a byte.
@inline(__always)
func jsonNeedsEscape(_ word: UInt64) -> Bool { jsonEscapeMask(word) != 0 }

/// The bytes of `word` (loaded little-endian) that are a quote, a backslash or a control character, as
/// their high bits. The lowest set bit is exact (a borrow only starts at such a byte), so
/// `trailingZeroBitCount / 8` is the first one's offset; higher bits may be borrows.
@inline(__always)
func jsonEscapeMask(_ word: UInt64) -> UInt64 {
    let quote = word ^ 0x2222_2222_2222_2222
    let backslash = word ^ 0x5C5C_5C5C_5C5C_5C5C
    let hits = ((quote &- 0x0101_0101_0101_0101) & ~quote)
        | ((backslash &- 0x0101_0101_0101_0101) & ~backslash)
        | ((word &- 0x2020_2020_2020_2020) & ~word)
    return hits & 0x8080_8080_8080_8080
}

/// From offset `i` of the `count` bytes at `base`, a word at a time: the offset of the first quote,
/// backslash or control byte, or the first offset with fewer than eight bytes left (the caller goes on
/// byte by byte from there).
@inline(__always)
func jsonSkipPlainWords(_ base: UnsafeRawPointer, from i: Int, count: Int) -> Int {
    var i = i
    while i + 8 <= count {
        let hits = jsonEscapeMask(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
        if hits != 0 { return i + hits.trailingZeroBitCount >> 3 }
        i += 8
    }
    return i
}
