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
package struct EventLogDecoder: Sendable {
    /// Lines completed so far (including blank and unreadable ones).
    package private(set) var lineCount = 0
    /// Bytes of the current partial line, waiting for `\n`.
    package private(set) var pending: [UInt8] = []
    /// Total unreadable lines seen.
    package private(set) var unreadableCount = 0
    /// The current partial line outgrew ``EventCodec/maxLineBytes``; its bytes are no longer kept.
    var pendingOversized = false

    package init() {}

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
            if pendingOversized {
                pendingOversized = false
                pending.removeAll(keepingCapacity: false)
                lineCount += 1
                unreadableCount += 1
                onUnreadable(UnreadableLine(
                    lineNumber: lineCount, reason: "line is over the \(EventCodec.maxLineBytes)-byte limit"))
            } else if pending.isEmpty {
                decode(UnsafeBufferPointer(rebasing: chunk[lineStart..<i]), onEvent, onUnreadable)
            } else {
                pending.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[lineStart..<i]))
                let line = pending
                pending.removeAll(keepingCapacity: true)
                line.withUnsafeBufferPointer { decode($0, onEvent, onUnreadable) }
            }
            lineStart = i + 1
        }
        if lineStart < chunk.count {
            if !pendingOversized, pending.count + (chunk.count - lineStart) <= EventCodec.maxLineBytes {
                pending.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[lineStart...]))
            } else {
                // Past the limit the line's bytes are dropped; it is reported when its newline comes.
                pendingOversized = true
                pending.removeAll(keepingCapacity: false)
            }
        }
    }

    /// Feeds the next chunk without decoding it: hands over its complete lines as blocks of bytes, for a
    /// consumer that reads them itself (``LogBlockReader``, possibly on other threads). A line over
    /// ``EventCodec/maxLineBytes`` is not handed over; `onOversized` marks its place. The blocks are only
    /// valid during the call. Lines are not numbered here (``lineCount`` does not move): the consumer
    /// numbers them as it puts the blocks back in order.
    package mutating func feedLines(_ chunk: UnsafeBufferPointer<UInt8>, onLines: (UnsafeBufferPointer<UInt8>) -> Void,
                                   onOversized: () -> Void) {
        guard let base = chunk.baseAddress, !chunk.isEmpty else { return }
        var start = 0
        if pendingOversized || !pending.isEmpty {
            // The line carried over from the previous chunk ends at this chunk's first newline.
            guard let found = memchr(base, 0x0A, chunk.count) else {
                keepPartial(UnsafeBufferPointer(rebasing: chunk[0...]))
                return
            }
            let i = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
            if pendingOversized {
                pendingOversized = false
                pending.removeAll(keepingCapacity: false)
                unreadableCount += 1
                onOversized()
            } else {
                pending.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[0...i]))
                let line = pending
                pending.removeAll(keepingCapacity: true)
                line.withUnsafeBufferPointer { onLines($0) }
            }
            start = i + 1
        }
        // Everything up to the chunk's last newline is whole lines.
        var end = chunk.count
        while end > start, base[end - 1] != 0x0A { end -= 1 }
        if end > start { onLines(UnsafeBufferPointer(start: base + start, count: end - start)) }
        if end < chunk.count { keepPartial(UnsafeBufferPointer(rebasing: chunk[end...])) }
    }

    /// Hands over the partial last line as if complete (for a log whose writer is gone), or marks its place
    /// when it was over the limit: ``finish()`` for ``feedLines(_:onLines:onOversized:)``.
    package mutating func finishLines(onLines: (UnsafeBufferPointer<UInt8>) -> Void, onOversized: () -> Void) {
        if pendingOversized {
            pendingOversized = false
            unreadableCount += 1
            onOversized()
            return
        }
        guard !pending.isEmpty else { return }
        let line = pending
        pending.removeAll()
        line.withUnsafeBufferPointer { onLines($0) }
    }

    /// Keeps the bytes of a line whose newline has not arrived, or only notes it once it is over the limit.
    private mutating func keepPartial(_ bytes: UnsafeBufferPointer<UInt8>) {
        if !pendingOversized, pending.count + bytes.count <= EventCodec.maxLineBytes {
            pending.append(contentsOf: bytes)
        } else {
            pendingOversized = true
            pending.removeAll(keepingCapacity: false)
        }
    }

    /// Feeds a chunk given as an array.
    package mutating func feed(_ chunk: [UInt8]) -> Batch {
        chunk.withUnsafeBufferPointer { feed($0) }
    }

    /// Decodes the partial last line as if it were complete (for a log whose writer is gone).
    package mutating func finish() -> Batch {
        var batch = Batch()
        if pendingOversized {
            pendingOversized = false
            lineCount += 1
            unreadableCount += 1
            batch.unreadable.append(UnreadableLine(
                lineNumber: lineCount, reason: "line is over the \(EventCodec.maxLineBytes)-byte limit"))
            return batch
        }
        guard !pending.isEmpty else { return batch }
        let line = pending
        pending.removeAll()
        line.withUnsafeBufferPointer { decode($0, into: &batch) }
        return batch
    }

    /// Forgets the partial line and restarts line numbering (the file was truncated or replaced).
    package mutating func reset() {
        pending.removeAll()
        pendingOversized = false
        lineCount = 0
    }

    mutating func decode(_ line: UnsafeBufferPointer<UInt8>, into batch: inout Batch) {
        decode(line, { batch.events.append($0) }, { batch.unreadable.append($0) })
    }

    @inline(__always)
    mutating func decode(_ line: UnsafeBufferPointer<UInt8>, _ onEvent: (Event) -> Void,
                         _ onUnreadable: (UnreadableLine) -> Void) {
        lineCount += 1
        do {
            if let event = try EventCodec.decodeLine(line) { onEvent(event) }
        } catch {
            unreadableCount += 1
            onUnreadable(UnreadableLine(lineNumber: lineCount, reason: error.reason))
        }
    }
}
