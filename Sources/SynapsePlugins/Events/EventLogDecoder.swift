import Foundation

/// A line of an event log that could not be read.
package struct UnreadableLine: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number in the log.
    package var lineNumber: Int
    package var reason: String

    package init(lineNumber: Int, reason: String) {
        self.lineNumber = lineNumber
        self.reason = reason
    }

    package var description: String { "line \(lineNumber): \(reason)" }
}

/// Turns chunks of an event log (as read from a file or a pipe) into events.
///
/// Chunks may split lines anywhere; a partial last line is kept until its newline arrives. Unreadable lines
/// are reported with their line number and skipped, so one bad line never stops a reader.
///
/// A line over ``longLineBytes`` is never held whole: a ``LongLineShortener`` reads it as it arrives and
/// keeps only the first bytes of its long strings (a 7 MB message is read in the memory of its first 64 KiB).
/// Whether it arrived in one chunk or many, such a line reads the same.
package struct EventLogDecoder: Sendable {
    /// Lines longer than this are read by a ``LongLineShortener``: a few reads' worth, so a normal log's
    /// lines (well under a KiB) never are, and a long line in flight costs at most this much.
    package static let longLineBytes = 256 << 10
    /// This decoder's ``longLineBytes`` (the tests read with small ones).
    package var longLineLimit = EventLogDecoder.longLineBytes
    /// The size the strings of long lines are cut to.
    package var keptStringBytes = EventCodec.cappedTextBytes
    /// The line under way, once it is longer than ``longLineLimit``.
    private var shortener: LongLineShortener?

    /// Lines completed so far (including blank and unreadable ones).
    package private(set) var lineCount = 0
    /// Bytes of the current partial line, waiting for `\n`.
    package private(set) var pending: [UInt8] = []
    /// Total unreadable lines seen.
    package private(set) var unreadableCount = 0
    /// The current partial line outgrew ``EventCodec/maxLineBytes``; its bytes are no longer kept.
    var pendingOversized = false

    package init() {}

    /// A decoder that reads lines over `longLineBytes` as long ones, cutting their strings at `keptStringBytes`:
    /// the tests and the fuzzer reach every path of long lines with short ones.
    package init(longLineBytes: Int, keptStringBytes: Int) {
        longLineLimit = max(0, longLineBytes)
        self.keptStringBytes = max(1, keptStringBytes)
    }

    /// What one chunk yielded.
    package struct Batch: Sendable {
        package var events: [Event] = []
        package var unreadable: [UnreadableLine] = []
    }

    /// Feeds the next chunk; returns the events and problems of every line it completed.
    package mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>) -> Batch {
        var batch = Batch()
        // Our records average 100-200 bytes; reserving up front avoids regrowing (and copying) the array.
        batch.events.reserveCapacity(chunk.count / 96 + 1)
        feed(chunk, onEvent: { batch.events.append($0) }, onUnreadable: { batch.unreadable.append($0) })
        return batch
    }

    /// Feeds the next chunk and hands each completed line's event (or problem) to the closures as it is
    /// decoded, in order, without collecting a batch: the cheapest way to ingest a large log.
    package mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, onEvent: (Event) -> Void,
                              onUnreadable: (UnreadableLine) -> Void) {
        guard let base = chunk.baseAddress else { return }
        var lineStart = 0
        while lineStart < chunk.count {
            guard let found = memchr(base + lineStart, 0x0A, chunk.count - lineStart) else { break }
            let i = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
            let part = UnsafeBufferPointer(rebasing: chunk[lineStart..<i])
            if !isCarrying, let long = shortenedIfLong(part) {
                decode(long, onEvent, onUnreadable)
            } else if !isCarrying {
                decode(part, onEvent, onUnreadable)
            } else {
                switch completeLine(part) {
                case .oversized:
                    lineCount += 1
                    onUnreadable(UnreadableLine(
                        lineNumber: lineCount, reason: "line is over the \(EventCodec.maxLineBytes)-byte limit"))
                case .long(let long):
                    decode(long, onEvent, onUnreadable)
                case .pending:
                    let line = pending
                    pending.removeAll(keepingCapacity: true)
                    line.withUnsafeBufferPointer { decode($0, onEvent, onUnreadable) }
                }
            }
            lineStart = i + 1
        }
        if lineStart < chunk.count { keepPartial(UnsafeBufferPointer(rebasing: chunk[lineStart...])) }
    }

    /// A line under way (its newline not read yet).
    private var isCarrying: Bool { pendingOversized || shortener != nil || !pending.isEmpty }

    /// The bytes of the line under way when they are kept as they are (it is not long): a reader can put
    /// them before the next bytes it reads, in one buffer, and then ``dropPartial()``.
    package var plainPartial: [UInt8]? {
        pendingOversized || shortener != nil || pending.isEmpty ? nil : pending
    }

    /// Forgets the line under way of ``plainPartial``: the caller hands it over with the bytes that end it.
    package mutating func dropPartial() {
        pending.removeAll(keepingCapacity: true)
    }

    /// How the line under way ended.
    private enum LineEnd {
        /// Over ``EventCodec/maxLineBytes``: unreadable, its bytes were not kept (counted as unreadable).
        case oversized
        case long(ShortenedLine)
        /// ``pending`` holds it.
        case pending
    }

    /// Ends the line under way with its last bytes (without the newline).
    private mutating func completeLine(_ last: UnsafeBufferPointer<UInt8>) -> LineEnd {
        keepPartial(last)
        if pendingOversized {
            pendingOversized = false
            pending.removeAll(keepingCapacity: false)
            unreadableCount += 1
            return .oversized
        }
        if var shortener {
            self.shortener = nil
            return .long(shortener.finish())
        }
        return .pending
    }

    /// A whole line over ``longLineLimit`` (and within ``EventCodec/maxLineBytes``) shortened as if it had come
    /// piece by piece, so a line reads the same however the reads cut it; `nil` for any other.
    private func shortenedIfLong(_ line: UnsafeBufferPointer<UInt8>) -> ShortenedLine? {
        guard line.count > longLineLimit, line.count <= EventCodec.maxLineBytes else { return nil }
        var shortener = LongLineShortener(limit: keptStringBytes)
        shortener.feed(line)
        return shortener.finish()
    }

    /// Keeps the bytes of a line whose newline has not arrived: as they are while the line is short, through a
    /// ``LongLineShortener`` once it is long, and not at all once it is over the limit (it is reported when
    /// its newline comes).
    private mutating func keepPartial(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !pendingOversized else { return }
        let total = (shortener?.rawCount ?? pending.count) + bytes.count
        if total > EventCodec.maxLineBytes {
            pendingOversized = true
            pending.removeAll(keepingCapacity: false)
            shortener = nil
            return
        }
        if shortener == nil {
            if total <= longLineLimit {
                pending.append(contentsOf: bytes)
                return
            }
            var started = LongLineShortener(limit: keptStringBytes)
            pending.withUnsafeBufferPointer { started.feed($0) }
            pending = []  // its capacity too: the line may have been long
            shortener = started
        }
        shortener?.feed(bytes)
    }

    /// Feeds the next chunk without decoding it: hands over its complete lines as blocks of bytes, for a
    /// consumer that reads them itself (``LogBlockReader``, possibly on other threads). A line over
    /// ``EventCodec/maxLineBytes`` is not handed over; `onOversized` marks its place. The blocks are only
    /// valid during the call. Lines are not numbered here (``lineCount`` does not move): the consumer
    /// numbers them as it puts the blocks back in order.
    ///
    /// With `keepingLast`, the last block of lines, which comes after everything else the chunk yields, is
    /// not handed to `onLines` but returned as its place in `chunk`: a caller that owns the chunk's buffer
    /// can pass the buffer on instead of copying it.
    @discardableResult
    package mutating func feedLines(_ chunk: UnsafeBufferPointer<UInt8>, keepingLast: Bool = false,
                                   onLines: (UnsafeBufferPointer<UInt8>) -> Void,
                                   onLongLine: (ShortenedLine) -> Void, onOversized: () -> Void) -> Range<Int>? {
        guard let base = chunk.baseAddress, !chunk.isEmpty else { return nil }
        var start = 0
        if isCarrying {
            // The line carried over from the previous chunk ends at this chunk's first newline.
            guard let found = memchr(base, 0x0A, chunk.count) else {
                keepPartial(UnsafeBufferPointer(rebasing: chunk[0...]))
                return nil
            }
            let i = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
            switch completeLine(UnsafeBufferPointer(rebasing: chunk[0..<i])) {
            case .oversized: onOversized()
            case .long(let long): onLongLine(long)
            case .pending:
                pending.append(0x0A)  // handed over as lines are: with their newline
                let line = pending
                pending.removeAll(keepingCapacity: true)
                line.withUnsafeBufferPointer { onLines($0) }
            }
            start = i + 1
        }
        // Everything up to the chunk's last newline is whole lines.
        var end = chunk.count
        while end > start, base[end - 1] != 0x0A { end -= 1 }
        if end - start > longLineLimit {
            // A chunk bigger than a long line may hold one: hand it over apart, shortened.
            var run = start, lineStart = start
            while lineStart < end {
                let found = memchr(base + lineStart, 0x0A, end - lineStart)!
                let i = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
                if let long = shortenedIfLong(UnsafeBufferPointer(start: base + lineStart, count: i - lineStart)) {
                    if lineStart > run { onLines(UnsafeBufferPointer(start: base + run, count: lineStart - run)) }
                    onLongLine(long)
                    run = i + 1
                }
                lineStart = i + 1
            }
            start = run
        }
        var last: Range<Int>?
        if end > start {
            if keepingLast { last = start..<end } else { onLines(UnsafeBufferPointer(start: base + start, count: end - start)) }
        }
        if end < chunk.count { keepPartial(UnsafeBufferPointer(rebasing: chunk[end...])) }
        return last
    }

    /// Hands over the partial last line as if complete (for a log whose writer is gone), or marks its place
    /// when it was over the limit: ``finish()`` for ``feedLines(_:onLines:onLongLine:onOversized:)``.
    package mutating func finishLines(onLines: (UnsafeBufferPointer<UInt8>) -> Void, onLongLine: (ShortenedLine) -> Void,
                                     onOversized: () -> Void) {
        guard isCarrying else { return }
        switch completeLine(UnsafeBufferPointer(start: nil, count: 0)) {
        case .oversized: onOversized()
        case .long(let long): onLongLine(long)
        case .pending:
            let line = pending
            pending.removeAll()
            line.withUnsafeBufferPointer { onLines($0) }
        }
    }

    /// Feeds a chunk given as an array.
    package mutating func feed(_ chunk: [UInt8]) -> Batch {
        chunk.withUnsafeBufferPointer { feed($0) }
    }

    /// Decodes the partial last line as if it were complete (for a log whose writer is gone).
    package mutating func finish() -> Batch {
        var batch = Batch()
        guard isCarrying else { return batch }
        switch completeLine(UnsafeBufferPointer(start: nil, count: 0)) {
        case .oversized:
            lineCount += 1
            batch.unreadable.append(UnreadableLine(
                lineNumber: lineCount, reason: "line is over the \(EventCodec.maxLineBytes)-byte limit"))
        case .long(let long):
            decode(long, { batch.events.append($0) }, { batch.unreadable.append($0) })
        case .pending:
            let line = pending
            pending.removeAll()
            line.withUnsafeBufferPointer { decode($0, into: &batch) }
        }
        return batch
    }

    /// Forgets the partial line and restarts line numbering (the file was truncated or replaced).
    package mutating func reset() {
        pending.removeAll()
        pendingOversized = false
        shortener = nil
        lineCount = 0
    }

    mutating func decode(_ line: UnsafeBufferPointer<UInt8>, into batch: inout Batch) {
        decode(line, { batch.events.append($0) }, { batch.unreadable.append($0) })
    }

    /// Decodes a line a ``LongLineShortener`` read.
    mutating func decode(_ line: ShortenedLine, _ onEvent: (Event) -> Void, _ onUnreadable: (UnreadableLine) -> Void) {
        count({ () throws(EventDecodingError) in try EventCodec.decodeLine(line) }, onEvent, onUnreadable)
    }

    @inline(__always)
    mutating func decode(_ line: UnsafeBufferPointer<UInt8>, _ onEvent: (Event) -> Void,
                         _ onUnreadable: (UnreadableLine) -> Void) {
        count({ () throws(EventDecodingError) in try EventCodec.decodeLine(line) }, onEvent, onUnreadable)
    }

    /// Numbers the line and hands on its event, or why it cannot be read (both kinds of line alike).
    @inline(__always)
    private mutating func count(_ decoded: () throws(EventDecodingError) -> Event?, _ onEvent: (Event) -> Void,
                                _ onUnreadable: (UnreadableLine) -> Void) {
        lineCount += 1
        do {
            if let event = try decoded() { onEvent(event) }
        } catch {
            unreadableCount += 1
            onUnreadable(UnreadableLine(lineNumber: lineCount, reason: error.reason))
        }
    }
}
