#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A block of an event log's lines, read and ready to reduce: what a log reader hands to the dashboard.
///
/// Reading a line (splitting, scanning, parsing numbers, decoding text) costs more than reducing it, so a
/// reader thread does it and the consumer only reduces. The three records that make up almost every log
/// (progress, metrics, messages, read by ``RecordScanner``) travel in a compact form — numbers, and step names
/// and metric keys as indexes into tables of shared Strings — so a block allocates per block, not per line;
/// any other line travels as its decoded ``Event`` or as an ``UnreadableLine``. Reducing a block gives
/// exactly the state that applying the lines' events would (the test suite checks it on generated and
/// fuzzed logs).
///
/// Build blocks with a ``LogBlockReader``.
package struct LogBlock: Sendable, Hashable {
    /// What a line of the block holds.
    package enum Kind: UInt8, Sendable, Hashable {
        /// A `progress` record: ``Line/current``, ``Line/total``, ``Line/elapsed``, ``Line/timeRemaining``.
        case progress
        /// A `metrics` record: ``Line/count`` keys and values from ``Line/index`` of ``metricKeys`` / ``metricValues``.
        case metrics
        /// A `message` record: its text is message text ``Line/index`` (``LogBlock/content(_:)``).
        case message
        /// A custom record: its name is text ``Line/index``, its data's JSON text text ``Line/index`` + 1, its
        /// file text ``Line/index`` + 2 when ``Line/count`` is 1.
        case custom
        /// A `dev_event` record: its message is text ``Line/index``, its data's JSON text text
        /// ``Line/index`` + 1 when ``Line/count`` is 1 (none when 0).
        case devEvent
        /// An `output` record: its text is text ``Line/index``; ``Line/count`` is 1 for stderr, 0 for stdout.
        case output
        /// Any other record: ``events``[``Line/index``].
        case event
        /// A line that could not be read: ``problems``[``Line/index``].
        case unreadable
    }

    /// One non-blank line, compactly.
    package struct Line: Sendable, Hashable {
        package var kind: Kind
        /// The record's level (`nil` when it had none or the line is not a hot record).
        package var level: LogLevel?
        /// Index into ``LogBlock/stepNames``, or -1 when the record had no step.
        package var step: Int32
        /// See ``Kind``.
        package var index: Int32
        /// Metrics: how many keys.
        package var count: Int32
        package var timestamp: Double
        package var current: Int
        package var total: Int
        /// Progress: `elapsed`, or NaN when absent (a record's own values are never NaN: those lines take
        /// the full decoder).
        package var elapsed: Double
        /// Progress: `time_remaining`, or NaN when absent.
        package var timeRemaining: Double
    }

    /// The lines, in order (blank lines are left out).
    package var lines: [Line] = []
    /// Step names by index: the reader's table as of this block (shared, not copied, between blocks).
    package var stepNames: [String] = []
    /// Metric keys by index: the reader's table as of this block.
    package var keyNames: [String] = []
    /// Per metric of every metrics line: the key's index into ``keyNames``.
    package var metricKeys: [Int32] = []
    /// Per metric of every metrics line: its value.
    package var metricValues: [JSONNumber] = []
    /// Message texts, valid UTF-8, one after another: the text of message `i` ends at ``contentEnds``[`i`]
    /// and starts where the one before ends (see ``content(_:)`` and ``withContent(_:_:)``). One array per
    /// block, not a String per message.
    package var contentText: [UInt8] = []
    /// Where each message's text ends in ``contentText``.
    package var contentEnds: [Int] = []
    /// The keys of the messages that have one, by text index (most have none).
    package var messageKeys: [Int32: String] = [:]
    /// The whole text's UTF-8 size of the messages whose text was cut while their long line was read
    /// (``ShortenedLine``), by message index.
    package var contentBytes: [Int32: Int] = [:]
    /// Lines decoded in full.
    package var events: [Event] = []
    /// Lines that could not be read, numbered from the block's first line (0 is ``firstLine``).
    package var problems: [Problem] = []
    /// Lines the block covered, including blank ones.
    package var lineCount = 0
    /// Bytes of log text the block was read from (a long line's shortened bytes): about what it holds in
    /// memory, so what waits between the readers and the screen can be bounded in bytes.
    package var byteCount = 0
    /// The 1-based number, in the log, of the block's first line. Blocks are read apart (on several
    /// threads) and numbered when they are put back in order; unreadable lines are reported with it.
    package var firstLine = 1

    /// A line that could not be read.
    package struct Problem: Sendable, Hashable {
        /// The line's position in the block (0 for its first line).
        package var offset: Int
        /// Why it could not be read.
        package var reason: String
    }

    /// Creates an empty block.
    package init() {}

    /// The block for one line over ``EventCodec/maxLineBytes``: its bytes were never kept, only its place.
    package static func oversizedLine() -> LogBlock {
        var block = LogBlock()
        block.lines = [LogBlockReader.other(.unreadable, 0)]
        block.problems = [Problem(offset: 0, reason: "line is over the \(EventCodec.maxLineBytes)-byte limit")]
        block.lineCount = 1
        return block
    }

    /// The unreadable lines, numbered in the log.
    package var unreadable: [UnreadableLine] {
        problems.map { UnreadableLine(lineNumber: firstLine + $0.offset, reason: $0.reason) }
    }

    /// The unreadable line of a ``Kind/unreadable`` line.
    package func unreadable(at index: Int32) -> UnreadableLine {
        let problem = problems[Int(index)]
        return UnreadableLine(lineNumber: firstLine + problem.offset, reason: problem.reason)
    }
}

/// Turns blocks of complete lines into ``LogBlock``s, keeping the step and key tables from one block to
/// the next so a long log creates each name once.
package struct LogBlockReader: Sendable {
    private var record = RecordScanner(compact: true)
    private var steps = NameTable()
    private var keys = NameTable()
    private var lastStep = 0
    /// The table index of the last metrics record's first key: records repeat their keys in the same
    /// order, so a record's first key is looked for there first and each next key just after the one before.
    private var firstKey = 0
    /// Names remembered at most per table; a log with more distinct ones decodes those lines in full.
    static let tableCapacity = 1024

    /// Creates a reader with empty tables.
    package init() {}

    /// Reads `bytes` (`\n`-separated lines; a last line without newline counts) whose first line is line
    /// number `firstLine` (1-based; it can be set later, see ``LogBlock/firstLine``).
    package mutating func read(_ bytes: UnsafeBufferPointer<UInt8>, firstLine: Int = 1) -> LogBlock {
        var block = LogBlock()
        block.firstLine = firstLine
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return block }
        block.lines.reserveCapacity(bytes.count / 128 + 1)
        block.metricValues.reserveCapacity(bytes.count / 64 + 1)
        block.metricKeys.reserveCapacity(bytes.count / 64 + 1)
        var start = 0
        var number = 0
        let n = bytes.count
        while start < n {
            // A line that starts with its record is read first and its end found by the reading (a search
            // for the newline went over every byte once more); any other line, or one the scanner gives
            // up on, is cut at its newline and read as before.
            if base[start] == UInt8(ascii: "{"),
               let (length, next) = record.scanLine(UnsafeBufferPointer(start: base + start, count: n - start)),
               length <= EventCodec.maxLineBytes {
                append(UnsafeBufferPointer(start: base + start, count: length), into: &block)
                number += 1
                start += next + 1
                continue
            }
            let end: Int
            if let found = memchr(base + start, 0x0A, n - start) {
                end = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
            } else {
                end = n
            }
            read(line: UnsafeBufferPointer(start: base + start, count: end - start), number: number,
                 readableEnd: base + n, into: &block)
            number += 1
            start = end + 1
        }
        block.lineCount = number
        block.byteCount = n
        block.stepNames = steps.names
        block.keyNames = keys.names
        return block
    }

    /// Reads one line a ``LongLineShortener`` read (numbered `firstLine`), as ``read(_:firstLine:)`` reads the
    /// line, with a cut message's whole size in ``LogBlock/contentBytes`` and errors placed in the log's bytes.
    package mutating func read(_ long: ShortenedLine, firstLine: Int = 1) -> LogBlock {
        var block = LogBlock()
        block.firstLine = firstLine
        block.lineCount = 1
        block.byteCount = long.bytes.count
        long.bytes.withUnsafeBufferPointer { raw in
            guard let (start, end) = EventCodec.recordBounds(raw) else { return }
            let line = UnsafeBufferPointer(rebasing: raw[start..<end])
            if record.scan(line) {
                if let compact = compact(line, &block) {
                    block.lines.append(compact)
                    if compact.kind == .message, let whole = long.wholeBytes(of: block.content(Int(compact.index))) {
                        block.contentBytes[compact.index] = whole
                    }
                } else {
                    var event = record.takeEvent(line)
                    long.noteWholeSize(in: &event)
                    block.lines.append(Self.other(.event, Int32(block.events.count)))
                    block.events.append(event)
                }
                return
            }
            do throws(EventDecodingError) {
                guard let event = try EventCodec.decodeLine(long) else { return }
                block.lines.append(Self.other(.event, Int32(block.events.count)))
                block.events.append(event)
            } catch {
                block.lines.append(Self.other(.unreadable, Int32(block.problems.count)))
                block.problems.append(LogBlock.Problem(offset: 0, reason: error.reason))
            }
        }
        block.stepNames = steps.names
        block.keyNames = keys.names
        return block
    }

    @inline(__always)
    private mutating func read(line raw: UnsafeBufferPointer<UInt8>, number offset: Int,
                               readableEnd: UnsafePointer<UInt8>, into block: inout LogBlock) {
        var line = raw
        // Lines usually start with `{` and end with `}`; anything else is trimmed as the decoder trims.
        if line.isEmpty || line[0] != UInt8(ascii: "{") || line[line.count - 1] != UInt8(ascii: "}") {
            line = Self.trimmed(raw)
            if line.isEmpty { return }
        }
        if line.count <= EventCodec.maxLineBytes, record.scan(line, readable: readableEnd - line.baseAddress!) {
            append(line, into: &block)
            return
        }
        do {
            // The line as it was: the decoder trims it itself and counts error offsets from its first byte.
            guard let event = try EventCodec.decodeLine(raw) else { return }
            block.lines.append(Self.other(.event, Int32(block.events.count)))
            block.events.append(event)
        } catch {
            block.lines.append(Self.other(.unreadable, Int32(block.problems.count)))
            block.problems.append(LogBlock.Problem(offset: offset, reason: error.reason))
        }
    }

    /// The line just scanned into the block: compactly, or as its event.
    @inline(__always)
    private mutating func append(_ line: UnsafeBufferPointer<UInt8>, into block: inout LogBlock) {
        if let compact = compact(line, &block) {
            block.lines.append(compact)
        } else {
            block.lines.append(Self.other(.event, Int32(block.events.count)))
            block.events.append(record.takeEvent(line))
        }
    }

    /// The scanned record as a line of the block, or `nil` when it travels as its event (another kind, a
    /// failed progress, metrics with other values than numbers, a `file` on anything but a custom record,
    /// a custom record the reducer reads the data of, a table full).
    @inline(__always)
    private mutating func compact(_ line: UnsafeBufferPointer<UInt8>, _ block: inout LogBlock) -> LogBlock.Line? {
        if record.fileText != nil, record.kind != .custom { return nil }
        switch record.kind {
        case .other: return nil
        case .custom: if Self.readsData(UnsafeBufferPointer(rebasing: line[record.customName])) { return nil }
        case .progress: if record.failed || record.percentOnly { return nil }
        case .metrics: if !record.metricsInFields { return nil }
        case .message, .devEvent, .output: break
        }
        var step: Int32 = -1
        if let text = record.step {
            guard let i = Self.intern(text, line, in: &steps, hint: &lastStep) else { return nil }
            step = Int32(i)
        }
        var out = LogBlock.Line(kind: .progress, level: record.level, step: step, index: 0, count: 0,
                                timestamp: record.timestamp, current: 0, total: 0, elapsed: .nan, timeRemaining: .nan)
        switch record.kind {
        case .progress:
            out.current = record.current
            out.total = record.total
            out.elapsed = record.elapsed ?? .nan
            out.timeRemaining = record.timeRemaining ?? .nan
        case .metrics:
            out.kind = .metrics
            out.index = Int32(block.metricKeys.count)
            let keys = record.unsafeMetricKeys
            var hint = firstKey
            for (position, key) in keys.enumerated() {
                guard let k = Self.intern(key, line, in: &self.keys, hint: &hint) else {
                    block.metricKeys.removeLast(position)
                    return nil
                }
                if position == 0 { firstKey = k }
                hint = k + 1
                block.metricKeys.append(Int32(k))
            }
            block.metricValues.append(contentsOf: record.unsafeMetricValues)
            out.count = Int32(keys.count)
        case .message:
            out.kind = .message
            out.index = Int32(block.contentEnds.count)
            appendText(line, into: &block)
            if let key = record.messageKey { block.messageKeys[out.index] = key }
        case .devEvent:
            out.kind = .devEvent
            out.index = Int32(block.contentEnds.count)
            appendText(line, into: &block)
            if let data = record.devData {
                block.appendContent(UnsafeBufferPointer(rebasing: line[data]))
                out.count = 1
            }
        case .output:
            out.kind = .output
            out.index = Int32(block.contentEnds.count)
            appendText(line, into: &block)
            out.count = record.outputStream == .stderr ? 1 : 0
        case .custom:
            out.kind = .custom
            out.index = Int32(block.contentEnds.count)
            block.appendContent(UnsafeBufferPointer(rebasing: line[record.customName]))
            block.appendContent(UnsafeBufferPointer(rebasing: line[record.customData]))
            if let file = record.fileText {
                if file.escaped {
                    block.appendContent(JSONParser(line).string(file))
                } else {
                    block.appendContent(UnsafeBufferPointer(rebasing: line[file.range]))
                }
                out.count = 1
            }
        case .other:
            return nil
        }
        return out
    }

    /// The scanned record's text (a message's, a dev event's message) after the block's texts: its bytes in
    /// `line` when written without escapes, else as decoded.
    @inline(__always)
    private func appendText(_ line: UnsafeBufferPointer<UInt8>, into block: inout LogBlock) {
        if let range = record.contentRange {
            block.appendContent(UnsafeBufferPointer(rebasing: line[range]))
        } else {
            block.appendContent(record.content)
        }
    }

    /// Custom records the reducer reads the data of (`DashboardState.apply(_:)`: step proportions, system
    /// samples, log gaps): they travel as events.
    private static let namesReadAsEvents = ["step_proportions", SystemSample.eventName, "log_gap"]

    private static func readsData(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        namesReadAsEvents.contains { name.elementsEqual($0.utf8) }
    }

    /// The table index of a string of `line` (decoded first when it has escapes).
    @_transparent
    private static func intern(_ text: RecordScanner.Text, _ line: UnsafeBufferPointer<UInt8>, in table: inout NameTable,
                               hint: inout Int) -> Int? {
        if !text.escaped { return table.intern(text.range, of: line, hint: &hint) }
        return internEscaped(text, line, in: &table, hint: &hint)
    }

    /// ``intern(_:_:in:hint:)`` for a name written with escapes: its decoded bytes.
    @inline(never)
    private static func internEscaped(_ text: RecordScanner.Text, _ line: UnsafeBufferPointer<UInt8>,
                                      in table: inout NameTable, hint: inout Int) -> Int? {
        var utf8 = Array(JSONParser(line).string(text).utf8)
        return utf8.withUnsafeMutableBufferPointer { table.intern(0..<$0.count, of: UnsafeBufferPointer($0), hint: &hint) }
    }

    static func other(_ kind: LogBlock.Kind, _ index: Int32) -> LogBlock.Line {
        LogBlock.Line(kind: kind, level: nil, step: -1, index: index, count: 0, timestamp: 0, current: 0, total: 0,
                      elapsed: .nan, timeRemaining: .nan)
    }

    private static func trimmed(_ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0, end = line.count
        while start < end, EventCodec.isSpace(line[start]) { start += 1 }
        while end > start, EventCodec.isSpace(line[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: line[start..<end])
    }
}

/// Names by their bytes in the log, so a name seen before costs a comparison, not a new String.
struct NameTable: Sendable {
    /// The names, in order of first appearance.
    private(set) var names: [String] = []
    private var bytes: [[UInt8]] = []
    // A name's length, first eight bytes and last eight, side by side (one load of a cache line per
    // name compared): names up to 16 bytes (metric keys, steps) are told apart by these alone, longer
    // ones then by memcmp.
    private struct Shape: Sendable {
        var length: Int
        var head: UInt64
        var tail: UInt64
    }
    private var shapes: [Shape] = []
    // The names by a hash of their bytes (the first index with that hash, then a chain through
    // `nextSameHash`), so a log of a million distinct names does not compare each line with every name
    // (issue #13).
    private var firstByHash: [Int: Int] = [:]
    private var nextSameHash: [Int] = []

    /// Index of the name whose bytes are `line[range]`, adding it when new; `nil` when the table is full.
    /// `hint` is where to look first (and is left at the name found).
    @_transparent
    mutating func intern(_ range: Range<Int>, of line: UnsafeBufferPointer<UInt8>, hint: inout Int) -> Int? {
        let wanted = UnsafeBufferPointer(rebasing: line[range])
        let head = Self.head(range, of: line), tail = Self.tail(wanted)
        if hint < shapes.count, matches(hint, wanted, head, tail) { return hint }
        return internMissed(wanted, head, tail, hint: &hint)
    }

    /// ``intern(_:of:hint:)`` when the name is not the hinted one.
    @inline(never)
    private mutating func internMissed(_ wanted: UnsafeBufferPointer<UInt8>, _ head: UInt64, _ tail: UInt64,
                                       hint: inout Int) -> Int? {
        // A few names (a run's metric keys, its steps): comparing each is cheaper than hashing, and a
        // log whose key order changes from line to line misses the hint on every key.
        if names.count <= Self.scanLimit {
            for i in names.indices where matches(i, wanted, head, tail) {
                hint = i
                return i
            }
        }
        let hash = Self.hash(wanted)
        var candidate = firstByHash[hash] ?? -1
        while candidate >= 0 {
            if matches(candidate, wanted, head, tail) {
                hint = candidate
                return candidate
            }
            candidate = nextSameHash[candidate]
        }
        guard names.count < LogBlockReader.tableCapacity else { return nil }
        nextSameHash.append(firstByHash[hash] ?? -1)
        firstByHash[hash] = names.count
        bytes.append(Array(wanted))
        shapes.append(Shape(length: wanted.count, head: head, tail: tail))
        // Decoded exactly as the full decoder decodes a string without escapes.
        names.append(String(decoding: wanted, as: UTF8.self))
        hint = names.count - 1
        return hint
    }

    /// Tables up to this many names are searched by comparing, not hashing.
    static let scanLimit = 16

    @inline(__always)
    private func matches(_ i: Int, _ wanted: UnsafeBufferPointer<UInt8>, _ head: UInt64, _ tail: UInt64) -> Bool {
        let shape = shapes[i]
        guard shape.length == wanted.count, shape.head == head, shape.tail == tail else { return false }
        return wanted.count <= 16 || sameBytes(bytes[i], wanted)
    }

    private static func hash(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(b))
        return hasher.finalize()
    }

    /// The name's first eight bytes (zero-padded): one load, masked, where the line goes on for eight bytes
    /// (a key is followed by its value), never reading past the line.
    @inline(__always)
    private static func head(_ range: Range<Int>, of line: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let base = line.baseAddress else { return 0 }
        let n = range.count
        if range.lowerBound + 8 <= line.count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + range.lowerBound).loadUnaligned(as: UInt64.self))
            return n >= 8 ? word : word & ((1 << UInt64(n &* 8)) &- 1)
        }
        var h: UInt64 = 0
        for i in 0..<n { h |= UInt64(base[range.lowerBound + i]) << (8 * UInt64(i)) }
        return h
    }

    /// The name's last eight bytes when it has more than eight (its bytes 8..<16 are then all compared by
    /// `head` and `tail` for a name of up to 16), else 0.
    @inline(__always)
    private static func tail(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard b.count > 8, let base = b.baseAddress else { return 0 }
        return UInt64(littleEndian: UnsafeRawPointer(base + b.count - 8).loadUnaligned(as: UInt64.self))
    }
}

/// `true` when the array holds exactly the bytes of `b`.
@inline(__always)
func sameBytes(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    return a.withUnsafeBufferPointer { pa in
        guard let x = pa.baseAddress, let y = b.baseAddress else { return true }  // both empty
        return memcmp(x, y, b.count) == 0
    }
}

extension LogBlock {
    /// The block's events, as ``EventCodec/decodeLine(_:)`` decodes its lines (unreadable lines left out:
    /// see ``unreadable``). For consumers without a reducer of their own; the dashboard applies blocks
    /// directly.
    package func decodedEvents() -> [Event] {
        var out: [Event] = []
        out.reserveCapacity(lines.count)
        for line in lines {
            let step = line.step >= 0 ? stepNames[Int(line.step)] : nil
            switch line.kind {
            case .progress:
                let progress = ProgressData(current: line.current, total: line.total, step: step,
                                            elapsed: line.elapsed.isNaN ? nil : line.elapsed,
                                            timeRemaining: line.timeRemaining.isNaN ? nil : line.timeRemaining)
                out.append(Event(timestamp: line.timestamp, step: step, level: line.level, payload: .progress(progress)))
            case .metrics:
                let range = Int(line.index)..<Int(line.index + line.count)
                let object = JSONObject(metricKeys: metricKeys[range], values: metricValues[range], names: keyNames)
                out.append(Event(timestamp: line.timestamp, step: step, level: line.level, payload: .metrics(object)))
            case .message:
                var message = Message(content: content(Int(line.index)), key: messageKeys[line.index])
                message.wholeBytes = contentBytes[line.index]
                out.append(Event(timestamp: line.timestamp, step: step, level: line.level, payload: .message(message)))
            case .custom:
                let at = Int(line.index)
                let text = content(at + 1)
                out.append(Event(timestamp: line.timestamp, step: step, level: line.level,
                                 file: line.count == 1 ? content(at + 2) : nil,
                                 payload: .custom(name: content(at), data: (try? JSONParser.parse(text)) ?? .string(text))))
            case .devEvent:
                let message = content(Int(line.index))
                let devEvent = line.count == 1 ? DevEvent(message: message, dataText: content(Int(line.index) + 1))
                    : DevEvent(message: message)
                out.append(Event(timestamp: line.timestamp, step: step, level: line.level, payload: .devEvent(devEvent)))
            case .output:
                let output = OutputLine(stream: line.count == 1 ? .stderr : .stdout, text: content(Int(line.index)))
                out.append(Event(timestamp: line.timestamp, step: step, level: line.level, payload: .output(output)))
            case .event:
                out.append(events[Int(line.index)])
            case .unreadable:
                break
            }
        }
        return out
    }
}

extension LogBlock {
    /// Message `i`'s text.
    package func content(_ i: Int) -> String {
        withContent(i) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with message `i`'s text as UTF-8 bytes.
    package func withContent<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withTexts { body(text(i, in: $0)) }
    }

    /// Calls `body` with all the block's texts, for reading several with ``text(_:in:)``.
    package func withTexts<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        contentText.withUnsafeBufferPointer(body)
    }

    /// Text `i` of the block's texts (from ``withTexts(_:)``), as UTF-8 bytes.
    package func text(_ i: Int, in texts: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: texts[(i == 0 ? 0 : contentEnds[i - 1])..<contentEnds[i]])
    }

    /// Appends a message's text as written in a line: its bytes as they are when ASCII, else as a String
    /// reads them (invalid UTF-8 made U+FFFD), so every text in the block is what its String would be.
    mutating func appendContent(_ bytes: UnsafeBufferPointer<UInt8>) {
        if Self.isASCII(bytes) {
            contentText.append(contentsOf: bytes)
            contentEnds.append(contentText.count)
        } else {
            appendContent(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Appends a message's text already decoded.
    mutating func appendContent(_ text: String) {
        contentText.append(contentsOf: text.utf8)
        contentEnds.append(contentText.count)
    }

    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var i = 0, high: UInt64 = 0
        while i + 8 <= bytes.count {
            high |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < bytes.count {
            high |= UInt64(base[i])
            i += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }
}

extension JSONObject {
    /// The object a metrics line of a ``LogBlock`` stands for: keys as indexes into `names`, beside their
    /// values. A repeated key keeps its first position and its last value, as the full decoder has it.
    package init(metricKeys keys: ArraySlice<Int32>, values: ArraySlice<JSONNumber>, names: [String]) {
        self.init()
        reserveCapacity(keys.count)
        for (key, value) in zip(keys, values) { self[names[Int(key)]] = value.json }
    }
}
