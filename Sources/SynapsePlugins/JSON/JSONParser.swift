import Foundation

/// Why a JSON text could not be read.
package struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset in the input where reading stopped.
    package var offset: Int
    package var reason: String

    package var description: String { "\(reason) at byte \(offset)" }
}

/// A strict, allocation-light JSON reader over UTF-8 bytes.
///
/// Accepts RFC 8259 JSON plus the non-finite numbers Python's `json.dumps` writes (`NaN`, `Infinity`,
/// `-Infinity`). Never crashes on input: depth is limited, every index is checked, invalid UTF-8 inside
/// strings becomes U+FFFD (as Swift's String decoding does), lone surrogate escapes become U+FFFD.
package struct JSONParser {
    /// Nesting deeper than this is an error, not a stack overflow.
    package static let maxDepth = 512

    /// Parses one complete JSON text (surrounding whitespace allowed).
    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    /// Parses one complete JSON text from a string.
    package static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    /// Parses one complete JSON text from bytes.
    package static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONParseError) -> JSONValue in try parse(buffer) }
    }

    let bytes: UnsafeBufferPointer<UInt8>
    /// How many bytes from the start of `bytes` may be read (at least its count): a line read inside its
    /// chunk lets numbers be read whole words at a time up to the line's end.
    let readable: Int
    /// `true` when `bytes` runs on past the line being read (the rest of a block): a newline is then the
    /// line's end, never whitespace, so no value read can span two lines (no other JSON token holds one).
    let newlineEnds: Bool
    var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, readable: Int = 0, newlineEnds: Bool = false) {
        self.bytes = bytes
        self.readable = max(readable, bytes.count)
        self.newlineEnds = newlineEnds
    }

    func error(_ reason: String) -> JSONParseError {
        JSONParseError(offset: index, reason: reason)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0D, 0x09: index += 1
            case 0x0A where !newlineEnds: index += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth + 1))
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "N"): try expectLiteral("NaN"); return .double(.nan)
        case UInt8(ascii: "I"): try expectLiteral("Infinity"); return .double(.infinity)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let n = literal.utf8CodeUnitCount
        guard index + n <= bytes.count else { throw error("unexpected end of input") }
        let start = literal.utf8Start
        for i in 0..<n where bytes[index + i] != start[i] {
            throw error("invalid literal")
        }
        index += n
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONObject {
        guard depth <= JSONParser.maxDepth else { throw error("nesting too deep") }
        index += 1  // {
        var object = JSONObject()
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return object }
        object.reserveCapacity(4)
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            if object[key] != nil { object[key] = value } else { object.appendUnchecked(key, value) }
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return object }
            throw error("expected ',' or '}'")
        }
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= JSONParser.maxDepth else { throw error("nesting too deep") }
        index += 1  // [
        var array: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(array) }
        // Room for a few elements at once: growing from one element reallocates on the second.
        array.reserveCapacity(4)
        while true {
            skipWhitespace()
            array.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(array) }
            throw error("expected ',' or ']'")
        }
    }

    /// Reads a string starting at its opening quote.
    mutating func parseString() throws(JSONParseError) -> String {
        let (text, escaped) = try stepOverString()
        guard escaped else { return String(decoding: UnsafeBufferPointer(rebasing: bytes[text]), as: UTF8.self) }
        return unescapedString(text)
    }

    /// Steps over a string starting at its opening quote as ``parseString()`` reads it, without making it:
    /// `false` where that would throw. Out of line: its callers' plain strings do not come here.
    @inline(never)
    mutating func checkString() -> Bool {
        (try? stepOverString()) != nil
    }

    /// Steps over a string starting at its opening quote, every escape checked where it lies (an error names
    /// that place): where its text lies between the quotes, and whether it has escapes (then
    /// ``unescapedString(_:)`` writes it once).
    @inline(__always)
    private mutating func stepOverString() throws(JSONParseError) -> (text: Range<Int>, escaped: Bool) {
        index += 1  // opening quote
        let start = index
        var escaped = false
        while true {
            skipPlainBytes()
            guard index < bytes.count else { throw error("unterminated string") }
            let c = bytes[index]
            if c == UInt8(ascii: "\"") { break }
            if c == UInt8(ascii: "\\") {
                try checkEscape()
                escaped = true
            } else if c < 0x20 {
                throw error("control character in string")
            } else {
                index += 1
            }
        }
        index += 1
        return (start..<(index - 1), escaped)
    }

    /// Steps over the escape at the index (its backslash), or throws where it is broken: a `\u` needs four
    /// hex digits; which scalar it makes (a surrogate paired or not) is ``unescapedString(_:)``'s.
    @inline(__always)
    private mutating func checkEscape() throws(JSONParseError) {
        index += 1
        guard index < bytes.count else { throw error("unterminated escape") }
        let e = bytes[index]
        index += 1
        if Self.escapedByte(e) != nil { return }
        guard e == UInt8(ascii: "u") else {
            index -= 1
            throw error("invalid escape")
        }
        guard index + 4 <= bytes.count else { throw error("truncated \\u escape") }
        for k in 0..<4 where Self.hexDigit(bytes[index &+ k]) == nil {
            index += k
            throw error("invalid \\u escape")
        }
        index += 4
    }

    /// A string's JSON text at `range` (between its quotes, its escapes checked by ``parseString()``)
    /// unescaped into the String's storage, its plain runs copied whole. Unescaped, a string is never longer
    /// than its JSON text, so that length is the storage's. A surrogate that is not half of a pair is U+FFFD.
    func unescapedString(_ range: Range<Int>) -> String {
        let base = bytes.baseAddress.unsafelyUnwrapped
        let end = range.upperBound
        return String(unsafeUninitializedCapacity: range.count) { out in
            var i = range.lowerBound, o = 0
            while i < end {
                if base[i] != UInt8(ascii: "\\") {
                    var run = i + 1
                    while run < end, base[run] != UInt8(ascii: "\\") { run += 1 }
                    (out.baseAddress! + o).update(from: base + i, count: run - i)
                    o += run - i
                    i = run
                    continue
                }
                let e = base[i + 1]
                i += 2
                if let byte = Self.escapedByte(e) {
                    out[o] = byte
                    o += 1
                    continue
                }
                // A `\u` with its four digits (checked).
                var scalar = Self.hex4(base, at: i, end: end) ?? 0xFFFD
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    // A high surrogate must be followed by an escaped low surrogate.
                    if i + 1 < end, base[i] == UInt8(ascii: "\\"), base[i + 1] == UInt8(ascii: "u"),
                       let low = Self.hex4(base, at: i + 2, end: end), (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD
                }
                o += Self.writeUTF8(scalar, to: out.baseAddress! + o)
            }
            return o
        }
    }

    /// Four hex digits at `i`, all before `end`, or nil.
    private static func hex4(_ base: UnsafePointer<UInt8>, at i: Int, end: Int) -> UInt32? {
        guard i + 4 <= end else { return nil }
        var value: UInt32 = 0
        for k in i..<i + 4 {
            guard let digit = hexDigit(base[k]) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    /// What a one-character escape (`\n`, `\"`, …) stands for; nil for `u` and for what is no escape.
    static func escapedByte(_ e: UInt8) -> UInt8? {
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return e
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        default: return nil
        }
    }

    /// A hex digit's value, or nil. Two comparisons: setting bit 5 makes `A`-`F` `a`-`f` and no other byte.
    @inline(__always)
    static func hexDigit(_ c: UInt8) -> UInt32? {
        let digit = c &- UInt8(ascii: "0")
        if digit < 10 { return UInt32(digit) }
        let letter = (c | 0x20) &- UInt8(ascii: "a")
        return letter < 6 ? UInt32(letter) + 10 : nil
    }

    /// `scalar` as UTF-8 at `p`; how many bytes it took (as ``appendUTF8(_:to:)`` writes it).
    private static func writeUTF8(_ scalar: UInt32, to p: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            p[0] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            p[0] = UInt8(0xC0 | (scalar >> 6))
            p[1] = UInt8(0x80 | (scalar & 0x3F))
            return 2
        case 0x800..<0x10000:
            p[0] = UInt8(0xE0 | (scalar >> 12))
            p[1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
            p[2] = UInt8(0x80 | (scalar & 0x3F))
            return 3
        default:
            p[0] = UInt8(0xF0 | (scalar >> 18))
            p[1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
            p[2] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
            p[3] = UInt8(0x80 | (scalar & 0x3F))
            return 4
        }
    }

    /// Skips string bytes eight at a time up to the first quote, backslash or control character (where
    /// eight bytes are left to load); the caller goes on byte by byte from where it stops.
    @inline(__always)
    mutating func skipPlainBytes() {
        guard let base = bytes.baseAddress else { return }
        index = jsonSkipPlainWords(UnsafeRawPointer(base), from: index, count: bytes.count)
    }

    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4) { buffer in
            let count = writeUTF8(scalar, to: buffer.baseAddress!)
            out.append(contentsOf: buffer[..<count])
        }
    }

    /// Powers of ten that are exact doubles: the Clinger fast path multiplies or divides by one of them.
    static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        // The index lives in a local while scanning (kept in a register) and is stored back before any
        // return or error, so error offsets are exactly where reading stopped.
        let start = index
        let b = bytes
        let n = b.count
        var i = index
        @inline(__always) func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }
        var negative = false
        if b[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
            if i < n, b[i] == UInt8(ascii: "I") {
                index = i
                try expectLiteral("Infinity")
                return .double(-.infinity)
            }
        }
        guard i < n, isDigit(b[i]) else { index = i; throw error("invalid number") }
        var mantissa: UInt64 = 0
        var digits = 0
        var dropped = 0  // integer digits beyond what the mantissa holds
        if b[i] == UInt8(ascii: "0") {
            i += 1
            if i < n, isDigit(b[i]) { index = i; throw error("leading zero in number") }
        } else {
            // Eight digits at a time while they fit the mantissa (timestamps, step counters).
            while digits <= 11, i + 8 <= n, let block = JSONParser.eightDigits(b.baseAddress! + i) {
                mantissa = mantissa &* 100_000_000 &+ block
                digits += 8
                i += 8
            }
            while i < n, isDigit(b[i]) {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(b[i] &- UInt8(ascii: "0"))
                    digits += 1
                } else {
                    dropped += 1
                }
                i += 1
            }
        }
        var isInteger = true
        var fractionDigits = 0
        if i < n, b[i] == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            guard i < n, isDigit(b[i]) else { index = i; throw error("invalid number") }
            // `digits` counts significant digits: the zeros after `0.` do not use up the mantissa.
            while digits <= 11, i + 8 <= n, let block = JSONParser.eightDigits(b.baseAddress! + i) {
                let before = mantissa
                mantissa = mantissa &* 100_000_000 &+ block
                if before != 0 { digits += 8 } else if mantissa != 0 { digits = Self.decimalDigitCount(mantissa) }
                fractionDigits += 8
                i += 8
            }
            while i < n, isDigit(b[i]) {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(b[i] &- UInt8(ascii: "0"))
                    if mantissa != 0 { digits += 1 }
                    fractionDigits += 1
                } else {
                    digits += 1
                }
                i += 1
            }
        }
        var exponent = 0
        if i < n, b[i] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            i += 1
            var expNegative = false
            if i < n, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                expNegative = b[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < n, isDigit(b[i]) else { index = i; throw error("invalid exponent") }
            while i < n, isDigit(b[i]) {
                if exponent < 100_000 { exponent = exponent * 10 + Int(b[i] &- UInt8(ascii: "0")) }
                i += 1
            }
            if expNegative { exponent = -exponent }
        }
        index = i
        if isInteger, dropped == 0 {
            if negative {
                if mantissa <= UInt64(Int.max) { return .int(-Int(mantissa)) }
                if mantissa == UInt64(Int.max) + 1 { return .int(Int.min) }
            } else if mantissa <= UInt64(Int.max) {
                return .int(Int(mantissa))
            }
        }
        // Every significant digit in the mantissa (Python's float repr has 17): exact, without a String.
        if dropped == 0, digits <= 19, let d = JSONNumberReading.double(mantissa: mantissa, exponent: exponent - fractionDigits) {
            return .double(negative ? -d : d)
        }
        return .double(slowDouble(start: start, end: i))
    }

    /// The number of decimal digits of `value` (1 for 0).
    static func decimalDigitCount(_ value: UInt64) -> Int {
        var count = 1
        var limit: UInt64 = 10
        while count < 20, value >= limit {
            count += 1
            limit = limit &* 10
        }
        return count
    }

    /// The value of eight ASCII digits at `p`, or nil when any of the eight bytes is not a digit (SWAR:
    /// one load, two mask tests, three multiplies instead of eight loop turns).
    @inline(__always)
    static func eightDigits(_ p: UnsafePointer<UInt8>) -> UInt64? {
        let v = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        // Every byte is 0x30...0x39: high nibble 3, and adding 6 does not carry into the high nibble.
        guard v & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030,
              (v &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030 else { return nil }
        return combineDigits(v &- 0x3030_3030_3030_3030)
    }

    /// The leading digits of the eight bytes at `p` (at least eight readable): how many there are (0...8)
    /// and their value.
    @inline(__always)
    static func leadingDigits(_ p: UnsafePointer<UInt8>) -> (count: Int, value: UInt64) {
        let (count, x) = digitWord(p)
        return count == 0 ? (0, 0) : (count, leadingValue(x, count))
    }

    /// How many of the eight bytes at `p` are digits before the first that is not (0...8), and the bytes
    /// less `0` (digit values where they are digits).
    @inline(__always)
    static func digitWord(_ p: UnsafePointer<UInt8>) -> (count: Int, digits: UInt64) {
        let x = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)) ^ 0x3030_3030_3030_3030
        // A byte is a digit when it is now below 10: adding 0x76 sets its high bit otherwise (a byte at
        // 0x80 or above has it already). A carry only leaves a byte that is not a digit, so the lowest
        // flagged byte is exact.
        let notDigit = ((x &+ 0x7676_7676_7676_7676) | x) & 0x8080_8080_8080_8080
        return (notDigit.trailingZeroBitCount >> 3, x)
    }

    /// The value of the first `count` (1...8) digits of a ``digitWord(_:)``: moved to the top bytes, zeros
    /// before them, the same number in eight digits.
    @inline(__always)
    static func leadingValue(_ digits: UInt64, _ count: Int) -> UInt64 {
        combineDigits(digits &<< UInt64((8 &- count) &<< 3))
    }

    /// Eight digit values (0...9, one per byte, the first the most significant) as one number.
    @inline(__always)
    static func combineDigits(_ digits: UInt64) -> UInt64 {
        var x = digits
        x = (x &* 10) &+ (x >> 8)
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        let mul1: UInt64 = 0x000F_4240_0000_0064  // 100 + (1_000_000 << 32)
        let mul2: UInt64 = 0x0000_2710_0000_0001  // 1 + (10_000 << 32)
        return (((x & mask) &* mul1) &+ (((x >> 16) & mask) &* mul2)) >> 32
    }

    /// Correctly rounded conversion for the rare numbers outside the fast path.
    func slowDouble(start: Int, end: Int) -> Double {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        return Double(text) ?? .nan
    }
}
