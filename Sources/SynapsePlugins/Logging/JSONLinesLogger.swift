import Foundation

/// Writes events as the job's JSON-lines event log (`docs/event-log.md`).
///
/// The file is opened `O_APPEND` with mode 0600. Every `write(2)` holds whole lines only, so concurrent
/// writers never interleave and a crash leaves at most one partial last line.
///
/// **Cost on the caller versus latency for a follower.** Encoding a record (~1 µs) and a system call per
/// record (a microsecond or more) would dominate a cheap `ctx.setMetrics`. So `record` only appends the
/// event to a bounded in-memory batch (a lock and an array append); encoding and writing happen in
/// ``flush()``, which runs
/// - every ``flushInterval`` seconds on a background timer (50 ms by default, so a follower such as
///   `synapse-tui attach` sees a record at most ~50 ms late, and the encoding runs on another core),
/// - at once for `run_status`, `action_status` and `end` records (what a follower most needs promptly),
/// - on the caller when ``maxPending`` records are waiting (back-pressure: memory stays bounded when an
///   action logs faster than the file can take it),
/// - and when the runner flushes at the end of a run, and on ``close()``.
///
/// Pass `flushInterval: 0` to encode and write every record on the caller, at once.
public final class JSONLinesLogger: PluginLogger, @unchecked Sendable {
    /// Where the log is.
    public let path: String
    /// The longest a record waits in memory, in seconds (0 = written by `record` itself).
    public let flushInterval: Double
    /// The most records kept before the caller writes them itself.
    public let maxPending: Int

    /// Bytes per `write(2)`: a large batch goes out in chunks, each of whole lines.
    private static let chunkBytes = 64 << 10

    // Two locks: `queueLock` is held only for an append or a swap, so callers never wait for the disk;
    // `writeLock` serialises draining, which keeps batches in the order they were taken.
    private let queueLock = NSLock()
    private var pending: [Event] = []  // guarded by queueLock
    private var closed = false  // guarded by queueLock

    private let writeLock = NSLock()
    private var fd: Int32  // guarded by writeLock
    private var draining: [Event] = []  // guarded by writeLock; swapped with `pending` to avoid allocating
    private var writer = JSONWriter(capacity: 64 << 10)  // guarded by writeLock
    private var failures = 0  // guarded by writeLock
    private var lastError: Int32 = 0  // guarded by writeLock
    private var timer: DispatchSourceTimer?  // guarded by writeLock

    /// Opens (creating with mode 0600) or appends to the log at `path`.
    public init(path: String, flushInterval: Double = 0.05, maxPending: Int = 4096) throws(JobStoreError) {
        self.path = path
        self.flushInterval = flushInterval
        self.maxPending = max(1, maxPending)
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw JobStoreError.io(path: path, errno: errno) }
        // The umask cannot widen 0600, but an existing file may be wider: narrow it.
        _ = fchmod(fd, 0o600)
        self.fd = fd
        pending.reserveCapacity(256)
        draining.reserveCapacity(256)
        if flushInterval > 0 { startTimer() }
    }

    deinit {
        close()
    }

    public func record(_ event: Event) {
        queueLock.lock()
        guard !closed else { queueLock.unlock(); return }
        pending.append(event)
        let urgent = flushInterval <= 0 || pending.count >= maxPending || Self.isMilestone(event)
        queueLock.unlock()
        if urgent { flush() }
    }

    /// Encodes and writes every waiting record.
    public func flush() {
        writeLock.lock()
        defer { writeLock.unlock() }
        queueLock.lock()
        swap(&pending, &draining)
        queueLock.unlock()
        guard !draining.isEmpty else { return }
        for event in draining {
            EventCodec.encode(event, into: &writer)
            writer.writeByte(0x0A)
            if writer.bytes.count >= Self.chunkBytes { writeOutLocked() }
        }
        writeOutLocked()
        draining.removeAll(keepingCapacity: true)
    }

    /// Writes what is waiting and closes the file; later records are dropped.
    public func close() {
        queueLock.lock()
        let wasClosed = closed
        closed = true
        queueLock.unlock()
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

    private func writeOutLocked() {
        defer { writer.reset() }
        guard fd >= 0, !writer.bytes.isEmpty else { return }
        writer.bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failures += 1
                    lastError = errno
                    return
                }
                offset += n
            }
        }
    }

    private func startTimer() {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        let interval = DispatchTimeInterval.nanoseconds(Int(flushInterval * 1e9))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(5))
        timer.setEventHandler { [weak self] in self?.flushIfPending() }
        self.timer = timer
        timer.resume()
    }

    private func flushIfPending() {
        queueLock.lock()
        let waiting = !pending.isEmpty
        queueLock.unlock()
        if waiting { flush() }
    }
}
