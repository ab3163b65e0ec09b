#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An event-log line too long to hold whole (over ``EventLogDecoder/longLineBytes``), as a
/// ``LongLineShortener`` kept it: every byte of the line except inside its long strings.
///
/// A string whose decoded text is over the kept size (``EventCodec/cappedTextBytes``) reads as
/// ``EventCodec/cappedText(_:)`` makes of it: its first bytes and `… [truncated: N bytes]`, as the writer cuts
/// an over-long record. A message keeps the whole text's size, so the dashboard knows what it cut and reads
/// the text back from the log on demand. Everything else of the record — its kind, keys in any order,
/// escapes, numbers — reads exactly as from the whole line, and an unreadable line gives the same reason at
/// the same byte of the log.
package struct ShortenedLine: Sendable, Hashable {
    /// The line's bytes with the long strings cut.
    package internal(set) var bytes: [UInt8] = []
    /// Bytes of the line in the log.
    package internal(set) var originalCount = 0
    /// From `short` on, the shortened bytes are the log's from `original` on (up to the next anchor).
    struct Anchor: Sendable, Hashable {
        var short: Int
        var original: Int
    }
    var anchors: [Anchor] = []
    /// A string cut to ``EventCodec/cappedText(_:)``: the UTF-8 size of what it reads now, and of its whole text.
    struct Cut: Sendable, Hashable {
        var keptBytes: Int
        var wholeBytes: Int
    }
    var cuts: [Cut] = []
    /// The size strings are cut to.
    package internal(set) var limit = EventCodec.cappedTextBytes

    /// The byte of the log that byte `short` of the shortened line stands for.
    package func originalOffset(_ short: Int) -> Int {
        guard let anchor = anchors.last(where: { $0.short <= short }) else { return short }
        return short - anchor.short + anchor.original
    }

    /// The whole text's UTF-8 size of `text` when it is one of this line's cut strings. Exact: a string of the
    /// shortened line over ``limit`` bytes can only be a cut one (the others were kept because they were not
    /// over it), and a cut's text ends with its whole size.
    package func wholeBytes(of text: String) -> Int? {
        guard !cuts.isEmpty else { return nil }
        let count = text.utf8.count
        guard count > limit else { return nil }
        return cuts.first { $0.keptBytes == count && text.hasSuffix("[truncated: \($0.wholeBytes) bytes]") }?.wholeBytes
    }

    /// Gives a message read from this line the whole size of its cut text.
    func noteWholeSize(in event: inout Event) {
        guard case .message(var m) = event.payload, let whole = wholeBytes(of: m.content) else { return }
        m.wholeBytes = whole
        event.payload = .message(m)
    }
}

/// Reads one over-long event-log line piece by piece, as it arrives, into a ``ShortenedLine``: memory holds
/// the line's structure and the first bytes of each long string, never the line.
///
/// It follows JSON's strings only (a quote opens one; inside, a backslash escapes), copying everything
/// outside them. Inside one it decodes the text the way ``JSONParser``'s string routine does (escapes,
/// surrogate pairs, lone surrogates as U+FFFD) and counts the UTF-8 bytes the decoded text has once invalid
/// sequences are replaced as Swift's String does, in windows cut where no sequence can span them. A string
/// is copied as it is while it is short; past ``limit`` raw bytes only its first decoded bytes are kept, and
/// at its closing quote it becomes its cut (or, if its text turned out short, its whole text again).
///
/// Bad input stays bad in the same place: at an invalid escape or a control character inside a long string
/// the raw bytes of that escape and a few after it are kept (with an anchor to their place in the log) and
/// reading stops, so the general decoder reports the same error at the same byte; so does a line that ends
/// inside a string.
package struct LongLineShortener: Sendable {
    /// Strings whose decoded text is over this many UTF-8 bytes are cut to it.
    package let limit: Int
    private var line = ShortenedLine()
    /// Bytes of the line fed so far.
    package private(set) var rawCount = 0

    private var inString = false
    /// Where the open string's quote is in ``ShortenedLine/bytes``.
    private var quoteAt = 0
    /// Raw bytes of the open string read so far (after its quote).
    private var rawInString = 0
    /// The open string went past ``limit`` raw bytes: its raw bytes are no longer copied.
    private var isLong = false
    /// Raw bytes at the start of the string kept when it went long: up to its first clean point at or past 8,
    /// so what the general decoder looks ahead at from before the quote (a literal, a number) stays the same.
    private var headRaw = -1
    /// The log byte where the kept raw head of a long string ends.
    private var headEnd = 0
    private var escape = Escape.plain
    /// Raw bytes since the string's last clean point (the start of the escape being read): kept so a string
    /// that fails or ends there can show the general decoder the same bytes.
    private var sinceClean: [UInt8] = []
    /// The log byte where ``sinceClean`` starts.
    private var cleanAt = 0
    /// The first decoded bytes of the open string (before invalid sequences are replaced).
    private var head: [UInt8] = []
    /// Decoded bytes not yet counted.
    private var window: [UInt8] = []
    /// UTF-8 bytes of the decoded text counted so far (after replacement).
    private var counted = 0
    /// Raw bytes still to copy after the error that stopped reading; -1 while reading.
    private var tailAfterFailure = -1
    private var scalarBytes: [UInt8] = []
    /// The line went on after the bytes kept past an error.
    private var continuesAfterTail = false
    /// Spaces at the end of what was read of the open string (the decoder trims them off a line's end).
    private var trailingSpaces = 0

    /// Where an escape is: JSONParser's string routine taken apart so it can stop at any byte.
    private enum Escape: Sendable {
        case plain
        case backslash
        /// `\u`: digits read and their value.
        case hex(Int, UInt32)
        /// A high surrogate was read: a `\u` low one may follow.
        case afterHigh(UInt32)
        case afterHighBackslash(UInt32)
        /// The second `\u` after a high surrogate.
        case lowHex(Int, UInt32, high: UInt32)
    }

    /// Bytes of a failed string's escape copied after it: the general decoder looks at most 12 ahead.
    private static let tailBytes = 16

    package init(limit: Int = EventCodec.cappedTextBytes) {
        self.limit = max(1, limit)
        line.limit = self.limit
    }

    /// Reads the next bytes of the line (without its newline).
    package mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        let n = bytes.count
        var i = 0
        while i < n {
            if tailAfterFailure >= 0 {
                let take = min(tailAfterFailure, n - i)
                line.bytes.append(contentsOf: UnsafeBufferPointer(start: base + i, count: take))
                tailAfterFailure -= take
                rawCount += n - i
                continuesAfterTail = continuesAfterTail || take < n - i
                return
            }
            if !inString {
                // Outside strings everything is copied; a quote opens a string.
                let j = memchr(base + i, Int32(UInt8(ascii: "\"")), n - i)
                    .map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) - base } ?? n
                line.bytes.append(contentsOf: UnsafeBufferPointer(start: base + i, count: j - i))
                rawCount += j - i
                i = j
                if j < n {
                    openString()
                    i += 1
                }
                continue
            }
            if case .plain = escape {
                // A run of plain bytes: copied (while short) and decoded as they are.
                var j = jsonSkipPlainWords(UnsafeRawPointer(base), from: i, count: n)
                while j < n {
                    let c = base[j]
                    if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { break }
                    j += 1
                }
                if j > i {
                    let run = UnsafeBufferPointer(start: base + i, count: j - i)
                    if !isLong { line.bytes.append(contentsOf: run) }
                    decoded(run)
                    let start = rawInString
                    rawCount += j - i
                    rawInString += j - i
                    // Every place inside a run of text is a clean point: the head can end at 8.
                    if headRaw < 0, rawInString >= 8 { headRaw = max(8, start) }
                    var spaces = 0
                    while spaces < run.count, run[run.count - 1 - spaces] == 0x20 { spaces += 1 }
                    trailingSpaces = spaces == run.count ? trailingSpaces + spaces : spaces
                    cleanAt = rawCount
                    sinceClean.removeAll(keepingCapacity: true)
                    noteCleanPoint()
                    i = j
                    continue
                }
            }
            // One byte that is not plain text: a quote, a backslash, a control character, or inside an escape.
            let c = base[i]
            i += 1
            rawCount += 1
            rawInString += 1
            if !isLong { line.bytes.append(c) }
            trailingSpaces = 0
            if case .afterHigh = escape, c != UInt8(ascii: "\\") {
                // A high surrogate not followed by an escape is U+FFFD on its own, and `c` is read as text.
                decodedScalar(0xFFFD)
                escape = .plain
            }
            if case .plain = escape, c == UInt8(ascii: "\"") {
                closeString()
                continue
            }
            sinceClean.append(c)
            guard step(c) else {
                fail()
                continue
            }
            if case .plain = escape {
                if c == 0x20 { trailingSpaces = 1 }
                cleanAt = rawCount
                sinceClean.removeAll(keepingCapacity: true)
                noteCleanPoint()
            }
        }
    }

    /// The line read so far, as the reader will decode it (the line ended: a string still open stays open).
    package mutating func finish() -> ShortenedLine {
        if inString, isLong, tailAfterFailure < 0 {
            // The line ends inside a long string: show the decoder the same ending.
            if !sinceClean.isEmpty {
                line.anchors.append(.init(short: line.bytes.count, original: cleanAt))
                line.bytes.append(contentsOf: sinceClean)
            } else if rawCount - trailingSpaces > headEnd {
                // It ends in text, then maybe spaces (which the decoder trims off the line): one byte of text
                // stands for the last one before them.
                line.anchors.append(.init(short: line.bytes.count, original: rawCount - trailingSpaces - 1))
                line.bytes.append(UInt8(ascii: "x"))
            }
        }
        // The line went on after the bytes kept past an error: keep the decoder from trimming spaces there.
        if continuesAfterTail { line.bytes.append(UInt8(ascii: "x")) }
        line.originalCount = rawCount
        return line
    }

    // MARK: Strings

    private mutating func openString() {
        inString = true
        quoteAt = line.bytes.count
        line.bytes.append(UInt8(ascii: "\""))
        rawCount += 1
        rawInString = 0
        isLong = false
        headRaw = -1
        escape = .plain
        sinceClean.removeAll(keepingCapacity: true)
        cleanAt = rawCount
        head.removeAll(keepingCapacity: true)
        window.removeAll(keepingCapacity: true)
        counted = 0
        noteCleanPoint()
    }

    /// At a clean point (no escape under way): remembers the first one at or past 8 raw bytes, and stops
    /// copying a string that went past ``limit``.
    private mutating func noteCleanPoint() {
        if headRaw < 0, rawInString >= 8 { headRaw = rawInString }
        guard !isLong, rawInString > limit, headRaw >= 0 else { return }
        isLong = true
        line.bytes.removeLast(line.bytes.count - (quoteAt + 1 + headRaw))
        headEnd = rawCount - rawInString + headRaw
    }

    private mutating func closeString() {
        inString = false
        let whole = counted + Self.repairedCount(window)
        window.removeAll(keepingCapacity: true)
        if whole <= limit {
            guard isLong else { return }  // copied as it is, closing quote included
            // Long in the log (escapes), short once decoded: all of it is in `head`.
            replace(with: String(decoding: head, as: UTF8.self))
        } else {
            let text = EventCodec.cappedText(prefixOf: String(decoding: head, as: UTF8.self), wholeBytes: whole, limit: limit)
            replace(with: text)
            line.cuts.append(.init(keptBytes: text.utf8.count, wholeBytes: whole))
        }
        line.anchors.append(.init(short: line.bytes.count, original: rawCount))
    }

    /// Writes `text` as the open string, in place of what was copied of it.
    private mutating func replace(with text: String) {
        line.bytes.removeLast(line.bytes.count - quoteAt)
        var writer = JSONWriter(capacity: text.utf8.count + 16)
        writer.write(string: text)
        line.bytes.append(contentsOf: writer.bytes)
    }

    /// Stops at an error inside the open string: keeps the escape (or character) in error and what follows.
    private mutating func fail() {
        if isLong {
            line.anchors.append(.init(short: line.bytes.count, original: cleanAt))
            line.bytes.append(contentsOf: sinceClean)
        }
        tailAfterFailure = Self.tailBytes
    }

    // MARK: Decoding

    /// Reads one byte of an escape (or a control character); `false` where the string routine throws.
    private mutating func step(_ c: UInt8) -> Bool {
        switch escape {
        case .plain:
            if c == UInt8(ascii: "\\") { escape = .backslash; return true }
            if c < 0x20 { return false }
            decoded(c)
            return true
        case .backslash:
            if c == UInt8(ascii: "u") {
                escape = .hex(0, 0)
                return true
            }
            guard let out = JSONParser.escapedByte(c) else { return false }
            decoded(out)
            escape = .plain
            return true
        case .hex(let count, let value):
            guard let digit = JSONParser.hexDigit(c) else { return false }
            let v = value << 4 | digit
            if count < 3 { escape = .hex(count + 1, v); return true }
            scalarRead(v)
            return true
        case .afterHigh(let high):
            // Anything but a backslash was taken care of before (it may close the string).
            if c == UInt8(ascii: "\\") { escape = .afterHighBackslash(high); return true }
            decodedScalar(0xFFFD)
            escape = .plain
            return step(c)
        case .afterHighBackslash(let high):
            if c == UInt8(ascii: "u") { escape = .lowHex(0, 0, high: high); return true }
            decodedScalar(0xFFFD)
            escape = .backslash
            return step(c)
        case .lowHex(let count, let value, let high):
            guard let digit = JSONParser.hexDigit(c) else { return false }
            let v = value << 4 | digit
            if count < 3 { escape = .lowHex(count + 1, v, high: high); return true }
            if (0xDC00...0xDFFF).contains(v) {
                decodedScalar(0x10000 + ((high - 0xD800) << 10) + (v - 0xDC00))
                escape = .plain
            } else {
                // The routine goes back to this escape and reads it on its own.
                decodedScalar(0xFFFD)
                scalarRead(v)
            }
            return true
        }
    }

    /// A `\uXXXX` escape's value, read as the string routine reads it.
    private mutating func scalarRead(_ v: UInt32) {
        if (0xD800...0xDBFF).contains(v) {
            escape = .afterHigh(v)
            return
        }
        decodedScalar((0xDC00...0xDFFF).contains(v) ? 0xFFFD : v)
        escape = .plain
    }

    /// A decoded scalar, as UTF-8.
    private mutating func decodedScalar(_ scalar: UInt32) {
        scalarBytes.removeAll(keepingCapacity: true)
        JSONParser.appendUTF8(scalar, to: &scalarBytes)
        let bytes = scalarBytes
        bytes.withUnsafeBufferPointer { decoded($0) }
    }

    private mutating func decoded(_ byte: UInt8) {
        withUnsafePointer(to: byte) { decoded(UnsafeBufferPointer(start: $0, count: 1)) }
    }

    /// Decoded bytes of the open string: the first ones kept, all of them counted.
    private mutating func decoded(_ bytes: UnsafeBufferPointer<UInt8>) {
        // The cut needs `limit` bytes of the replaced text and a few more to end on a whole character.
        let keep = limit + 16
        if head.count < keep { head.append(contentsOf: bytes.prefix(keep - head.count)) }
        window.append(contentsOf: bytes)
        if window.count >= 64 << 10 {
            let split = Self.safeSplit(window)
            counted += Self.repairedCount(window[..<split])
            window.removeFirst(split)
        }
    }

    /// Where the decoded bytes can be cut so that replacing invalid sequences on each side gives what it gives
    /// on the whole: before a byte that is not a continuation byte (a sequence never goes on past one), or
    /// before a continuation byte with three continuation bytes before it (no sequence is that long).
    static func safeSplit(_ bytes: [UInt8]) -> Int {
        var k = bytes.count - 1
        while k > 0, k >= bytes.count - 4 {
            if bytes[k] & 0xC0 != 0x80 { return k }
            k -= 1
        }
        return max(0, bytes.count - 1)
    }

    /// UTF-8 bytes of `bytes` once invalid sequences are replaced, as `String(decoding:as:)` does.
    static func repairedCount<C: Collection>(_ bytes: C) -> Int where C.Element == UInt8 {
        String(decoding: bytes, as: UTF8.self).utf8.count
    }
}
