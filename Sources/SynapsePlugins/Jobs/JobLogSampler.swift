import Foundation

/// Reads the parts of an event log a job summary needs, without reading a huge log whole.
///
/// The first status records are at the head and the latest ones at the tail, so for a log larger than
/// ``wholeLimit`` only the first ``headBytes`` and the last ``tailBytes`` are decoded (the tail's first,
/// partial line is dropped). A 10-million-record log lists as fast as a short one.
package enum JobLogSampler {
    static let wholeLimit = 4 << 20
    static let headBytes = 256 << 10
    static let tailBytes = 1 << 20

    static func sample(path: String) -> [Event] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        if size <= UInt64(wholeLimit) {
            try? handle.seek(toOffset: 0)
            return decode(handle.readDataToEndOfFile(), dropFirstLine: false)
        }
        try? handle.seek(toOffset: 0)
        let head = (try? handle.read(upToCount: headBytes)) ?? Data()
        try? handle.seek(toOffset: size - UInt64(tailBytes))
        let tail = handle.readDataToEndOfFile()
        return decode(head, dropFirstLine: false, dropLastPartial: true) + decode(tail, dropFirstLine: true)
    }

    /// The records of the last `maxBytes` of the log at `path` (its first, partial line dropped unless the
    /// read starts at the file's start): what the end of a run needs, without reading a huge log whole.
    package static func lastEvents(ofLogAt path: String, maxBytes: Int = 2 * EventCodec.maxLineBytes + (1 << 20)) -> [Event] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > UInt64(maxBytes) ? size - UInt64(maxBytes) : 0
        try? handle.seek(toOffset: start)
        return decode(handle.readDataToEndOfFile(), dropFirstLine: start > 0)
    }

    private static func decode(_ data: Data, dropFirstLine: Bool, dropLastPartial: Bool = false) -> [Event] {
        var bytes = [UInt8](data)
        if dropFirstLine {
            guard let newline = bytes.firstIndex(of: 0x0A) else { return [] }
            bytes.removeSubrange(...newline)
        }
        if dropLastPartial, let newline = bytes.lastIndex(of: 0x0A) {
            bytes.removeSubrange((newline + 1)...)
        }
        var decoder = EventLogDecoder()
        var events = decoder.feed(bytes).events
        // A writer that died mid-line leaves a partial last line; read it if it happens to be whole JSON.
        if !dropLastPartial { events += decoder.finish().events }
        return events
    }
}
