import Foundation
import SynapsePlugins

/// Reads a whole event log (or console capture) on this thread, event by event, in order: what `export`
/// and `show --at` need (every event, a prefix of them), where `show` hands blocks to a reducer instead.
enum EventLogReading {
    /// Calls `event` for each event until it returns `false` or the log ends, and `unreadable` for each line
    /// that could not be read. Returns whether the whole log was read.
    @discardableResult
    static func forEach(_ source: EventLogSource, event: (Event) -> Bool,
                        unreadable: (UnreadableLine) -> Void = { _ in }) throws -> Bool {
        if source.format == .console {
            for e in try ConsoleFileTailer.events(ofFile: source.path) where !event(e) { return false }
            return true
        }
        try checkLogFile(source.path, mustExist: true)
        let fd = open(source.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LogSourceError(description: "cannot read \(source.path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var decoder = EventLogDecoder()
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        var going = true
        while going {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw LogSourceError(description: "cannot read \(source.path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            buffer.withUnsafeBufferPointer { all in
                decoder.feed(UnsafeBufferPointer(rebasing: all[0..<n]), onEvent: { e in
                    if going, !event(e) { going = false }
                }, onUnreadable: { if going { unreadable($0) } })
            }
        }
        guard going else { return false }
        let last = decoder.finish()
        for e in last.events where !event(e) { return false }
        last.unreadable.forEach(unreadable)
        return true
    }

    /// Resolves the sources of a command that reads several logs: job ids (or unique prefixes), then
    /// `--file` paths, then `--console` captures, in that order.
    static func sources(jobs: [String], files: [String], consoles: [String]) throws -> [EventLogSource] {
        var out: [EventLogSource] = []
        for job in jobs { out.append(try EventLogSource.resolve(job: job, file: nil, console: nil)) }
        for file in files { out.append(try EventLogSource.resolve(job: nil, file: file, console: nil)) }
        for console in consoles { out.append(try EventLogSource.resolve(job: nil, file: nil, console: console)) }
        return out
    }
}
