import Foundation
import SynapsePlugins

/// Reads back, on demand, the whole text of a message the dashboard keeps only a prefix of: it streams the
/// log to the record's line (memory: one chunk and one line, never the file) and decodes that one record.
package enum MessageRecordReader {
    /// What reading back gave.
    package enum Outcome: Sendable, Equatable {
        /// The record's whole text.
        case whole(String)
        /// Why it could not be read (the file is gone, was replaced, the line no longer holds the message).
        case unavailable(String)
    }

    /// The whole text of `entry`, read from the log at `path`. The record must be a message with the entry's
    /// time whose text cuts to the kept prefix, on line `cut.line` or up to `cut.slack` lines after it.
    package static func read(_ entry: MessageEntry, path: String) -> Outcome {
        guard let cut = entry.cut, let first = cut.line, first >= 1 else {
            return .unavailable("the message did not come from a log file")
        }
        // A pipe cannot be read twice (and opening one could block): only a regular file is read back.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return .unavailable("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            return .unavailable("\(path) is not a regular file: it cannot be read again")
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var lineNumber = 1
        var line: [UInt8] = []
        let last = first + max(0, cut.slack)
        // Returns the text when the finished line `lineNumber` is the entry's record.
        func check() -> String? {
            guard lineNumber >= first, !line.isEmpty else { return nil }
            // The whole line, decoded whole (a reader of the log would cut its long text again).
            guard let event = try? line.withUnsafeBufferPointer({ try EventCodec.decodeLine($0) }),
                  case .message(let m) = event.payload,
                  event.timestamp == entry.time || (event.timestamp.isNaN && entry.time.isNaN),
                  m.content.utf8.count == cut.bytes, EventCodec.cappedText(m.content) == entry.text else { return nil }
            return m.content
        }
        while lineNumber <= last {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            var start = 0
            while start < n, lineNumber <= last {
                let end = chunk[start..<n].firstIndex(of: 0x0A) ?? n
                // Keep the bytes of the lines that may be the record, up to the longest line a reader accepts.
                if lineNumber >= first, line.count + (end - start) <= EventCodec.maxLineBytes {
                    line += chunk[start..<end]
                }
                guard end < n else { start = n; break }
                if let text = check() { return .whole(text) }
                line.removeAll(keepingCapacity: true)
                lineNumber += 1
                start = end + 1
            }
        }
        if lineNumber <= last, let text = check() { return .whole(text) }
        return .unavailable("\(path) no longer holds this message at line \(first)")
    }
}
