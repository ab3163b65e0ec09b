import Foundation

/// Writes events as the job's JSON-lines event log (`docs/event-log.md`).
///
/// The file is opened `O_APPEND` with mode 0600. Every `write(2)` holds whole lines only, so concurrent
/// writers never interleave and a crash leaves at most one partial last line.
///
/// **Cost on the caller versus latency for a follower.** Encoding a record (a few hundred nanoseconds)
/// and a system call per record (a microsecond or more) would dominate a cheap `ctx.setMetrics`. So
/// `record` only appends the event to a bounded in-memory batch (a lock and an array append); encoding
/// (straight into one reusable raw byte buffer) and writing happen in ``flush()``, which runs
/// - every ``flushInterval`` seconds on a background queue (50 ms by default, so a follower such as
///   `synapse-tui attach` sees a record at most ~50 ms late),
/// - on that background queue as soon as 512 records wait, so a fast producer's records are encoded on
///   another core while it goes on, and the batch never grows to the caller's limit below,
/// - at once for `run_status`, `action_status` and `end` records (what a follower most needs promptly),
/// - on the caller when ``maxPending`` records are waiting (back-pressure: memory stays bounded when the
///   disk cannot keep up or the background queue is not scheduled),
/// - and when the runner flushes at the end of a run, and on ``close()``.
///
/// Pass `flushInterval: 0` to write every record on the caller, at once.
public final class JSONLinesLogger: PluginLogger, @unchecked Sendable {
    /// Where the log is.
    public let path: String
    /// The longest a record waits in memory, in seconds (0 = written by `record` itself).
    public let flushInterval: Double
    /// The most records kept before the caller writes them itself.
    public let maxPending: Int

    /// Bytes per `write(2)`: a large batch goes out in chunks, each of whole lines.
    static let chunkBytes = 64 << 10
    /// Records waiting before the background queue is asked to write them without waiting for the timer:
    /// small enough that the batch stays far below `maxPending` (so the caller never writes), large
    /// enough that asking (a dispatch, sometimes a futex wake) is rare per record.
    static let earlyRecords = 512

    // Two locks: `queue`'s is held only for an append or a swap, so callers never wait for the disk;
    // `writeLock` serialises draining, which keeps batches in the order they were taken.
    private struct Queue {
        var pending: [Event] = []
        /// One early flush on its way at a time.
        var earlyFlushQueued = false
        var closed = false
    }
    private let queue = LockedState(Queue())

    private let writeLock = NSLock()
    private var fd: Int32  // guarded by writeLock
    private var draining: [Event] = []  // guarded by writeLock; swapped with `pending`
    private var lines = ByteBuffer(capacity: 128 << 10)  // guarded by writeLock
    private var failures = 0  // guarded by writeLock
    private var lastError: Int32 = 0  // guarded by writeLock
    private var timer: DispatchSourceTimer?  // guarded by writeLock
    /// Where the timer's and the early flushes run: off the action's thread, one at a time.
    private let background = DispatchQueue(label: "synapse.jsonl-writer", qos: .utility)

    /// Opens (creating with mode 0600) or appends to the log at `path`.
    ///
    /// - Parameters:
    ///   - flushInterval: the longest a record waits in memory, in seconds; 0 writes every record at once.
    ///   - maxPending: the most records waiting in memory before the caller writes them itself. Normally
    ///     the background queue takes them long before (at 512 records); the limit only bounds memory
    ///     when it cannot keep up.
    public init(path: String, flushInterval: Double = 0.05, maxPending: Int = 16384) throws(JobStoreError) {
        self.path = path
        self.flushInterval = flushInterval
        self.maxPending = max(1, maxPending)
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw JobStoreError.io(path: path, errno: errno) }
        // The umask cannot widen 0600, but an existing file may be wider: narrow it.
        _ = fchmod(fd, 0o600)
        self.fd = fd
        if flushInterval > 0 { startTimer() }
    }

    deinit {
        close()
    }

    public func record(_ event: Event) {
        let (accepted, urgent, early) = queue.withLock { queue -> (Bool, Bool, Bool) in
            guard !queue.closed else { return (false, false, false) }
            queue.pending.append(event)
            let urgent = flushInterval <= 0 || queue.pending.count >= maxPending || Self.isMilestone(event)
            let early = !urgent && !queue.earlyFlushQueued && queue.pending.count >= Self.earlyRecords
            if early { queue.earlyFlushQueued = true }
            return (true, urgent, early)
        }
        guard accepted else { return }
        if urgent {
            flush()
        } else if early {
            background.async { [weak self] in self?.flush() }
        }
    }

    /// Writes every waiting record.
    public func flush() {
        writeLock.lock()
        defer { writeLock.unlock() }
        queue.withLock { queue in
            swap(&queue.pending, &draining)
            queue.earlyFlushQueued = false
        }
        guard !draining.isEmpty else { return }
        // One access to `lines` and `draining` for the whole batch: each access to a class's stored
        // property is checked for exclusivity at run time, which cost more than a short record's bytes.
        // The events are borrowed from the array, not copied out of it one by one.
        let fd = self.fd
        let failure = draining.withUnsafeBufferPointer { events in
            Self.encode(events, into: &lines, writingTo: fd)
        }
        if let failure {
            failures += failure.count
            lastError = failure.errno
        }
        // Here, on the flushing thread, is where the batch's events are released.
        draining.removeAll(keepingCapacity: true)
    }

    /// Encodes `events` as lines into `lines`, writing them to `fd` whenever a chunk's worth is ready and
    /// at the end. Returns how many writes failed and the last `errno`, if any did.
    private static func encode(_ events: UnsafeBufferPointer<Event>, into lines: inout ByteBuffer,
                               writingTo fd: Int32) -> (count: Int, errno: Int32)? {
        var failure: (count: Int, errno: Int32)?
        for i in events.indices {
            EventCodec.encode(events[i], into: &lines)
            lines.writeByte(0x0A)
            if lines.count >= chunkBytes, let e = writeOut(&lines, to: fd) {
                failure = ((failure?.count ?? 0) + 1, e)
            }
        }
        if let e = writeOut(&lines, to: fd) { failure = ((failure?.count ?? 0) + 1, e) }
        return failure
    }

    /// Writes what is waiting and closes the file; later records are dropped.
    public func close() {
        let wasClosed = queue.withLock { queue in
            defer { queue.closed = true }
            return queue.closed
        }
        guard !wasClosed else { return }
        flush()
        writeLock.lock()
        timer?.cancel()
        timer = nil
        if fd >= 0 { _ = Foundation.close(fd) }
        fd = -1
        writeLock.unlock()
    }

    /// How many writes failed (disk full, say), and the last `errno`. Records of a failed write are lost.
    public var writeFailures: (count: Int, lastErrno: Int32) {
        writeLock.lock()
        defer { writeLock.unlock() }
        return (failures, lastError)
    }

    /// Status changes are what a follower most needs promptly.
    private static func isMilestone(_ event: Event) -> Bool {
        switch event.payload {
        case .runStatus, .actionStatus, .end: return true
        default: return false
        }
    }

    /// Writes the encoded lines with as few `write(2)` calls as the kernel allows, then empties them.
    /// A failed write drops its lines and returns its `errno`.
    private static func writeOut(_ lines: inout ByteBuffer, to fd: Int32) -> Int32? {
        defer { lines.removeAll() }
        guard fd >= 0, !lines.isEmpty else { return nil }
        let all = lines.bytes
        var done = 0
        while done < all.count {
            let n = Foundation.write(fd, all.baseAddress! + done, all.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            done += n
        }
        return nil
    }

    private func startTimer() {
        let timer = DispatchSource.makeTimerSource(queue: background)
        let interval = DispatchTimeInterval.nanoseconds(Int(flushInterval * 1e9))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(5))
        timer.setEventHandler { [weak self] in self?.flushIfPending() }
        self.timer = timer
        timer.resume()
    }

    private func flushIfPending() {
        if queue.withLock({ !$0.pending.isEmpty }) { flush() }
    }
}
