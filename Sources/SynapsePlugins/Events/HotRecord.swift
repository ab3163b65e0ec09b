/// The three records that make up almost every log (`progress`, `metrics`, `message`), read in place
/// without building an ``Event``: the step and the metric keys stay byte ranges of the line, numbers are
/// read where they are, and the arrays are reused from one line to the next.
///
/// This is what lets a reader reduce a million-line log in a fraction of a second (see
/// `DashboardState.ingest(lines:firstLine:)`): the common lines allocate nothing, and everything else —
/// another record kind, another key order, an escape in a step name, whitespace, any error — makes
/// ``scan(_:)`` return `false`, and the caller decodes the line in full with ``EventCodec/decodeLine(_:)``,
/// which decides. Values are read by ``JSONParser``'s own routines, so a record scanned here means exactly
/// what the full decoder would make of it (the test suite checks this on generated and fuzzed logs).
public struct HotRecord: Sendable {
    /// Which record the line holds.
    public enum Kind: Sendable, Hashable {
        case progress, metrics, message
    }

    /// Which record the last successful ``scan(_:)`` read.
    public private(set) var kind: Kind = .progress
    /// The record's `timestamp`.
    public private(set) var timestamp = 0.0
    /// Where the step's name is in the line (it has no escapes), or `nil` when the record has no step.
    public private(set) var step: Range<Int>?
    /// The record's `level`, as ``Event/level`` would be.
    public private(set) var level: LogLevel?
    /// Progress: `current`.
    public private(set) var current = 0
    /// Progress: `total`.
    public private(set) var total = 0
    /// Progress: `elapsed`.
    public private(set) var elapsed: Double?
    /// Progress: `time_remaining`.
    public private(set) var timeRemaining: Double?
    /// Metrics: where each key is in the line (keys have no escapes), in the record's order. A key may
    /// repeat; the consumer gives the last value the first key's position, as ``JSONObject`` does.
    public var metricKeys: ArraySlice<Range<Int>> { keyStorage[..<metricCount] }
    /// Metrics: the value of each key of ``metricKeys`` (records with other values than numbers are left
    /// to the full decoder).
    public var metricValues: ArraySlice<JSONNumber> { valueStorage[..<metricCount] }
    /// Metrics: how many keys the record has.
    public private(set) var metricCount = 0
    // Kept from one record to the next and overwritten: clearing an array costs a call per record.
    private var keyStorage: [Range<Int>] = []
    private var valueStorage: [JSONNumber] = []
    /// Message: its `content`.
    public private(set) var content = ""
    /// Message: its `key`.
    public private(set) var messageKey: String?
    /// `true` when ``step`` is the step remembered by ``remember(_:step:keys:)``, byte for byte.
    public fileprivate(set) var stepAsBefore = false
    /// How many of ``metricKeys``, from the first, are the keys remembered by
    /// ``remember(_:step:keys:)``, byte for byte and in the same places.
    public fileprivate(set) var keysAsBefore = 0

    // What `remember` kept of a line: the step's bytes with their closing quote (`name"`), and each
    // metric key as written, `"key":`, one after another. Our writer repeats them line after line, so a
    // scan first compares the bytes where they should be instead of searching for the quotes (and the
    // reader reuses the names it looked up for them).
    private var stepPattern: [UInt8] = []
    private var keyPatterns: [UInt8] = []
    private var keyPatternEnds: [Int] = []

    /// Creates an empty record, ready for ``scan(_:)``.
    public init() {}

    /// Reads `line` (trimmed of surrounding whitespace). Returns `false` when it is not one of the three
    /// records in our writer's layout; the fields are then meaningless.
    public mutating func scan(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var parser = JSONParser(line)
        return parser.scanHot(into: &self)
    }

    /// Remembers the step and the metric keys of `line`, the line this record was just scanned from, so
    /// the next scans can recognise them (see ``stepAsBefore`` and ``keysAsBefore``). Call it only for
    /// what changed: it copies bytes.
    public mutating func remember(_ line: UnsafeBufferPointer<UInt8>, step rememberStep: Bool, keys rememberKeys: Bool) {
        if rememberStep, let step {
            stepPattern.removeAll(keepingCapacity: true)
            stepPattern.append(contentsOf: UnsafeBufferPointer(rebasing: line[step.lowerBound...step.upperBound]))
        }
        if rememberKeys {
            keyPatterns.removeAll(keepingCapacity: true)
            keyPatternEnds.removeAll(keepingCapacity: true)
            for key in metricKeys {
                // The quote before the key, and the quote and colon after it.
                keyPatterns.append(contentsOf: UnsafeBufferPointer(rebasing: line[(key.lowerBound - 1)..<(key.upperBound + 2)]))
                keyPatternEnds.append(keyPatterns.count)
            }
        }
    }

    /// The length of remembered key `pattern` when `p` (with `available` bytes) starts with it, else 0.
    @inline(__always)
    fileprivate func matchKeyPattern(_ pattern: Int, at p: UnsafePointer<UInt8>, available: Int) -> Int {
        let start = pattern == 0 ? 0 : keyPatternEnds[pattern - 1]
        let length = keyPatternEnds[pattern] - start
        guard length <= available else { return 0 }
        return keyPatterns.withUnsafeBufferPointer { JSONParser.sameBytes(p, $0.baseAddress! + start, length) } ? length : 0
    }

    /// `true` when `p` (with `available` bytes) starts with the remembered step and its closing quote.
    @inline(__always)
    fileprivate func matchesStepPattern(at p: UnsafePointer<UInt8>, available: Int) -> Bool {
        let length = stepPattern.count
        guard length > 0, length <= available else { return false }
        return stepPattern.withUnsafeBufferPointer { JSONParser.sameBytes(p, $0.baseAddress!, length) }
    }

    fileprivate var rememberedKeyCount: Int { keyPatternEnds.count }
    fileprivate var stepPatternLength: Int { stepPattern.count }

    fileprivate mutating func reset(kind: Kind, timestamp: Double, step: Range<Int>?, level: LogLevel?) {
        self.kind = kind
        self.timestamp = timestamp
        self.step = step
        self.level = level
    }

    fileprivate mutating func setProgress(current: Int, total: Int, elapsed: Double?, timeRemaining: Double?) {
        self.current = current
        self.total = total
        self.elapsed = elapsed
        self.timeRemaining = timeRemaining
    }

    fileprivate mutating func clearMetrics() {
        keysAsBefore = 0
        metricCount = 0
    }

    @inline(__always)
    fileprivate mutating func appendMetric(_ key: Range<Int>, _ value: JSONNumber) {
        if metricCount < keyStorage.count {
            keyStorage[metricCount] = key
            valueStorage[metricCount] = value
        } else {
            keyStorage.append(key)
            valueStorage.append(value)
        }
        metricCount += 1
    }

    fileprivate mutating func setMessage(_ message: Message) {
        content = message.content
        messageKey = message.key
    }
}

extension JSONParser {
    /// `{"v":1,"event":"progress|metrics|message","timestamp":N[,"step":"…"][,"level":"…"],"data":{…}}`
    mutating func scanHot(into record: inout HotRecord) -> Bool {
        // The name and the key after it compared in one go: no search for the closing quote.
        guard consume(#"{"v":1,"event":""#) else { return false }
        let kind: HotRecord.Kind
        if consume(#"progress","timestamp":"#) {
            kind = .progress
        } else if consume(#"metrics","timestamp":"#) {
            kind = .metrics
        } else if consume(#"message","timestamp":"#) {
            kind = .message
        } else {
            return false
        }
        guard let timestamp = scanDouble() else { return false }
        var step: Range<Int>?
        var level: LogLevel?
        var stepAsBefore = false
        if consume(#","step":""#) {
            if let base = bytes.baseAddress, record.matchesStepPattern(at: base + index, available: bytes.count - index) {
                let start = index
                index = start + record.stepPatternLength
                step = start..<(index - 1)
                stepAsBefore = true
            } else {
                guard let range = scanPlainStringBytes() else { return false }
                step = range
            }
        }
        if consume(#","level":""#) {
            guard let range = scanPlainStringBytes() else { return false }
            level = self.level(of: range)
        }
        // A `file` is rare on these records and means nothing to them: the full decoder takes those lines.
        guard consume(#","data":"#) else { return false }
        record.reset(kind: kind, timestamp: timestamp, step: step, level: level)
        record.stepAsBefore = stepAsBefore
        switch kind {
        case .progress:
            guard scanHotProgress(into: &record) else { return false }
        case .metrics:
            guard scanHotMetrics(into: &record) else { return false }
        case .message:
            guard let message = scanMessage() else { return false }
            record.setMessage(message)
        }
        return index + 1 == bytes.count && bytes[index] == UInt8(ascii: "}")
    }

    /// The data of a progress record, read as ``scanProgress(step:)`` reads it.
    private mutating func scanHotProgress(into record: inout HotRecord) -> Bool {
        guard let p = scanProgressFields() else { return false }
        record.setProgress(current: p.current, total: p.total, elapsed: p.elapsed, timeRemaining: p.remaining)
        return true
    }

    /// `{"key":number,…}` with keys without escapes and no whitespace; numbers read as
    /// ``parseObject(depth:)`` reads them for a `metrics` record. A value of another type (a string, a
    /// list...) makes the full decoder take the line.
    private mutating func scanHotMetrics(into record: inout HotRecord) -> Bool {
        record.clearMetrics()
        guard consume("{"), let base = bytes.baseAddress else { return false }
        if consume("}") { return true }
        var asBefore = 0
        let remembered = record.rememberedKeyCount
        while true {
            let key: Range<Int>
            if asBefore == record.metricCount, asBefore < remembered,
               case let length = record.matchKeyPattern(asBefore, at: base + index, available: bytes.count - index), length > 0 {
                key = (index + 1)..<(index + length - 2)
                index += length
                asBefore += 1
                record.keysAsBefore = asBefore
            } else {
                guard consume("\""), let plain = scanPlainStringBytes(), consume(":") else { return false }
                key = plain
            }
            guard index < bytes.count else { return false }
            if let (mantissa, fraction, negative) = scanPlainNumber() {
                // Exactly what `parseNumber` makes of it (see `scanDouble`).
                if fraction == 0 {
                    record.appendMetric(key, .int(negative ? -Int(mantissa) : Int(mantissa)))
                } else {
                    let d = Double(mantissa) / JSONParser.exactPowersOfTen[fraction]
                    record.appendMetric(key, .double(negative ? -d : d))
                }
            } else {
                // Exponents, long digit runs, NaN and the infinities: the general routine reads them.
                switch try? parseValue(depth: 2) {
                case .int(let i)?: record.appendMetric(key, .int(i))
                case .double(let d)?: record.appendMetric(key, .double(d))
                default: return false
                }
            }
            if consume(",") { continue }
            return consume("}")
        }
    }
}
