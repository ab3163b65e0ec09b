/// Remembers how much of a job's log has been shown, so that every source of the same log (a websocket that
/// replays the log from its start on each connection, a `GET /logs` that returns all of it) contributes only
/// what is new. Offsets are UTF-8 byte offsets into the job's log file as Ray decodes it.
package struct LogCursor: Sendable, Hashable {
    /// Bytes of the log already handed on.
    package private(set) var shown = 0

    package init() {}

    /// Accepts `chunk`, which starts at byte `offset` of the log; returns the part not shown yet (possibly
    /// empty). A chunk starting past what was shown means bytes were skipped: that is a bug in the caller,
    /// reported as `nil` so it is never silently papered over.
    package mutating func accept(_ chunk: ArraySlice<UInt8>, at offset: Int) -> ArraySlice<UInt8>? {
        if offset > shown { return nil }
        let end = offset + chunk.count
        if end <= shown { return chunk[chunk.endIndex...] }
        let fresh = chunk[(chunk.startIndex + (shown - offset))...]
        shown = end
        return fresh
    }

    /// The whole log as `GET /logs` returns it; `nil` when it is shorter than what was shown (the log was
    /// replaced: a restarted cluster re-used the id).
    package mutating func acceptWhole(_ log: [UInt8]) -> ArraySlice<UInt8>? {
        if log.count < shown { return nil }
        return accept(log[...], at: 0)
    }

    /// Starts over (after the log was replaced).
    package mutating func reset() { shown = 0 }
}

/// Splits a byte stream into lines. A partial last line is kept until its newline arrives (or `finish()`),
/// so a reconnect in the middle of a line neither splits nor repeats it.
package struct LineSplitter: Sendable, Hashable {
    private var partial: [UInt8] = []
    /// A line longer than this is cut (the rest becomes the next line), so one runaway line cannot eat memory.
    package var maxLineBytes: Int

    package init(maxLineBytes: Int = 1 << 20) {
        self.maxLineBytes = maxLineBytes
    }

    /// Complete lines in `bytes` (without `\n` or a trailing `\r`).
    package mutating func push<C: Collection>(_ bytes: C) -> [String] where C.Element == UInt8 {
        var lines: [String] = []
        for byte in bytes {
            if byte == 0x0A {
                lines.append(Self.text(partial))
                partial.removeAll(keepingCapacity: true)
            } else {
                partial.append(byte)
                if partial.count >= maxLineBytes {
                    lines.append(Self.text(partial))
                    partial.removeAll(keepingCapacity: true)
                }
            }
        }
        return lines
    }

    /// The partial last line, if any (at the end of the stream).
    package mutating func finish() -> String? {
        guard !partial.isEmpty else { return nil }
        defer { partial.removeAll() }
        return Self.text(partial)
    }

    /// `true` while a partial line is buffered.
    package var hasPartialLine: Bool { !partial.isEmpty }

    private static func text(_ bytes: [UInt8]) -> String {
        var end = bytes.count
        if end > 0, bytes[end - 1] == 0x0D { end -= 1 }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }
}
