import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Follows a job's event log on a thread of its own and pushes what it reads into an ``EventQueue``:
/// what `synapse-tui attach` shows.
///
/// It catches up on the history in big chunks, then sleeps in `poll()` on an inotify descriptor watching
/// the log's folder (so it also sees the file appear, be replaced or be deleted) and reads again when
/// something changed. Idle costs nothing but a heartbeat re-check every few seconds, in case a change
/// slipped past the watch (a network file system, a folder that did not exist yet). File situations —
/// missing, growing, partial last line, truncated, replaced — are handled by ``EventLogCursor``.
package final class EventLogTailer: EventSource, @unchecked Sendable {
    /// The followed path.
    package let path: String
    /// The path's last component, or the job id when ``init(path:label:heartbeat:follow:)`` is given one.
    package let label: String
    private let heartbeat: Double
    private let keepsFollowing: Bool
    private let thread: FollowerThread
    /// How much is read at a time and may wait downstream (see ``Reading``).
    private let reading: Reading

    /// How the tailer reads: the bytes per read (each handed to the readers as one block), the lines
    /// allowed to wait in the queue before reading pauses, the blocks read ahead and the reader threads.
    /// The benchmark compares settings in one process; everything else uses ``standard``.
    package struct Reading: Sendable {
        /// Bytes per read, each handed to the readers as one block.
        package var chunkBytes: Int
        /// Lines allowed to wait in the queue before reading pauses.
        package var maxBacklog: Int
        /// Bytes of log text (``LogBlock/byteCount``) allowed to wait in the queue before reading pauses.
        package var maxBacklogBytes: Int
        /// Blocks read ahead of the consumer.
        package var maxInFlight: Int
        /// Reader threads.
        package var workers: Int

        package init(chunkBytes: Int, maxBacklog: Int, maxBacklogBytes: Int = 4 << 20, maxInFlight: Int = 4,
                    workers: Int = LogBlockPipeline.defaultWorkers) {
            self.chunkBytes = chunkBytes
            self.maxBacklog = maxBacklog
            self.maxBacklogBytes = maxBacklogBytes
            self.maxInFlight = maxInFlight
            self.workers = workers
        }

        /// Blocks of 256 KiB: big enough that handing one over costs nothing next to reading it, small
        /// enough that the blocks in flight stay a few MiB. A backlog of 8,000 lines: a few blocks, enough
        /// to keep the consumer busy while the readers fill the next ones (it reduces a block faster than
        /// one is read), few enough that a long history never sits in memory at once. Four blocks ahead
        /// and a reader more than the cores. At most 4 MiB of log text waiting, which only holds back a log
        /// of long messages. Each setting was the fastest tried, with the least memory (docs/benchmarks.md, "The figures behind the code").
        package static let standard = Reading(chunkBytes: 256 << 10, maxBacklog: 8_000)
    }

    /// - Parameters:
    ///   - path: the event log (it need not exist yet).
    ///   - label: how the dashboard names it (default: the file name).
    ///   - heartbeat: seconds between re-checks when nothing was signalled.
    ///   - follow: `false` reads the log once to its end (a last line without newline included), posts
    ///     ``SourceNotice/finished`` and stops: what `show` does.
    package convenience init(path: String, label: String? = nil, heartbeat: Double = 2, follow: Bool = true) throws {
        try self.init(path: path, label: label, heartbeat: heartbeat, follow: follow, reading: .standard)
    }

    /// ``init(path:label:heartbeat:follow:)`` with other reading settings (for the benchmark).
    package init(path: String, label: String? = nil, heartbeat: Double = 2, follow: Bool = true,
                 reading: Reading) throws {
        self.path = path
        self.label = label ?? (path as NSString).lastPathComponent
        self.heartbeat = heartbeat
        self.keepsFollowing = follow
        self.reading = reading
        self.thread = try FollowerThread(name: "synapse.tailer")
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
        // Lines are read on one thread more than the cores and delivered in order; this thread only reads
        // the file.
        let pipeline = LogBlockPipeline(workers: reading.workers, maxInFlight: reading.maxInFlight) { [self] item in
            switch item {
            case .block(let block):
                // Catching up must not load the whole log into memory: wait while the screen lags.
                while !queue.waitForRoom(below: reading.maxBacklog, bytes: reading.maxBacklogBytes, timeout: 0.1) {
                    if isStopping { return }
                }
                queue.post(.lines(block))
            case .notice(let notice):
                queue.post(notice)
            }
        }
        defer { pipeline.close() }
        var cursor = EventLogCursor(path: path, chunkSize: reading.chunkBytes, delivery: .lines)
        cursor.bufferSource = { pipeline.buffer(count: $0) }
        let handle: (EventLogCursor.Output) -> Void = { output in
            switch output {
            case .lines(let lines): pipeline.submit(lines: lines)
            case .ownedLines(let bytes, let range): pipeline.submit(bytes, lines: range)
            case .longLine(let long): pipeline.submit(long)
            case .oversizedLine: pipeline.submitOversizedLine()
            case .notice(let notice): pipeline.submit(notice)
            case .events(let events): queue.push(contentsOf: events)  // not in lines mode
            case .bytes: break  // not in lines mode
            }
        }
        guard keepsFollowing else {
            cursor.readAvailable(while: { !isStopping }, handle)
            if cursor.isStream { followStream(&cursor, pipeline, handle) }
            cursor.finish(handle)  // the writer may be gone: a last line without newline still counts
            pipeline.flush()
            queue.post(.finished)
            return
        }
        let watch = FolderWatch(folder: (path as NSString).deletingLastPathComponent)
        while !isStopping {
            watch.ensureWatching()
            cursor.readAvailable(while: { !isStopping }, handle)
            if cursor.isStream {
                followStream(&cursor, pipeline, handle)
                guard !isStopping else { return }
                cursor.finish(handle)
                if !cursor.streamStoppedEarly { pipeline.submit(.problem("\((path as NSString).lastPathComponent) ended: its writer closed it")) }
                pipeline.flush()
                // Nothing more will come; the dashboard stays until it is closed.
                while !isStopping { thread.sleep(readable: -1, heartbeat: heartbeat) }
                return
            }
            pipeline.flush()
            thread.sleep(watching: watch, heartbeat: heartbeat)
        }
    }

    /// Reads a pipe or a device as it comes, to its end, waking on the descriptor itself.
    private func followStream(_ cursor: inout EventLogCursor, _ pipeline: LogBlockPipeline,
                              _ handle: (EventLogCursor.Output) -> Void) {
        while !isStopping && !cursor.streamEnded {
            pipeline.flush()
            if let fd = cursor.streamDescriptor { thread.sleep(readable: fd, heartbeat: heartbeat) }
            cursor.readAvailable(while: { !isStopping }, handle)
        }
    }
}

/// An inotify watch on one folder (Linux); elsewhere a stand-in that never fires, so the heartbeat
/// re-check alone drives the tailer.
final class FolderWatch {
    let folder: String
    private(set) var fd: Int32 = -1
    private var watchDescriptor: Int32 = -1

    init(folder: String) {
        self.folder = folder.isEmpty ? "." : folder
        #if os(Linux)
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        #endif
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    var isWatching: Bool { watchDescriptor >= 0 }

    /// Adds the watch if the folder exists and is not watched yet (it may appear after we start).
    func ensureWatching() {
        #if os(Linux)
        guard fd >= 0, watchDescriptor < 0 else { return }
        let mask = UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB
            | IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF)
        watchDescriptor = inotify_add_watch(fd, folder, mask)
        #endif
    }

    /// Reads pending notifications; notices when the watch died (folder deleted or moved) so it is re-added.
    func consume() {
        #if os(Linux)
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { return }
            var i = 0
            // struct inotify_event { int wd; uint32_t mask, cookie, len; char name[len]; }
            while i + 16 <= n {
                let mask = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self) }
                let length = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: i + 12, as: UInt32.self) }
                if mask & UInt32(IN_IGNORED) != 0 { watchDescriptor = -1 }
                i += 16 + Int(length)
            }
        }
        #endif
    }
}
