import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a captured console output file (an unmodified synapse-sdk run's `stdout`, `2>&1` or not) through
/// ``ConsoleLineParser``: all of it at once (``events(ofFile:)``, `synapse-tui show --console FILE`), or
/// following it as it grows on a thread of its own (`synapse-tui attach --console FILE`).
///
/// Following sleeps in `poll()` on an inotify watch of the file's folder (with a heartbeat re-check), waits
/// for a file that does not exist yet, and starts over (posting ``SourceNotice/restarted(reason:)``) when
/// the file is truncated or replaced. A partial last line is parsed only once its newline arrives.
package final class ConsoleFileTailer: @unchecked Sendable {
    /// The followed file.
    package let path: String
    /// The stream its plain lines are attributed to.
    package let stream: OutputLine.Stream
    private let queue: EventQueue
    private let heartbeat: Double
    private let thread: FollowerThread

    /// - Parameters:
    ///   - path: the capture file (it need not exist yet).
    ///   - queue: where events and notices go.
    ///   - stream: the stream plain lines are attributed to.
    ///   - heartbeat: seconds between re-checks when nothing was signalled.
    package init(path: String, queue: EventQueue, stream: OutputLine.Stream = .stdout, heartbeat: Double = 1) throws {
        self.path = path
        self.queue = queue
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

    /// Starts following on a background thread. Calling it twice does nothing.
    package func start() {
        thread.start { [self] in follow() }
    }

    /// Stops following and waits until the thread has exited (nothing is pushed after this returns).
    package func stop() {
        thread.stop()
    }

    private var isStopping: Bool { thread.isStopping }

    private func follow() {
        let watch = FolderWatch(folder: (path as NSString).deletingLastPathComponent)
        var parser = ConsoleLineParser()
        var fd: Int32 = -1
        var inode: ino_t = 0
        var offset = 0
        var saidWaiting = false
        var quiet = false
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        defer { if fd >= 0 { close(fd) } }
        while !isStopping {
            watch.ensureWatching()
            var st = stat()
            if stat(path, &st) != 0 {
                if !saidWaiting { queue.post(.waiting("waiting for \(path)")); saidWaiting = true }
            } else {
                if fd >= 0 && (st.st_ino != inode || st.st_size < offset) {
                    close(fd)
                    fd = -1
                    parser = ConsoleLineParser()
                    queue.post(.restarted(reason: st.st_ino != inode ? "\(path) was replaced" : "\(path) was truncated"))
                }
                if fd < 0 {
                    fd = open(path, O_RDONLY | O_CLOEXEC)
                    if fd >= 0 {
                        inode = st.st_ino
                        offset = 0
                        saidWaiting = false
                        queue.post(.following(path))
                    }
                }
                var readSome = false
                while fd >= 0 && !isStopping {
                    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { break }
                    offset += n
                    readSome = true
                    let events = parser.feed(buffer[0..<n], stream: stream)
                    if !events.isEmpty { queue.push(contentsOf: events) }
                }
                // The CLI prints its (wrapped) error last and exits: once the file stayed quiet for a wake, the
                // error is whole.
                if !readSome && quiet {
                    let held = parser.flush()
                    if !held.isEmpty { queue.push(contentsOf: held) }
                }
                quiet = !readSome
            }
            thread.sleep(watching: watch, heartbeat: heartbeat)
        }
    }
}
