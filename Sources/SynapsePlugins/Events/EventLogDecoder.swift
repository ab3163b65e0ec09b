/// A line of an event log that could not be read.
public struct UnreadableLine: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number in the log.
    public var lineNumber: Int
    public var reason: String

    public init(lineNumber: Int, reason: String) {
        self.lineNumber = lineNumber
        self.reason = reason
    }

    public var description: String { "line \(lineNumber): \(reason)" }
}

/// Turns chunks of an event log (as read from a file or a pipe) into events.
///
/// Chunks may split lines anywhere; a partial last line is kept until its newline arrives. Unreadable lines
/// are reported with their line number and skipped, so one bad line never stops a reader.
public struct EventLogDecoder: Sendable {
    /// Lines completed so far (including blank and unreadable ones).
    public private(set) var lineCount = 0
    /// Bytes of the current partial line, waiting for `\n`.
    public private(set) var pending: [UInt8] = []
    /// Total unreadable lines seen.
    public private(set) var unreadableCount = 0
    /// The current partial line outgrew ``EventCodec/maxLineBytes``; its bytes are no longer kept.
    var pendingOversized = false

    public init() {}

    /// What one chunk yielded.
    public struct Batch: Sendable {
        public var events: [Event] = []
        public var unreadable: [UnreadableLine] = []
    }

    /// Feeds the next chunk; returns the events and problems of every line it completed.
    public mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>) -> Batch {
        var batch = Batch()
        var lineStart = 0
        var i = 0
        while i < chunk.count {
            if chunk[i] == 0x0A {
                if pendingOversized {
                    pendingOversized = false
                    pending.removeAll(keepingCapacity: false)
                    lineCount += 1
                    unreadableCount += 1
                    batch.unreadable.append(UnreadableLine(
                        lineNumber: lineCount, reason: "line is over the \(EventCodec.maxLineBytes)-byte limit"))
                } else if pending.isEmpty {
                    decode(UnsafeBufferPointer(rebasing: chunk[lineStart..<i]), into: &batch)
                } else {
                    pending.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[lineStart..<i]))
                    let line = pending
                    pending.removeAll(keepingCapacity: true)
                    line.withUnsafeBufferPointer { decode($0, into: &batch) }
                }
                lineStart = i + 1
            }
            i += 1
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
        return batch
    }

    /// Feeds a chunk given as an array.
    public mutating func feed(_ chunk: [UInt8]) -> Batch {
        chunk.withUnsafeBufferPointer { feed($0) }
    }

    /// Decodes the partial last line as if it were complete (for a log whose writer is gone).
    public mutating func finish() -> Batch {
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
    public mutating func reset() {
        pending.removeAll()
        pendingOversized = false
        lineCount = 0
    }

    mutating func decode(_ line: UnsafeBufferPointer<UInt8>, into batch: inout Batch) {
        lineCount += 1
        do {
            if let event = try EventCodec.decodeLine(line) { batch.events.append(event) }
        } catch {
            unreadableCount += 1
            batch.unreadable.append(UnreadableLine(lineNumber: lineCount, reason: error.reason))
        }
    }
}
