/// The one record decoder: reads an event-log line in place, whatever its layout — keys in any order, any
/// JSON whitespace, extra keys, escapes anywhere — in one pass over the line (a key is told by its length
/// and bytes, never by a search through the keys).
///
/// Both readers use it: ``EventCodec/decodeLine(_:)`` turns what it read into an ``Event``, and
/// ``LogBlockReader`` keeps the three records that make up almost every log (progress, metrics, message)
/// in compact form (step and metric keys as byte ranges of the line, numbers as read). Whatever it does not
/// take on itself — a repeated top-level key, a value of a type the record does not expect, a number
/// written as a float where an integer is expected, any syntax error — makes ``scan(_:)`` return `false`,
/// and the caller runs the general parser (``JSONParser`` + ``EventCodec/decode(_:)``), which decides and
/// words the error. Values are read by ``JSONParser``'s own routines, so a record read here means exactly
/// what the general decoder makes of it (the tests check this on generated, fuzzed and re-laid-out logs).
package struct RecordScanner: Sendable {
    /// Which record the line holds.
    package enum Kind: Sendable, Hashable {
        case progress, metrics, message
        /// A `dev_event`: its message as a message's text (``contentRange`` or ``content``), its data's JSON
        /// text at ``devData``.
        case devEvent
        /// An `output` line (a child's captured stdout or stderr): its text as a message's text, its stream
        /// in ``outputStream``.
        case output
        /// A custom record (`prediction`, `checkpoint`, …) read by a compact scanner: its name at
        /// ``customName``, its data's JSON text (checked) at ``customData``.
        case custom
        /// Any other record, decoded whole (``makeEvent(_:)`` returns it).
        case other
    }

    /// A string of the line: where its bytes are (quotes excluded), and whether they hold escapes (then
    /// ``JSONParser/parseString()`` decodes them).
    package struct Text: Sendable, Hashable {
        package var range: Range<Int>
        package var escaped: Bool
    }

    /// `true`: metrics are kept as ``metricKeys`` / ``metricValues`` (numbers only; a metrics record with
    /// another value is kept as its parsed object). `false`: every metrics record is kept as its object.
    package let compact: Bool

    /// Which record the last successful ``scan(_:)`` read.
    package private(set) var kind: Kind = .other
    package private(set) var timestamp = 0.0
    /// The record's `step`, or `nil` when it has none (or `null`).
    package private(set) var step: Text?
    package private(set) var level: LogLevel?
    /// Progress: `current`.
    package private(set) var current = 0
    /// Progress: `total`.
    package private(set) var total = 0
    /// Progress: `elapsed`.
    package private(set) var elapsed: Double?
    /// Progress: `time_remaining`.
    package private(set) var timeRemaining: Double?
    /// Progress: `status` was `"failed"`.
    package private(set) var failed = false
    /// Progress: `unit` was `"%"` (only a percentage is known).
    package private(set) var percentOnly = false
    /// Metrics (compact): each key, in the record's order. A key may repeat; the consumer gives the last
    /// value the first key's position, as ``JSONObject`` does. A view of the scanner's storage: read it
    /// before the next scan.
    package var metricKeys: MetricFields<Text> { MetricFields(metrics, metrics.keys, metricCount) }
    /// Metrics (compact): the value of each key of ``metricKeys`` (read it before the next scan too).
    package var metricValues: MetricFields<JSONNumber> { MetricFields(metrics, metrics.values, metricCount) }
    package private(set) var metricCount = 0
    /// ``metricKeys`` and ``metricValues`` as the scanner's memory, for the hot path (the views retain
    /// the storage per call). Valid while this scanner lives and until its next scan.
    package var unsafeMetricKeys: UnsafeBufferPointer<Text> { UnsafeBufferPointer(start: metrics.keys, count: metricCount) }
    package var unsafeMetricValues: UnsafeBufferPointer<JSONNumber> {
        UnsafeBufferPointer(start: metrics.values, count: metricCount)
    }
    // Kept from one record to the next and overwritten, not cleared; made unique once per record (see
    // ``beginMetrics()``), so a key costs no uniqueness check as an array's element would.
    private var metrics = MetricStorage(capacity: 16)
    /// Message: its `content`.
    /// A message's text decoded (one written with escapes), or `""` when it lies in the line as written
    /// (``contentRange``): see ``content(in:)``.
    package private(set) var content = ""
    /// Where a message's text written without escapes lies in the line: read from there, never made a
    /// String on the way to a block.
    package private(set) var contentRange: Range<Int>?
    /// Where a dev event's data lies in the line (its JSON text, checked); nil when it has none or `null`.
    package private(set) var devData: Range<Int>?
    /// An output line's stream (`stdout` when absent or `null`, as the general decoder reads it).
    package private(set) var outputStream = OutputLine.Stream.stdout
    /// Where a custom record's name (written without escapes) and its data's JSON text lie in the line.
    package private(set) var customName: Range<Int> = 0..<0
    package private(set) var customData: Range<Int> = 0..<0
    /// Message: its `key`.
    package private(set) var messageKey: String?
    /// The payload decoded, for ``Kind/other``; ``makeEvent(_:)`` gives it the record's timestamp, step,
    /// level and file (read apart: they may come after `data`).
    private var payload: EventPayload?
    private var metricsObject: JSONObject?
    /// The record's `file`.
    package private(set) var fileText: Text?
    // Where the last record scanned ended: see ``scanLine(_:)``.
    private var lineLength = 0
    private var nextLine = 0
    /// Metrics: `true` when every value was a number and ``metricKeys`` / ``metricValues`` hold them
    /// (compact scanners only); else the record's object is kept for ``makeEvent(_:)``.
    package var metricsInFields: Bool { metricsObject == nil }

    /// A scanner for one reader; reuse it line after line (its arrays are kept).
    package init(compact: Bool) {
        self.compact = compact
    }

    /// Reads `line` (trimmed of surrounding whitespace). `false`: let the general decoder decide.
    /// `readable`: how many bytes from the line's start may be read, when the line sits in a larger buffer.
    package mutating func scan(_ line: UnsafeBufferPointer<UInt8>, readable: Int = 0) -> Bool {
        var parser = JSONParser(line, readable: readable)
        return parser.scanRecord(into: &self)
    }

    /// Reads the line that starts `rest` (the rest of a block: this line, its newline, more lines), so
    /// the line's end need not be searched for first. On success, the record's bytes (the line without
    /// the whitespace after it) and where the next line starts past the newline; nil where ``scan(_:readable:)``
    /// on the line would not read it (a record not starting the line, anything after it but whitespace).
    package mutating func scanLine(_ rest: UnsafeBufferPointer<UInt8>) -> (length: Int, next: Int)? {
        var parser = JSONParser(rest, readable: rest.count, newlineEnds: true)
        guard parser.scanRecord(into: &self) else { return nil }
        return (lineLength, nextLine)
    }

    /// ``makeEvent(_:)`` that moves a decoded payload into the event rather than copying it (a copy
    /// retains every part of it); call it once per ``scan(_:)``.
    package mutating func takeEvent(_ line: UnsafeBufferPointer<UInt8>) -> Event {
        guard kind == .other, let payload = payload.take() else { return makeEvent(line) }
        let parser = JSONParser(line)
        return event(payload, step: step.map { parser.string($0) }, parser)
    }

    /// The event of the line last scanned (`line` is that line).
    package func makeEvent(_ line: UnsafeBufferPointer<UInt8>) -> Event {
        let parser = JSONParser(line)
        let stepName = step.map { parser.string($0) }
        let payload: EventPayload
        switch kind {
        case .progress:
            payload = .progress(ProgressData(current: current, total: total, step: stepName, elapsed: elapsed,
                                             timeRemaining: timeRemaining, failed: failed, percentOnly: percentOnly))
        case .message:
            payload = .message(Message(content: content(in: line), key: messageKey))
        case .custom:
            var reader = JSONParser(line)
            reader.index = customData.lowerBound
            // Checked when scanned: it reads as that check said (null only if the two disagreed).
            let data = (try? reader.parseValue(depth: 1)) ?? .null
            payload = .custom(name: String(decoding: UnsafeBufferPointer(rebasing: line[customName]), as: UTF8.self), data: data)
        case .output:
            payload = .output(OutputLine(stream: outputStream, text: content(in: line)))
        case .devEvent:
            let message = content(in: line)
            payload = .devEvent(devData.map {
                DevEvent(message: message, dataText: String(decoding: UnsafeBufferPointer(rebasing: line[$0]), as: UTF8.self))
            } ?? DevEvent(message: message))
        case .metrics:
            if let metricsObject {
                payload = .metrics(metricsObject)
            } else {
                var object = JSONObject()
                object.reserveCapacity(metricCount)
                for (key, value) in zip(metricKeys, metricValues) { object[parser.string(key)] = value.json }
                payload = .metrics(object)
            }
        case .other:
            payload = self.payload ?? .end  // set for every other record scanned
        }
        return event(payload, step: stepName, parser)
    }

    /// `payload` with the record's timestamp, step (decoded once by the caller), level and file.
    private func event(_ payload: EventPayload, step stepName: String?, _ parser: JSONParser) -> Event {
        Event(timestamp: timestamp, step: stepName, level: level, file: fileText.map { parser.string($0) }, payload: payload)
    }

    // MARK: Filled in by the parser

    fileprivate mutating func begin() {
        kind = .other
        timestamp = 0
        step = nil
        level = nil
        fileText = nil
        // Only when set: assigning nil destroys the old value through a witness or a runtime call, on
        // every line.
        if case .some = payload { payload = nil }
        if case .some = metricsObject { metricsObject = nil }
        metricCount = 0
        failed = false
        percentOnly = false
        elapsed = nil
        timeRemaining = nil
        if case .some = messageKey { messageKey = nil }
    }

    /// Before a record's first ``appendMetric(_:_:)``: the storage is this scanner's alone (a copy of the
    /// scanner shares it until then).
    @inline(__always)
    fileprivate mutating func beginMetrics() {
        if !isKnownUniquelyReferenced(&metrics) { metrics = metrics.copy() }
    }

    @inline(__always)
    fileprivate mutating func appendMetric(_ key: Text, _ value: JSONNumber) {
        if metricCount == metrics.capacity { metrics = metrics.grown(keeping: metricCount) }
        (metrics.keys + metricCount).initialize(to: key)
        (metrics.values + metricCount).initialize(to: value)
        metricCount += 1
    }

    fileprivate mutating func noteLine(length: Int, next: Int) {
        lineLength = length
        nextLine = next
    }

    fileprivate mutating func set(timestamp: Double) { self.timestamp = timestamp }
    fileprivate mutating func set(step: Text?) { self.step = step }
    fileprivate mutating func set(file: Text?) { fileText = file }
    fileprivate mutating func set(level: LogLevel?) { self.level = level }
    fileprivate mutating func set(kind: Kind) { self.kind = kind }
    fileprivate mutating func set(payload: EventPayload) { self.payload = payload }
    fileprivate mutating func set(metrics: JSONObject) { metricsObject = metrics }
    fileprivate mutating func set(current: Int, total: Int, elapsed: Double?, timeRemaining: Double?, failed: Bool,
                                  percentOnly: Bool) {
        self.percentOnly = percentOnly
        self.current = current
        self.total = total
        self.elapsed = elapsed
        self.timeRemaining = timeRemaining
        self.failed = failed
    }
    fileprivate mutating func set(devData: Range<Int>?) { self.devData = devData }
    fileprivate mutating func set(outputStream: OutputLine.Stream) { self.outputStream = outputStream }
    fileprivate mutating func set(customName: Range<Int>, data: Range<Int>) {
        self.customName = customName
        customData = data
    }
    fileprivate mutating func set(content: String, range: Range<Int>?, key: String?) {
        self.content = content
        contentRange = range
        messageKey = key
    }

    /// The message's text, from `line` (the line scanned) where it lies there as written.
    package func content(in line: UnsafeBufferPointer<UInt8>) -> String {
        guard let contentRange else { return content }
        return String(decoding: UnsafeBufferPointer(rebasing: line[contentRange]), as: UTF8.self)
    }
}

/// The top-level keys a record's reader acts on.
private enum TopLevelKey {
    case v, event, timestamp, step, level, file, data, other
}

/// The keys of a `progress` record's data, told apart as ``TopLevelKey``s are.
private enum ProgressKey {
    case current, total, percent, elapsed, timeRemaining, status, unit, other
}

/// Kinds told apart by their name's bytes.
private enum RecordName {
    case progress, metrics, message, devEvent, output, end, otherReserved, custom
}

extension JSONParser {
    /// The string at `text` (which this parser's line holds).
    func string(_ text: RecordScanner.Text) -> String {
        if !text.escaped { return String(decoding: UnsafeBufferPointer(rebasing: bytes[text.range]), as: UTF8.self) }
        return unescapedString(text.range)  // its escapes were checked when it was scanned (`scanText`)
    }

    /// Top-level keys seen, one bit each: a repeated one is left to the general decoder (whose last value wins).
    private static let seenEvent: UInt8 = 1, seenTimestamp: UInt8 = 2, seenStep: UInt8 = 4, seenLevel: UInt8 = 8,
                        seenFile: UInt8 = 16, seenData: UInt8 = 32, seenV: UInt8 = 64

    /// The whole record into `record`; `false` to fall back.
    mutating func scanRecord(into record: inout RecordScanner) -> Bool {
        record.begin()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return false }
        index += 1
        var seen: UInt8 = 0
        var name: Range<Int>?
        var nameKind = RecordName.custom
        var stepText: RecordScanner.Text?
        var dataStart = -1
        var dataRead = false
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { return false }  // no event: an error
        while true {
            guard let key = topLevelKey() else { return false }
            let bit: UInt8
            switch key {
            case .v:
                bit = Self.seenV
                guard skipSmallValue() else { return false }
            case .event:
                bit = Self.seenEvent
                if let (range, kind) = knownRecordName() {
                    name = range
                    nameKind = kind
                } else {
                    guard let text = scanText(), !text.escaped else { return false }
                    name = text.range
                    nameKind = recordName(text.range)
                }
            case .timestamp:
                bit = Self.seenTimestamp
                if consume("null") {
                    record.set(timestamp: 0)
                } else {
                    guard let t = scanTimestamp() else { return false }
                    record.set(timestamp: t)
                }
            case .step:
                bit = Self.seenStep
                if !consume("null") {
                    guard let text = scanText() else { return false }
                    stepText = text
                }
                record.set(step: stepText)
            case .level:
                bit = Self.seenLevel
                if !consume("null") {
                    guard let text = scanText() else { return false }
                    record.set(level: text.escaped ? LogLevel(name: string(text)) : level(of: text.range))
                }
            case .file:
                bit = Self.seenFile
                if !consume("null") {
                    guard let text = scanText() else { return false }
                    record.set(file: text)
                }
            case .data:
                bit = Self.seenData
                dataStart = index
                if let name {
                    // The common case: the name came first, so data is read once, straight into its record.
                    guard scanData(nameKind, name, into: &record) else { return false }
                    dataRead = true
                } else {
                    guard skipValue(depth: 1) else { return false }
                }
            case .other:
                bit = 0
                guard skipPlainNumber() || skipValue(depth: 1) else { return false }
            }
            if seen & bit != 0 { return false }
            seen |= bit
            guard let more = nextMember() else { return false }
            if more { continue }
            // Past the record's `}`.
            if index != bytes.count {
                // Reading the rest of a block: only whitespace may follow, up to the line's newline.
                guard newlineEnds, let next = lineEnd(after: index) else { return false }
                record.noteLine(length: index, next: next)
            } else {
                record.noteLine(length: bytes.count, next: bytes.count)
            }
            break
        }
        guard let name else { return false }
        if !dataRead {
            // The data came before the name (or there is none): read it now that the kind is known.
            let end = index
            if dataStart >= 0 {
                index = dataStart
                guard scanData(nameKind, name, into: &record) else { return false }
            } else {
                guard scanAbsentData(nameKind, name, into: &record) else { return false }
            }
            index = end
        }
        return true
    }

    /// Where the line holding a record that ends at `end` ends (its newline, or the end of the bytes), when
    /// only whitespace follows the record; nil otherwise.
    @inline(__always)
    private func lineEnd(after end: Int) -> Int? {
        var i = end
        while i < bytes.count {
            switch bytes[i] {
            case 0x0A: return i
            case 0x20, 0x0D, 0x09: i += 1
            default: return nil
            }
        }
        return i
    }

    /// A record without `data` (the general decoder reads it as `null`).
    private mutating func scanAbsentData(_ kind: RecordName, _ name: Range<Int>, into record: inout RecordScanner) -> Bool {
        switch kind {
        case .end:
            record.set(kind: .other)
            record.set(payload: .end)
            return true
        case .custom:
            let n = String(decoding: UnsafeBufferPointer(rebasing: bytes[name]), as: UTF8.self)
            record.set(kind: .other)
            record.set(payload: .custom(name: n, data: .null))
            return true
        default:
            return false  // a reserved record needs an object: the general decoder words the error
        }
    }

    /// The data value at the index, read for a record named `name`.
    private mutating func scanData(_ kind: RecordName, _ name: Range<Int>, into record: inout RecordScanner) -> Bool {
        switch kind {
        case .progress:
            guard scanProgressData(into: &record) else { return false }
            record.set(kind: .progress)
            return true
        case .message:
            guard scanMessageData(into: &record) else { return false }
            record.set(kind: .message)
            return true
        case .metrics:
            guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return false }
            record.set(kind: .metrics)
            if record.compact {
                let start = index
                if scanMetricsData(into: &record) { return true }
                index = start
            }
            guard let object = try? parseObject(depth: 2) else { return false }
            record.set(metrics: object)
            return true
        case .end:
            guard skipValue(depth: 1) else { return false }
            record.set(kind: .other)
            record.set(payload: .end)
            return true
        case .devEvent:
            // Read where its parts lie: the general route builds the outer object only to take it apart.
            guard scanDevEventData(into: &record) else { return false }
            record.set(kind: .devEvent)
            return true
        case .output:
            // Read where its text lies, as a message's: a child that prints a lot writes little else.
            guard scanOutputData(into: &record) else { return false }
            record.set(kind: .output)
            return true
        case .custom where record.compact:
            // Checked, not built: a block keeps its JSON text, which the ring keeps and reads when shown.
            let start = index
            guard skipValue(depth: 1) else { return false }
            record.set(customName: name, data: start..<index)
            record.set(kind: .custom)
            return true
        case .custom, .otherReserved:
            guard let data = try? parseValue(depth: 1) else { return false }
            let n = String(decoding: UnsafeBufferPointer(rebasing: bytes[name]), as: UTF8.self)
            let payload: EventPayload
            if kind == .custom {
                payload = .custom(name: n, data: data)
            } else {
                // The step matters only to progress, which is not read here.
                guard let decoded = try? EventCodec.decodePayload(name: n, data: data, step: nil) else { return false }
                payload = decoded
            }
            record.set(kind: .other)
            record.set(payload: payload)
            return true
        }
    }

    /// `{"current":I,"total":I,…}` in any order: `elapsed`, `time_remaining`, `status` and `unit` are read,
    /// `percent` and other keys skipped (``ProgressData`` derives the percent).
    private mutating func scanProgressData(into record: inout RecordScanner) -> Bool {
        guard enterObject() else { return false }
        var current: Int?, total: Int?, elapsed: Double?, remaining: Double?, failed = false, percentOnly = false
        var seen: UInt8 = 0
        if !atObjectEnd() {
            while true {
                guard let key = progressKey() else { return false }
                var bit: UInt8 = 0
                switch key {
                case .current:
                    bit = 1
                    guard let i = scanInt() else { return false }
                    current = i
                case .total:
                    bit = 2
                    guard let i = scanInt() else { return false }
                    total = i
                case .elapsed:
                    bit = 4
                    if !consume("null") {
                        guard let d = scanDouble() else { return false }
                        elapsed = d
                    }
                case .timeRemaining:
                    bit = 8
                    if !consume("null") {
                        guard let d = scanDouble() else { return false }
                        remaining = d
                    }
                case .status:
                    bit = 16
                    if !consume("null") {
                        guard let text = scanText() else { return false }
                        failed = textEquals(text, "failed")
                    }
                case .unit:
                    bit = 32
                    if !consume("null") {
                        guard let text = scanText() else { return false }
                        percentOnly = textEquals(text, "%")
                    }
                case .percent:
                    // Not kept (the SDK's own figure, derived from current and total): a number is stepped
                    // over here (a failed try leaves the index), anything else as any value.
                    guard skipPlainNumber() || skipValue(depth: 2) else { return false }
                case .other:
                    guard skipValue(depth: 2) else { return false }
                }
                if seen & bit != 0 { return false }
                seen |= bit
                guard let more = nextMember() else { return false }
                if !more { break }
            }
        } else {
            index += 1
        }
        guard let current, let total else { return false }
        record.set(current: current, total: total, elapsed: elapsed, timeRemaining: remaining, failed: failed,
                   percentOnly: percentOnly)
        return true
    }

    /// `{"content":"…","key":"…"}` in any order, other keys skipped.
    private mutating func scanMessageData(into record: inout RecordScanner) -> Bool {
        var content: String?, range: Range<Int>?, key: String?
        let read = scanNamedMembers { parser, name in
            switch name.count {
            case 7 where parser.bytesEqual(name, "content"):
                guard let text = parser.scanMessageText() else { return nil }
                content = text.text
                range = text.range
                return 1
            case 3 where parser.bytesEqual(name, "key"):
                if !parser.consume("null") {
                    guard let s = parser.scanString() else { return nil }
                    key = s
                }
                return 2
            default:
                return parser.skipValue(depth: 2) ? 0 : nil
            }
        }
        guard read, let content else { return false }
        record.set(content: content, range: range, key: key)
        return true
    }

    /// `{"message":"…","data":…}` in any order, other keys skipped; a `message` that is not a string is
    /// left to the general decoder (which writes it as its JSON text).
    private mutating func scanDevEventData(into record: inout RecordScanner) -> Bool {
        var message: String?, range: Range<Int>?, data: Range<Int>?
        let read = scanNamedMembers { parser, name in
            switch name.count {
            case 7 where parser.bytesEqual(name, "message"):
                guard let text = parser.scanMessageText() else { return nil }
                message = text.text
                range = text.range
                return 1
            case 4 where parser.bytesEqual(name, "data"):
                // Checked as the parser would read it, kept as its text: the Dev pane reads it when shown.
                let start = parser.index
                guard parser.skipValue(depth: 2) else { return nil }
                data = start..<parser.index
                return 2
            default:
                return parser.skipValue(depth: 2) ? 0 : nil
            }
        }
        guard read, let message else { return false }
        record.set(content: message, range: range, key: nil)
        record.set(devData: data.flatMap { bytesEqual($0, "null") ? nil : $0 })
        return true
    }

    /// `{"stream":"stdout"|"stderr"|null,"text":"…"}` in any order, other keys skipped. A text that is not
    /// a string, a stream written with escapes or of another type are left to the general decoder.
    private mutating func scanOutputData(into record: inout RecordScanner) -> Bool {
        var text: String?, range: Range<Int>?, stream = OutputLine.Stream.stdout
        let read = scanNamedMembers { parser, name in
            switch name.count {
            case 4 where parser.bytesEqual(name, "text"):
                guard let t = parser.scanMessageText() else { return nil }
                text = t.text
                range = t.range
                return 1
            case 6 where parser.bytesEqual(name, "stream"):
                if !parser.consume("null") {
                    guard let s = parser.scanText(), !s.escaped else { return nil }
                    // Any other name is stdout, as the general decoder has it.
                    stream = parser.bytesEqual(s.range, "stderr") ? .stderr : .stdout
                }
                return 2
            default:
                return parser.skipValue(depth: 2) ? 0 : nil
            }
        }
        guard read, let text else { return false }
        record.set(content: text, range: range, key: nil)
        record.set(outputStream: stream)
        return true
    }

    /// An object whose members `member` reads at the value after each key: it returns the member's bit
    /// (0 for one it skipped) or nil where the general decoder must decide; a known key twice is such a
    /// place too.
    @inline(__always)
    private mutating func scanNamedMembers(_ member: (inout JSONParser, Range<Int>) -> UInt8?) -> Bool {
        guard enterObject() else { return false }
        if atObjectEnd() { index += 1; return true }
        var seen: UInt8 = 0
        while true {
            guard let name = scanKey(), let bit = member(&self, name), seen & bit == 0 else { return false }
            seen |= bit
            guard let more = nextMember() else { return false }
            if !more { return true }
        }
    }

    /// `{"key":number,…}`; a value of another type returns `false` (the caller then parses the object).
    private mutating func scanMetricsData(into record: inout RecordScanner) -> Bool {
        guard enterObject() else { return false }
        record.beginMetrics()
        if atObjectEnd() { index += 1; return true }
        while true {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = scanText() else { return false }
            if !takeSeparator(UInt8(ascii: ":")) {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
                index += 1
                skipSpace()
            }
            guard index < bytes.count else { return false }
            let start = index
            if let (mantissa, fraction, negative) = scanPlainNumber(),
               let number = JSONNumberReading.number(mantissa: mantissa, fraction: fraction, negative: negative) {
                record.appendMetric(key, number)
            } else {
                // Exponents, long digit runs, NaN and the infinities: the general routine reads them.
                index = start
                switch try? parseValue(depth: 2) {
                case .int(let i)?: record.appendMetric(key, .int(i))
                case .double(let d)?: record.appendMetric(key, .double(d))
                default: return false
                }
            }
            guard let more = nextMember() else { return false }
            if !more { return true }
        }
    }

    // MARK: Tokens

    /// JSON whitespace. Most layouts have none (a value or key never starts at or below a space) or one
    /// space (Python's separators), so those are told first and only a longer run takes the loop.
    @inline(__always)
    mutating func skipSpace() {
        guard index < bytes.count, bytes[index] <= 0x20 else { return }
        if bytes[index] == 0x20 {
            index &+= 1
            guard index < bytes.count, bytes[index] <= 0x20 else { return }
        }
        skipSpaceRun()
    }

    /// ``skipSpace()`` past its first space.
    @inline(never)
    mutating func skipSpaceRun() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0D, 0x09: index += 1
            case 0x0A where !newlineEnds: index += 1
            default: return
            }
        }
    }

    /// `{` and the whitespace after it.
    @inline(__always)
    private mutating func enterObject() -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return false }
        index += 1
        skipSpace()
        return true
    }

    @inline(__always)
    private func atObjectEnd() -> Bool { index < bytes.count && bytes[index] == UInt8(ascii: "}") }

    /// After a member's value: `true` after a `,` (and the whitespace after it), `false` after the `}`
    /// that ends the object, `nil` on anything else.
    @inline(__always)
    private mutating func nextMember() -> Bool? {
        if takeSeparator(UInt8(ascii: ",")) { return true }
        skipSpace()
        guard index < bytes.count else { return nil }
        let c = bytes[index]
        index += 1
        if c == UInt8(ascii: ",") { skipSpace(); return true }
        if c == UInt8(ascii: "}") { return false }
        return nil
    }

    /// `separator` (`,` or `:`) at the index and at most one space after it, before a byte of the line that
    /// is not whitespace: stepped over at once (the compact form, and Python's `", "` and `": "`); `false`,
    /// the index unmoved, for anything else.
    @inline(__always)
    private mutating func takeSeparator(_ separator: UInt8) -> Bool {
        guard index &+ 2 < bytes.count, let base = bytes.baseAddress, base[index] == separator else { return false }
        let next = base[index &+ 1]
        if next > 0x20 {
            index &+= 1
            return true
        }
        guard next == 0x20, base[index &+ 2] > 0x20 else { return false }
        index &+= 2
        return true
    }

    /// A key without escapes, its colon and the whitespace around it; the key's bytes. An escaped key is
    /// left to the general decoder.
    @inline(__always)
    private mutating func scanKey() -> Range<Int>? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        guard let key = scanPlainStringBytes(), keyColon() else { return nil }
        return key
    }

    /// The colon after a key and the whitespace around it.
    @inline(__always)
    private mutating func keyColon() -> Bool {
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            index += 1
        } else {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
            index += 1
        }
        skipSpace()
        return true
    }

    /// A top-level key and its colon. Ours are compared whole with the colon after them, in a word or two,
    /// which tells them apart without reading the key's bytes one word at a time; any other key (an escaped
    /// one among them, which cannot match) is read as a key and is `.other`.
    @_transparent
    private mutating func topLevelKey() -> TopLevelKey? {
        if readable &- index >= Self.keyReach, let base = bytes.baseAddress, base[index] == UInt8(ascii: "\"") {
            switch base[index &+ 1] {
            case UInt8(ascii: "v"): if takeKey("\"v\":") { return .v }
            case UInt8(ascii: "e"): if takeKey("\"event\":") { return .event }
            case UInt8(ascii: "t"): if takeKey("\"timestamp\":") { return .timestamp }
            case UInt8(ascii: "s"): if takeKey("\"step\":") { return .step }
            case UInt8(ascii: "l"): if takeKey("\"level\":") { return .level }
            case UInt8(ascii: "d"): if takeKey("\"data\":") { return .data }
            case UInt8(ascii: "f"): if takeKey("\"file\":") { return .file }
            default: break
            }
            if takeOtherKey(base) { return .other }
        }
        return anyTopLevelKey()
    }

    /// A key of at most 15 plain bytes with its colon right after it, where ``keyReach`` bytes may be read:
    /// one none of ``topLevelKey()``'s literals matched, so not ours (a producer's `seq`, `host`, `pid`).
    @inline(__always)
    private mutating func takeOtherKey(_ base: UnsafePointer<UInt8>) -> Bool {
        @inline(__always) func hits(_ at: Int) -> UInt64 {
            jsonEscapeMask(UInt64(littleEndian: UnsafeRawPointer(base + at).loadUnaligned(as: UInt64.self)))
        }
        var end = index &+ 1
        var found = hits(end)
        if found == 0 {
            end &+= 8
            found = hits(end)
            guard found != 0 else { return false }
        }
        end &+= found.trailingZeroBitCount &>> 3
        guard base[end] == UInt8(ascii: "\""), base[end &+ 1] == UInt8(ascii: ":"), end &+ 2 < bytes.count else { return false }
        index = end &+ 2
        skipSpace()
        return true
    }

    /// ``topLevelKey()`` near the end of the readable bytes, with whitespace before the colon, or for a
    /// key that is not ours.
    @inline(never)
    private mutating func anyTopLevelKey() -> TopLevelKey? {
        if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            let known: TopLevelKey?
            switch bytes[index + 1] {
            case UInt8(ascii: "v"): known = consume("\"v\"") ? .v : nil
            case UInt8(ascii: "e"): known = consume("\"event\"") ? .event : nil
            case UInt8(ascii: "t"): known = consume("\"timestamp\"") ? .timestamp : nil
            case UInt8(ascii: "s"): known = consume("\"step\"") ? .step : nil
            case UInt8(ascii: "l"): known = consume("\"level\"") ? .level : nil
            case UInt8(ascii: "d"): known = consume("\"data\"") ? .data : nil
            case UInt8(ascii: "f"): known = consume("\"file\"") ? .file : nil
            default: known = nil
            }
            if let known { return keyColon() ? known : nil }
        }
        return scanKey() == nil ? nil : .other
    }

    /// A key of a `progress` record's data and its colon, compared whole as ``topLevelKey()`` compares.
    @_transparent
    private mutating func progressKey() -> ProgressKey? {
        if readable &- index >= Self.keyReach, let base = bytes.baseAddress, base[index] == UInt8(ascii: "\"") {
            switch base[index &+ 1] {
            case UInt8(ascii: "c"): if takeKey("\"current\":") { return .current }
            case UInt8(ascii: "t"):
                if takeKey("\"total\":") { return .total }
                if takeKey("\"time_remaining\":") { return .timeRemaining }
            case UInt8(ascii: "p"): if takeKey("\"percent\":") { return .percent }
            case UInt8(ascii: "e"): if takeKey("\"elapsed\":") { return .elapsed }
            case UInt8(ascii: "s"): if takeKey("\"status\":") { return .status }
            case UInt8(ascii: "u"): if takeKey("\"unit\":") { return .unit }
            default: break
            }
        }
        return anyProgressKey()
    }

    /// ``progressKey()`` where ``topLevelKey()`` takes ``anyTopLevelKey()``.
    @inline(never)
    private mutating func anyProgressKey() -> ProgressKey? {
        if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            let known: ProgressKey?
            switch bytes[index + 1] {
            case UInt8(ascii: "c"): known = consume("\"current\"") ? .current : nil
            case UInt8(ascii: "t"): known = consume("\"total\"") ? .total : consume("\"time_remaining\"") ? .timeRemaining : nil
            case UInt8(ascii: "p"): known = consume("\"percent\"") ? .percent : nil
            case UInt8(ascii: "e"): known = consume("\"elapsed\"") ? .elapsed : nil
            case UInt8(ascii: "s"): known = consume("\"status\"") ? .status : nil
            case UInt8(ascii: "u"): known = consume("\"unit\"") ? .unit : nil
            default: known = nil
            }
            if let known { return keyColon() ? known : nil }
        }
        return scanKey() == nil ? nil : .other
    }

    /// How many bytes past a key's opening quote ``takeKey(_:)`` may read: the longest key it takes
    /// (`"time_remaining":`, 17 bytes) in whole words.
    static let keyReach = 24

    /// `literal` (a key, its quotes and the colon after them) at the index, where ``keyReach`` bytes may be
    /// read: the index then moves past it and the whitespace after it. A value must follow in the line.
    @inline(__always)
    private mutating func takeKey(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        let base = bytes.baseAddress.unsafelyUnwrapped
        guard Self.sameBytes(base + index, literal.utf8Start, n), index &+ n < bytes.count else { return false }
        index &+= n
        skipSpace()
        return true
    }

    /// The record names of the hot records compared whole, as ``topLevelKey()`` compares keys: the name's
    /// bytes and kind, or nil (the index unmoved) for any other value.
    @inline(__always)
    private mutating func knownRecordName() -> (Range<Int>, RecordName)? {
        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        let start = index + 1
        let kind: RecordName
        switch bytes[start] {
        case UInt8(ascii: "p") where consume("\"progress\""): kind = .progress
        case UInt8(ascii: "m") where consume("\"metrics\""): kind = .metrics
        case UInt8(ascii: "m") where consume("\"message\""): kind = .message
        case UInt8(ascii: "d") where consume("\"dev_event\""): kind = .devEvent
        case UInt8(ascii: "o") where consume("\"output\""): kind = .output
        default: return nil
        }
        return (start..<(index - 1), kind)
    }

    /// A value that is usually one digit (`"v":1`): taken at once when a `,` or `}` follows it, else
    /// stepped over as any value.
    @inline(__always)
    private mutating func skipSmallValue() -> Bool {
        if index + 1 < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10,
           bytes[index + 1] == UInt8(ascii: ",") || bytes[index + 1] == UInt8(ascii: "}") {
            index += 1
            return true
        }
        return skipValue(depth: 1)
    }

    /// A string value: where its bytes are and whether they hold escapes (checked valid here, decoded
    /// when wanted by ``string(_:)``).
    @inline(__always)
    private mutating func scanText() -> RecordScanner.Text? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        let open = index
        index += 1
        if let plain = scanPlainStringBytes() { return RecordScanner.Text(range: plain, escaped: false) }
        index = open
        guard checkString() else { return nil }
        return RecordScanner.Text(range: (open + 1)..<(index - 1), escaped: true)
    }

    /// Steps over one JSON value, checking it as ``parseValue(depth:)`` would (without building it);
    /// `false` where that would fail, or past a nesting the general parser is left to judge.
    mutating func skipValue(depth: Int) -> Bool {
        guard index < bytes.count, depth < 64 else { return false }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            let open = index
            index += 1
            if scanPlainStringBytes() != nil { return true }
            // An escape or a control character: checked as the string routine reads it, not built.
            index = open
            return checkString()
        case UInt8(ascii: "{"):
            index += 1
            skipSpace()
            if atObjectEnd() { index += 1; return true }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), skipValue(depth: depth + 1) else { return false }
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
                index += 1
                skipSpace()
                guard skipValue(depth: depth + 1), let more = nextMember() else { return false }
                if !more { return true }
            }
        case UInt8(ascii: "["):
            index += 1
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return true }
            while true {
                skipSpace()
                guard skipValue(depth: depth + 1) else { return false }
                skipSpace()
                guard index < bytes.count else { return false }
                let c = bytes[index]
                index += 1
                if c == UInt8(ascii: ",") { continue }
                return c == UInt8(ascii: "]")
            }
        default:
            if skipPlainNumber() || scanPlainNumber() != nil { return true }
            return (try? parseValue(depth: depth)) != nil
        }
    }

    /// A number stepped over, its form checked and its value not read: `-`, at most 15 integer digits (no
    /// leading zero), then at most 23 after a point, where ``wordNumberReach`` bytes may be read. `false`
    /// (the index unmoved) for anything else, an exponent among them.
    @inline(__always)
    mutating func skipPlainNumber() -> Bool {
        guard readable &- index >= Self.wordNumberReach, let base = bytes.baseAddress else { return false }
        let start = base + index
        let digits = start.pointee == UInt8(ascii: "-") ? start + 1 : start
        var count = Self.digitWord(digits).count
        guard count > 0, count == 1 || digits.pointee != UInt8(ascii: "0") else { return false }
        var p = digits + count
        if count == 8 {
            count = Self.digitWord(p).count
            guard count < 8 else { return false }
            p += count
        }
        if p.pointee == UInt8(ascii: ".") {
            p += 1
            count = Self.digitWord(p).count
            guard count > 0 else { return false }
            p += count
            if count == 8 {
                count = Self.digitWord(p).count
                p += count
                if count == 8 {
                    count = Self.digitWord(p).count
                    guard count < 8 else { return false }
                    p += count
                }
            }
        }
        guard p.pointee | 0x20 != UInt8(ascii: "e"), p <= base + bytes.count else { return false }
        index = p - base
        return true
    }
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

    /// `n` bytes at `a` equal those at `b` (word loads; keys are short).
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
        let start = index
        if let (mantissa, fraction, negative) = scanPlainNumber() {
            if fraction == 0 { return Double(negative ? -Int(mantissa) : Int(mantissa)) }
            if let d = JSONNumberReading.double(mantissa: mantissa, fraction: fraction) { return negative ? -d : d }
        }
        index = start
        return scanOtherDouble()
    }

    /// A timestamp as `time.time()`'s repr and Swift's description write one (`1764076800.0016472`: 9 to 15
    /// integer digits, 1 to 7 after the point) read as I + F / 10^k in two floating-point operations: for
    /// these sizes that is the correctly rounded value (docs/benchmarks.md, round 22), where the whole
    /// 17-digit mantissa would take Eisel-Lemire. Any other number as ``scanDouble()`` reads it.
    @inline(__always)
    mutating func scanTimestamp() -> Double? {
        if readable &- index >= 24, let base = bytes.baseAddress {
            let p = base + index
            let (high, x) = Self.digitWord(p)
            let (low, y) = Self.digitWord(p + 8)
            if high == 8, low > 0, low < 8, p.pointee != UInt8(ascii: "0"), p[8 + low] == UInt8(ascii: ".") {
                let point = p + 9 + low
                let (k, z) = Self.digitWord(point)
                let end = point + k
                if k > 0, k < 8, end.pointee | 0x20 != UInt8(ascii: "e"), end <= base + bytes.count {
                    let integer = Self.combineDigits(x) &* Self.powersOfTen[low] &+ Self.leadingValue(y, low)
                    // F / 10^k is off by at most 2^-53 of itself, F < 10^7 < 2^26 < I: closer to I + F / 10^k than
                    // any tie between two doubles (a tie it lies on makes F / 10^k exact), so one rounding.
                    index = end - base
                    // Both below 2^63: converted as signed, one instruction each.
                    let f = Int64(truncatingIfNeeded: Self.leadingValue(z, k))
                    return Double(Int64(truncatingIfNeeded: integer)) + Double(f) / JSONParser.exactPowersOfTen[k]
                }
            }
        }
        return scanOtherTimestamp()
    }

    /// ``scanTimestamp()`` for any other number, out of line so the common case inlines.
    @inline(never)
    mutating func scanOtherTimestamp() -> Double? { scanDouble() }

    /// ``scanDouble()`` for what the plain form does not cover, out of line so the common case inlines.
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
        let start = index
        guard let value = try? parseNumber(), case .int(let i) = value else { index = start; return nil }
        return i
    }

    /// The common shape of numbers, read without the general routine's bookkeeping:
    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?` with at most 19 significant digits (an integer at most `Int.max`),
    /// optionally with a negative exponent of up to three digits (``negativeExponent(_:limit:)``).
    /// Returns the digits as one integer and the power of ten they are divided by (how many follow the
    /// point, plus the exponent's size); for anything else leaves the index where it was and returns nil
    /// (the general routine decides).
    @inline(__always)
    mutating func scanPlainNumber() -> (mantissa: UInt64, fraction: Int, negative: Bool)? {
        if readable - index >= Self.wordNumberReach, let base = bytes.baseAddress,
           let number = scanWordNumber(base) {
            return number
        }
        return scanPlainNumberByParts()
    }

    /// How far past a number's first byte ``scanWordNumber(_:)`` may read: a sign, two words of integer
    /// digits, the point, three words of fraction digits (``scanLongFraction(_:negative:integerDigits:mantissa:)``),
    /// then an exponent's five bytes (``negativeExponent(_:limit:)``) with the byte after them.
    static let wordNumberReach = 48

    /// ``scanPlainNumber()`` for a number of at most 15 integer and 23 fraction digits, a few word loads,
    /// where the bytes past the line may be read (``readable``); nil for any other number, which
    /// ``scanPlainNumberByParts()`` reads again from its start.
    @inline(__always)
    mutating func scanWordNumber(_ base: UnsafePointer<UInt8>) -> (mantissa: UInt64, fraction: Int, negative: Bool)? {
        let start = base + index
        let negative = start.pointee == UInt8(ascii: "-")
        let digits = negative ? start + 1 : start
        let (count, x) = Self.digitWord(digits)
        guard count > 0 else { return nil }
        // A leading zero: the general routine reports it.
        if count > 1, digits.pointee == UInt8(ascii: "0") { return nil }
        var mantissa = Self.leadingValue(x, count)
        var integerDigits = count
        if count == 8 {
            let (more, y) = Self.digitWord(digits + 8)
            guard more < 8 else { return nil }
            if more > 0 { mantissa = mantissa &* Self.powersOfTen[more] &+ Self.leadingValue(y, more) }
            integerDigits += more
        }
        var p = digits + integerDigits
        var fraction = 0
        if p.pointee == UInt8(ascii: ".") {
            p += 1
            let (count, x) = Self.digitWord(p)
            guard count > 0 else { return nil }
            mantissa = mantissa &* Self.powersOfTen[count] &+ Self.leadingValue(x, count)
            fraction = count
            if count == 8 {
                let (more, y) = Self.digitWord(p + 8)
                if more > 0 { mantissa = mantissa &* Self.powersOfTen[more] &+ Self.leadingValue(y, more) }
                // 16 digits or more after the point: Python's reprs of numbers below 1 (out of line).
                if more == 8 {
                    return scanLongFraction(base, negative: negative, integerDigits: integerDigits, mantissa: mantissa)
                }
                fraction += more
            }
            p += fraction
        }
        let total = integerDigits + fraction
        if p.pointee | 0x20 == UInt8(ascii: "e") {
            guard let (exponent, end) = Self.negativeExponent(p, limit: base + readable) else { return nil }
            fraction += exponent
            p = end
        }
        // It must end inside the line (the bytes read past it are another line's).
        guard p <= base + bytes.count else { return nil }
        if total > 16 || mantissa >= 1 << 53 {
            // Up to 19 digits the mantissa is exact; more are the other reader's.
            guard total <= 19, fraction > 0 || mantissa <= UInt64(Int.max) else { return nil }
        }
        // `-0` and `-0.0` keep their sign rules in the general routine.
        if negative && mantissa == 0 { return nil }
        index = p - base
        return (mantissa, fraction, negative)
    }

    /// A negative exponent of one to three digits at `p` (its `e`), as Python writes a float below 1e-4
    /// (`9.943000000000002e-05`): its size and where it ends, reading no byte at or past `limit` (the line's
    /// end, or the end of what may be read). nil for any other, which the general routine reads: a positive
    /// or zero exponent can leave a number without a fraction, still a Double in JSON.
    /// Out of line: one number in ten has one, and the plain ones must stay small enough to inline.
    @inline(never)
    static func negativeExponent(_ p: UnsafePointer<UInt8>,
                                 limit: UnsafePointer<UInt8>) -> (size: Int, end: UnsafePointer<UInt8>)? {
        guard limit - p >= 3, p[1] == UInt8(ascii: "-") else { return nil }
        var end = p + 2
        var size = 0
        while end < limit, end.pointee &- UInt8(ascii: "0") < 10 {
            guard end - p < 5 else { return nil }  // a fourth digit
            size = size &* 10 &+ Int(end.pointee &- UInt8(ascii: "0"))
            end += 1
        }
        return end - p > 2 && size > 0 ? (size, end) : nil
    }

    /// ``scanWordNumber(_:)`` for 16 to 23 digits after the point (`0.0010000000000000002`, as Python
    /// writes `0.001 + 1e-18`), `mantissa` holding the integer part and the first 16 of them: zeros after
    /// `0.` add nothing to it, so up to 19 significant digits it is exact.
    @inline(never)
    mutating func scanLongFraction(_ base: UnsafePointer<UInt8>, negative: Bool, integerDigits: Int,
                                   mantissa sixteen: UInt64) -> (mantissa: UInt64, fraction: Int, negative: Bool)? {
        let rest = base + index + (negative ? 1 : 0) + integerDigits + 17
        let (last, z) = Self.digitWord(rest)
        // Up to 19 significant digits the mantissa is exact (below 1 the zeros after the point add nothing to
        // it): `sixteen` has at most 19 - `last` digits. More, or 24 fraction digits, are the other reader's.
        guard integerDigits <= 3, last < 8, sixteen < Self.longFractionLimit[last] else { return nil }
        var mantissa = sixteen
        if last > 0 { mantissa = mantissa &* Self.powersOfTen[last] &+ Self.leadingValue(z, last) }
        var fraction = 16 + last
        var end = rest + last
        if end.pointee | 0x20 == UInt8(ascii: "e") {
            guard let (exponent, after) = Self.negativeExponent(end, limit: base + readable) else { return nil }
            fraction += exponent
            end = after
        }
        guard end <= base + bytes.count else { return nil }
        if negative && mantissa == 0 { return nil }
        index = end - base
        return (mantissa, fraction, negative)
    }

    /// ``scanPlainNumber()`` reading no byte past the line: digits a word at a time while eight are left.
    @inline(never)
    mutating func scanPlainNumberByParts() -> (mantissa: UInt64, fraction: Int, negative: Bool)? {
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
        // Past 16 digits (Python's float repr: 17) the mantissa is exact while 19 significant digits fit.
        if integerDigits + fraction > 16 || mantissa >= 1 << 53 {
            guard Self.significantDigitsFit(integerStart, integerDigits: integerDigits, fraction: fraction),
                  fraction > 0 || mantissa <= UInt64(Int.max) else { return nil }
        }
        if p < end, p.pointee | 0x20 == UInt8(ascii: "e") {
            guard let (exponent, after) = Self.negativeExponent(p, limit: end) else { return nil }
            fraction += exponent
            p = after
        }
        // `-0` and `-0.0` keep their sign rules in the general routine.
        if negative && mantissa == 0 { return nil }
        index = p - base
        return (mantissa, fraction, negative)
    }

    /// At most 19 digits after the leading zeros of a `0.000…` (the digits of `integerStart`'s number).
    @inline(never)
    static func significantDigitsFit(_ integerStart: UnsafePointer<UInt8>, integerDigits: Int, fraction: Int) -> Bool {
        var digits = integerDigits + fraction
        if digits <= 19 { return true }
        guard integerDigits == 1, integerStart.pointee == UInt8(ascii: "0") else { return false }
        digits -= 1
        var p = integerStart + 2
        let end = p + fraction
        while p < end, p.pointee == UInt8(ascii: "0") {
            digits -= 1
            p += 1
        }
        return digits <= 19
    }

    /// Reads the digits at `p` onto `mantissa` (it wraps past 19 digits, which the callers refuse by
    /// count): up to eight at once while eight bytes are left, then one at a time.
    @inline(__always)
    static func scanDigits(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, _ mantissa: inout UInt64) {
        // A run of one digit (a 0, a 0.0, a small count) is the commonest: two bytes tell it.
        if end - p >= 2, p[1] &- UInt8(ascii: "0") >= 10 {
            let d = p[0] &- UInt8(ascii: "0")
            if d < 10 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                p += 1
            }
            return
        }
        while end - p >= 8 {
            let (count, value) = leadingDigits(p)
            mantissa = mantissa &* powersOfTen[count] &+ value
            p += count
            if count < 8 { return }
        }
        while p < end {
            let d = p.pointee &- UInt8(ascii: "0")
            if d >= 10 { return }
            mantissa = mantissa &* 10 &+ UInt64(d)
            p += 1
        }
    }

    /// 10^0 ... 10^8, for appending a run of digits to a mantissa.
    private static let powersOfTen: [UInt64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000]
    /// 10^(19 - n): the bound on a long fraction's first sixteen digits when `n` more follow.
    private static let longFractionLimit: [UInt64] = [
        10_000_000_000_000_000_000, 1_000_000_000_000_000_000, 100_000_000_000_000_000, 10_000_000_000_000_000,
        1_000_000_000_000_000, 100_000_000_000_000, 10_000_000_000_000, 1_000_000_000_000,
    ]

    /// A string value as a message's text: where it lies when written without escapes (no String made;
    /// the text `""`), else decoded (no range); nil where it is no valid string.
    @inline(__always)
    mutating func scanMessageText() -> (text: String, range: Range<Int>?)? {
        let open = index
        guard open < bytes.count, bytes[open] == UInt8(ascii: "\"") else { return nil }
        index += 1
        if let plain = scanPlainStringBytes() { return ("", plain) }
        index = open
        guard let s = scanString() else { return nil }
        return (s, nil)
    }

    /// A string value starting at its quote, or nil.
    @inline(__always)
    mutating func scanString() -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        return try? parseString()
    }

    /// The bytes of a string without escapes (its quotes excluded; the index is past the opening one), or
    /// nil at an escape or a control character (the index is then somewhere inside the string).
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

    /// Whether a scanned string value reads `literal` (an escaped one is unescaped first).
    func textEquals(_ text: RecordScanner.Text, _ literal: StaticString) -> Bool {
        text.escaped ? string(text) == literal.description : bytesEqual(text.range, literal)
    }

    func bytesEqual(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard range.count == n, let base = bytes.baseAddress else { return false }
        return Self.sameBytes(base + range.lowerBound, literal.utf8Start, n)
    }

    fileprivate func recordName(_ name: Range<Int>) -> RecordName {
        switch name.count {
        case 8:
            if bytesEqual(name, "progress") { return .progress }
        case 7:
            if bytesEqual(name, "metrics") { return .metrics }
            if bytesEqual(name, "message") { return .message }
        case 3:
            if bytesEqual(name, "end") { return .end }
        case 6:
            if bytesEqual(name, "output") { return .output }
            if bytesEqual(name, "metric") { return .otherReserved }
        case 9:
            if bytesEqual(name, "dev_event") { return .devEvent }
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
}

/// The keys and values of a metrics record, in memory kept by its ``RecordScanner`` from one record to the
/// next. Both are plain values (byte ranges, numbers): nothing to release when overwritten. Sendable as an
/// array's storage is: a scanner writes only storage it alone holds (``RecordScanner/beginMetrics()``).
/// Its fields are constants, so the hot path reads them without retaining it (``RecordScanner/unsafeMetricKeys``).
package final class MetricStorage: @unchecked Sendable {
    let capacity: Int
    let keys: UnsafeMutablePointer<RecordScanner.Text>
    let values: UnsafeMutablePointer<JSONNumber>

    init(capacity: Int) {
        self.capacity = capacity
        keys = .allocate(capacity: capacity)
        values = .allocate(capacity: capacity)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Twice the room, the first `count` entries kept.
    func grown(keeping count: Int) -> MetricStorage {
        let bigger = MetricStorage(capacity: capacity * 2)
        bigger.keys.initialize(from: keys, count: count)
        bigger.values.initialize(from: values, count: count)
        return bigger
    }

    /// Storage of the same room (its entries are not needed: a record writes its own first).
    func copy() -> MetricStorage { MetricStorage(capacity: capacity) }
}

/// A read-only view of a scanner's metric keys or values (see ``RecordScanner/metricKeys``). It keeps the
/// storage alive; its entries change with the scanner's next record.
package struct MetricFields<Element>: RandomAccessCollection {
    private let owner: MetricStorage
    private let base: UnsafeMutablePointer<Element>
    package let count: Int

    init(_ owner: MetricStorage, _ base: UnsafeMutablePointer<Element>, _ count: Int) {
        self.owner = owner
        self.base = base
        self.count = count
    }

    package var startIndex: Int { 0 }
    package var endIndex: Int { count }
    package subscript(position: Int) -> Element {
        precondition(position >= 0 && position < count, "metric index out of range")
        return withExtendedLifetime(owner) { base[position] }
    }

    package func withContiguousStorageIfAvailable<R>(
        _ body: (UnsafeBufferPointer<Element>) throws -> R
    ) rethrows -> R? {
        try withExtendedLifetime(owner) { try body(UnsafeBufferPointer(start: base, count: count)) }
    }
}
