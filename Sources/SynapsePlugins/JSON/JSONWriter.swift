/// Writes compact JSON into a byte buffer.
///
/// One writer serves every record we emit, so the event log has one spelling: no spaces, keys in
/// insertion order, non-finite doubles as Python's `json.dumps` writes them (`NaN`, `Infinity`).
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Empties the buffer but keeps its capacity, so a long-lived writer encodes without allocating.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
    }

    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: writeRaw("null")
        case .bool(let b): writeRaw(b ? "true" : "false")
        case .int(let i): write(int: i)
        case .double(let d): write(double: d)
        case .string(let s): write(string: s)
        case .array(let a):
            bytes.append(UInt8(ascii: "["))
            for (i, element) in a.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let o): write(object: o)
        }
    }

    public mutating func write(object: JSONObject) {
        bytes.append(UInt8(ascii: "{"))
        let keys = object.keys, values = object.values
        for i in keys.indices {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            write(string: keys[i])
            bytes.append(UInt8(ascii: ":"))
            write(values[i])
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Appends ASCII text as is (punctuation, literals, pre-validated keys).
    public mutating func writeRaw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func writeByte(_ byte: UInt8) {
        bytes.append(byte)
    }

    public mutating func write(int value: Int) {
        if value == 0 { bytes.append(UInt8(ascii: "0")); return }
        var magnitude = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        // Up to 20 digits; write into a small stack tuple via withUnsafeTemporaryAllocation.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var n = 0
            while magnitude > 0 {
                buffer[n] = UInt8(ascii: "0") &+ UInt8(magnitude % 10)
                magnitude /= 10
                n += 1
            }
            while n > 0 {
                n -= 1
                bytes.append(buffer[n])
            }
        }
    }

    public mutating func write(double value: Double) {
        if value.isNaN { writeRaw("NaN"); return }
        if value.isInfinite { writeRaw(value < 0 ? "-Infinity" : "Infinity"); return }
        if value == value.rounded(.towardZero), abs(value) < 1e15 {
            // Integral doubles keep a ".0" so they read back as doubles (as Python writes them).
            if value == 0, value.sign == .minus { writeRaw("-0.0"); return }
            write(int: Int(value))
            writeRaw(".0")
            return
        }
        if writeMicros(value) { return }
        // Swift's description is the shortest text that reads back to the same double.
        bytes.append(contentsOf: value.description.utf8)
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
        let scaled = (magnitude * 1e6).rounded()
        guard scaled / 1e6 == magnitude else { return false }
        let k = UInt64(scaled)
        guard k % 1_000_000 != 0 else { return false }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        write(int: Int(k / 1_000_000))
        var fraction = k % 1_000_000
        var digits = 6
        while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        bytes.append(UInt8(ascii: "."))
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 6) { buffer in
            for i in stride(from: digits - 1, through: 0, by: -1) {
                buffer[i] = UInt8(ascii: "0") &+ UInt8(fraction % 10)
                fraction /= 10
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<digits]))
        }
        return true
    }

    public mutating func write(string: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = string
        s.withUTF8 { utf8 in
            var start = 0
            for i in 0..<utf8.count {
                let c = utf8[i]
                guard c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") else { continue }
                if start < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i])) }
                start = i + 1
                bytes.append(UInt8(ascii: "\\"))
                switch c {
                case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              hex[Int(c >> 4)], hex[Int(c & 0xF)]])
                }
            }
            if start < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
