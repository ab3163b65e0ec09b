/// The fast path of ``EventCodec/decodeLine(_:)``: a scanner for the record layout our own writer produces,
/// `{"v":1,"event":"…","timestamp":…[,"step":"…"][,"level":"…"][,"file":"…"],"data":…}`.
///
/// It reads the top-level keys in that order without building a JSON object, and the `data` of `progress`
/// and `message` records straight into their typed payloads. Anything else it meets (another key order, a
/// missing `v`, a type the fast path does not handle, any error) makes it give up and return `nil`; the
/// caller then runs the general parser, which decides. Strings and numbers are read by ``JSONParser``'s own
/// routines, so whatever the scanner returns equals what the general decoder returns (the test suite checks
/// this on generated and fuzzed records).
enum EventScanner {
    /// The event on `line` (already trimmed of surrounding whitespace), or `nil` to fall back.
    static func scan(_ line: UnsafeBufferPointer<UInt8>) -> Event? {
        var p = JSONParser(line)
        return p.scanRecord()
    }
}

/// Kinds the scanner tells apart by their name's bytes.
private enum ScannedKind {
    case progress, metrics, message, devEvent, end, otherReserved, custom
}

extension JSONParser {
    /// Consumes `literal` if the input continues with it.
    @inline(__always)
    mutating func consume(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard index + n <= bytes.count, let base = bytes.baseAddress else { return false }
        guard Self.sameBytes(base + index, literal.utf8Start, n) else { return false }
        index += n
        return true
    }

    /// `n` bytes at `a` equal those at `b`. Record keys are 1 to 18 bytes: two overlapping loads cover any
    /// length from 4 to 16 (no byte-by-byte tail), and longer ones take eight bytes at a time first.
    @inline(__always)
    static func sameBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        @inline(__always) func word(_ p: UnsafePointer<UInt8>, _ at: Int) -> UInt64 {
            UnsafeRawPointer(p + at).loadUnaligned(as: UInt64.self)
        }
        @inline(__always) func half(_ p: UnsafePointer<UInt8>, _ at: Int) -> UInt32 {
            UnsafeRawPointer(p + at).loadUnaligned(as: UInt32.self)
        }
        if n >= 8 {
            var i = 0
            while i + 16 < n {
                if word(a, i) != word(b, i) { return false }
                i += 8
            }
            return word(a, i) == word(b, i) && word(a, n - 8) == word(b, n - 8)
        }
        if n >= 4 { return half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4) }
        for i in 0..<n where a[i] != b[i] { return false }
        return true
    }

    /// A number (not `NaN`/`Infinity`, which the general path handles) as a Double, or nil.
    @_transparent
    mutating func scanDouble() -> Double? {
        if let (mantissa, fraction, negative) = scanPlainNumber() {
            // What `parseNumber` returns for such a number: an Int when it has no fraction, else Clinger's
            // exact quotient (the mantissa is below 2^53 and the power of ten exact).
            if fraction == 0 { return Double(negative ? -Int(mantissa) : Int(mantissa)) }
            let d = Double(mantissa) / JSONParser.exactPowersOfTen[fraction]
            return negative ? -d : d
        }
        return scanOtherDouble()
    }

    /// ``scanDouble()`` for what the plain form does not cover, kept out of line so the common case
    /// inlines into the scanners (their position then stays in a register).
    @inline(never)
    mutating func scanOtherDouble() -> Double? {
        guard index < bytes.count else { return nil }
        let c = bytes[index]
        guard c == UInt8(ascii: "-") || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) else { return nil }
        guard let value = try? parseNumber() else { return nil }
        switch value {
        case .double(let d): return d
        case .int(let i): return Double(i)
        default: return nil
        }
    }

    /// An integer written as one (no fraction or exponent), or nil.
    @_transparent
    mutating func scanInt() -> Int? {
        let start = index
        if let (mantissa, fraction, negative) = scanPlainNumber() {
            if fraction == 0 { return negative ? -Int(mantissa) : Int(mantissa) }
            index = start
            return nil
        }
        return scanOtherInt()
    }

    /// ``scanInt()`` for what the plain form does not cover (out of line, as ``scanOtherDouble()``).
    @inline(never)
    mutating func scanOtherInt() -> Int? {
        guard index < bytes.count else { return nil }
        let c = bytes[index]
        guard c == UInt8(ascii: "-") || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) else { return nil }
        guard let value = try? parseNumber(), case .int(let i) = value else { return nil }
        return i
    }

    /// The common shape of the numbers our writer produces, read without the general routine's
    /// bookkeeping: `-?(0|[1-9][0-9]*)(\.[0-9]+)?` followed by no exponent, at most 16 digits in all whose
    /// value is below 2^53 (so it is exact in a Double and fits an Int: a timestamp to the microsecond
    /// is 16 digits). Returns the digits as one integer and
    /// how many follow the point; for anything else leaves the index where it was and returns nil (the
    /// caller then takes the general routine, which decides).
    @inline(__always)
    mutating func scanPlainNumber() -> (mantissa: UInt64, fraction: Int, negative: Bool)? {
        guard let base = bytes.baseAddress else { return nil }
        let end = base + bytes.count
        var p = base + index
        var negative = false
        if p < end, p.pointee == UInt8(ascii: "-") { negative = true; p += 1 }
        let integerStart = p
        var mantissa: UInt64 = 0
        Self.scanDigits(&p, end, &mantissa)
        let integerDigits = p - integerStart
        guard integerDigits > 0 else { return nil }
        // A leading zero: the general routine reports it.
        if integerDigits > 1, integerStart.pointee == UInt8(ascii: "0") { return nil }
        var fraction = 0
        if p < end, p.pointee == UInt8(ascii: ".") {
            p += 1
            let fractionStart = p
            Self.scanDigits(&p, end, &mantissa)
            fraction = p - fractionStart
            guard fraction > 0 else { return nil }
        }
        guard integerDigits + fraction <= 16, mantissa < 1 << 53,
              p == end || p.pointee | 0x20 != UInt8(ascii: "e") else { return nil }
        // `-0` and `-0.0` keep their sign rules in the general routine.
        if negative && mantissa == 0 { return nil }
        index = p - base
        return (mantissa, fraction, negative)
    }

    /// Reads the digits at `p` onto `mantissa` (`mantissa * 10^k + digits`; it wraps past 19 digits,
    /// which the callers refuse by count). Eight at once where eight digits follow (a timestamp's
    /// seconds), then one at a time.
    @inline(__always)
    static func scanDigits(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, _ mantissa: inout UInt64) {
        if end - p >= 8, let block = eightDigits(p) {
            mantissa = mantissa &* 100_000_000 &+ block
            p += 8
        }
        while p < end {
            let d = p.pointee &- UInt8(ascii: "0")
            if d >= 10 { return }
            mantissa = mantissa &* 10 &+ UInt64(d)
            p += 1
        }
    }

    /// A string value starting at its quote, or nil.
    @inline(__always)
    mutating func scanString() -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        return try? parseString()
    }

    /// The bytes of a string without escapes (its quotes excluded), or nil.
    @inline(__always)
    mutating func scanPlainStringBytes() -> Range<Int>? {
        let start = index
        skipPlainBytes()
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "\"") {
                defer { index += 1 }
                return start..<index
            }
            if c == UInt8(ascii: "\\") || c < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    func bytesEqual(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard range.count == n, let base = bytes.baseAddress else { return false }
        return Self.sameBytes(base + range.lowerBound, literal.utf8Start, n)
    }

    fileprivate func kind(of name: Range<Int>) -> ScannedKind {
        switch name.count {
        case 8:
            if bytesEqual(name, "progress") { return .progress }
        case 7:
            if bytesEqual(name, "metrics") { return .metrics }
            if bytesEqual(name, "message") { return .message }
        case 9:
            if bytesEqual(name, "dev_event") { return .devEvent }
        case 3:
            if bytesEqual(name, "end") { return .end }
        case 6:
            if bytesEqual(name, "metric") || bytesEqual(name, "output") { return .otherReserved }
        case 10:
            if bytesEqual(name, "run_status") { return .otherReserved }
        case 13:
            if bytesEqual(name, "action_status") { return .otherReserved }
        default:
            break
        }
        return .custom
    }

    func level(of range: Range<Int>) -> LogLevel? {
        switch range.count {
        case 4:
            if bytesEqual(range, "info") { return .info }
        case 5:
            if bytesEqual(range, "debug") { return .debug }
            if bytesEqual(range, "error") { return .error }
        case 6:
            if bytesEqual(range, "danger") { return .danger }
        case 7:
            if bytesEqual(range, "success") { return .success }
            if bytesEqual(range, "warning") { return .warning }
        case 8:
            if bytesEqual(range, "critical") { return .critical }
        default:
            break
        }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        return LogLevel(name: name)
    }

    /// The whole record, or nil to fall back.
    mutating func scanRecord() -> Event? {
        guard consume(#"{"v":1,"event":""#), let nameRange = scanPlainStringBytes() else { return nil }
        let kind = kind(of: nameRange)
        guard consume(#","timestamp":"#), let timestamp = scanDouble() else { return nil }
        var step: String?
        var level: LogLevel?
        var file: String?
        if consume(#","step":"#) {
            guard let s = scanString() else { return nil }
            step = s
        }
        if consume(#","level":""#) {
            guard let range = scanPlainStringBytes() else { return nil }
            level = self.level(of: range)
        }
        if consume(#","file":"#) {
            guard let s = scanString() else { return nil }
            file = s
        }
        guard consume(#","data":"#) else { return nil }
        let payload: EventPayload
        switch kind {
        case .progress:
            guard let progress = scanProgress(step: step) else { return nil }
            payload = .progress(progress)
        case .message:
            guard let message = scanMessage() else { return nil }
            payload = .message(message)
        case .metrics:
            guard index < bytes.count, bytes[index] == UInt8(ascii: "{"),
                  let object = try? parseObject(depth: 2) else { return nil }
            payload = .metrics(object)
        case .end:
            guard (try? parseValue(depth: 1)) != nil else { return nil }
            payload = .end
        case .custom:
            guard let data = try? parseValue(depth: 1) else { return nil }
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameRange]), as: UTF8.self)
            payload = .custom(name: name, data: data)
        case .devEvent:
            if let dev = scanDevEvent() {
                payload = .devEvent(dev)
            } else {
                guard let data = try? parseValue(depth: 1) else { return nil }
                guard let decoded = try? EventCodec.decodePayload(name: "dev_event", data: data, step: step) else { return nil }
                payload = decoded
            }
        case .otherReserved:
            guard let data = try? parseValue(depth: 1) else { return nil }
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameRange]), as: UTF8.self)
            guard let decoded = try? EventCodec.decodePayload(name: name, data: data, step: step) else { return nil }
            payload = decoded
        }
        guard index + 1 == bytes.count, bytes[index] == UInt8(ascii: "}") else { return nil }
        return Event(timestamp: timestamp, step: step, level: level, file: file, payload: payload)
    }

    /// `{"current":I,"total":I,"percent":N[,"elapsed":N][,"time_remaining":N]}`
    mutating func scanProgress(step: String?) -> ProgressData? {
        guard let p = scanProgressFields() else { return nil }
        return ProgressData(current: p.current, total: p.total, step: step, elapsed: p.elapsed, timeRemaining: p.remaining)
    }

    /// The fields of a progress record's data, in our writer's order (the percent is checked, not kept:
    /// ``ProgressData`` derives it).
    mutating func scanProgressFields() -> (current: Int, total: Int, elapsed: Double?, remaining: Double?)? {
        guard consume(#"{"current":"#), let current = scanInt(),
              consume(#","total":"#), let total = scanInt(),
              consume(#","percent":"#), scanDouble() != nil else { return nil }
        var elapsed: Double?
        var remaining: Double?
        if consume(#","elapsed":"#) {
            guard let d = scanDouble() else { return nil }
            elapsed = d
        }
        if consume(#","time_remaining":"#) {
            guard let d = scanDouble() else { return nil }
            remaining = d
        }
        guard consume("}") else { return nil }
        return (current, total, elapsed, remaining)
    }

    /// `{"message":"…"[,"data":…]}`, read as ``EventCodec/decodePayload(name:data:step:)`` reads a
    /// `dev_event`'s data (a `null` data is no data) without building the outer object; anything else
    /// leaves the index where it was and returns nil.
    mutating func scanDevEvent() -> DevEvent? {
        let start = index
        guard consume(#"{"message":"#), let message = scanString() else { index = start; return nil }
        var data: JSONValue?
        if consume(#","data":"#) {
            guard let value = try? parseValue(depth: 2) else { index = start; return nil }
            if !value.isNull { data = value }
        }
        guard consume("}") else { index = start; return nil }
        return DevEvent(message: message, data: data)
    }

    /// `{"content":"…"[,"key":"…"]}`
    mutating func scanMessage() -> Message? {
        guard consume(#"{"content":"#), let content = scanString() else { return nil }
        var key: String?
        if consume(#","key":"#) {
            guard let k = scanString() else { return nil }
            key = k
        }
        guard consume("}") else { return nil }
        return Message(content: content, key: key)
    }
}
