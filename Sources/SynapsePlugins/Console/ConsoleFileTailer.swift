import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a captured console output file (an unmodified synapse-sdk run's `stdout`, `2>&1` or not) through
/// ``ConsoleLineParser``: all of it at once (``events(ofFile:)``, `synapse-tui show --console FILE`), or
/// following it as it grows on a thread of its own (`synapse-tui attach --console FILE`).
///
/// Following keeps its place in the file with an ``EventLogCursor`` (the event-log tailer's: a file that
/// does not exist yet, truncated, replaced, deleted, a directory, a pipe), sleeps in `poll()` on an inotify
/// watch of the file's folder (with a heartbeat re-check), and starts its parser over when the cursor says
/// the file was truncated or replaced. A partial last line is parsed only once its newline arrives.
package final class ConsoleFileTailer: EventSource, @unchecked Sendable {
    /// The followed file.
    package let path: String
    /// The file's name, for the dashboard's header.
    package var label: String { (path as NSString).lastPathComponent }
    /// The stream its plain lines are attributed to.
    package let stream: OutputLine.Stream
    private let heartbeat: Double
    private let thread: FollowerThread

    /// - Parameters:
    ///   - path: the capture file (it need not exist yet).
    ///   - stream: the stream plain lines are attributed to.
    ///   - heartbeat: seconds between re-checks when nothing was signalled.
    package init(path: String, stream: OutputLine.Stream = .stdout, heartbeat: Double = 1) throws {
        self.path = path
        self.stream = stream
        self.heartbeat = heartbeat
        self.thread = try FollowerThread(name: "synapse.console-tailer")
    }
    /// Every event of a capture file, read to its end (a partial last line included). `-` is standard
    /// input; pipes and process substitutions work too.
    package static func events(ofFile path: String, stream: OutputLine.Stream = .stdout) throws -> [Event] {
        let fd = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw RunError(type: "OSError", message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { if fd != STDIN_FILENO { close(fd) } }
        var parser = ConsoleLineParser()
        var events: [Event] = []
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw RunError(type: "OSError", message: "cannot read \(path): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            events += parser.feed(buffer[0..<n], stream: stream)
        }
        return events + parser.finish()
    }

    /// Starts following into `sink` on a background thread. Calling it twice does nothing.
    package func start(into sink: EventQueue) {
        thread.start { [self] in follow(into: sink) }
    }

    /// Stops following and waits until the thread has exited (nothing is pushed after this returns).
    package func stop() {
        thread.stop()
    }

    /// A file can only be read: nothing to cancel.
    package func cancelHook(reportingTo sink: EventQueue) -> (@Sendable () -> Void)? { nil }

    private var isStopping: Bool { thread.isStopping }

    private func follow(into queue: EventQueue) {
        let watch = FolderWatch(folder: (path as NSString).deletingLastPathComponent)
        var parser = ConsoleLineParser()
        var cursor = EventLogCursor(path: path, chunkSize: 256 * 1024, delivery: .bytes)
        var quiet = false
        var ended = false
        while !isStopping {
            watch.ensureWatching()
            var readSome = false
            cursor.readAvailable(while: { !isStopping }) { output in
                switch output {
                case .bytes(let chunk):
                    readSome = true
                    let events = parser.feed(chunk, stream: stream)
                    if !events.isEmpty { queue.push(contentsOf: events) }
                case .notice(let notice):
                    // Truncated or replaced: what was parsed is void, and so is a half-read line.
                    if case .restarted = notice { parser = ConsoleLineParser() }
                    queue.post(notice)
                case .events, .lines, .ownedLines, .longLine, .oversizedLine:
                    break  // not in bytes mode
                }
            }
            if cursor.streamEnded && !ended {
                // A pipe's writer closed it: nothing more comes, so a last line without newline counts.
                ended = true
                let held = parser.finish()
                if !held.isEmpty { queue.push(contentsOf: held) }
            } else if !readSome && quiet {
                // The CLI prints its (wrapped) error last and exits: once the file stayed quiet for a wake,
                // the error is whole.
                let held = parser.flush()
                if !held.isEmpty { queue.push(contentsOf: held) }
            }
            quiet = !readSome
            if let fd = cursor.streamDescriptor, !cursor.streamEnded {
                thread.sleep(readable: fd, heartbeat: heartbeat)
            } else {
                thread.sleep(watching: watch, heartbeat: heartbeat)
            }
        }
    }
}
