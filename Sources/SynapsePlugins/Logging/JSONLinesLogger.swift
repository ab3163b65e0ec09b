import Foundation

/// Writes events as the job's JSON-lines event log (`docs/event-log.md`).
///
/// The file is opened `O_APPEND` with mode 0600. Records are encoded into one reusable buffer (no
/// allocation per record beyond the encoder's own), and the buffer goes to the file with a single
/// `write(2)` that always holds whole lines — so concurrent writers never interleave and a crash leaves at
/// most one partial last line.
///
/// **Latency versus cost.** One `write` per record costs a system call (a microsecond or more), which
/// dominates a cheap `setMetrics`. So by default records are batched: the buffer is written when it
/// reaches ``bufferLimit`` bytes, when the oldest buffered record is ``flushInterval`` old (checked on
/// every record and by a timer, so an idle run is on disk within about 50 ms), at every `run_status`
/// and `end` record, and on ``flush()``. A follower (`synapse-tui attach`) therefore sees a record at
/// most ~50 ms late. Pass `flushInterval: 0` to write every record at once.
public final class JSONLinesLogger: PluginLogger, @unchecked Sendable {
    /// Where the log is.
    public let path: String
    /// The longest a record may wait in memory, in seconds (0 = write each record at once).
    public let flushInterval: Double
    /// The most bytes kept before writing.
    public let bufferLimit: Int

    private let lock = NSLock()
    // Guarded by lock.
    private var fd: Int32
    private var writer = JSONWriter(capacity: 64 << 10)
    private var oldestPending: UInt64 = 0
    private var timer: DispatchSourceTimer?
    private var failures = 0
    private var lastError: Int32 = 0

    /// Opens (creating with mode 0600) or appends to the log at `path`.
    public init(path: String, flushInterval: Double = 0.05, bufferLimit: Int = 64 << 10) throws(JobStoreError) {
        self.path = path
        self.flushInterval = flushInterval
        self.bufferLimit = bufferLimit
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
        lock.lock()
        defer { lock.unlock() }
        guard fd >= 0 else { return }
        if writer.bytes.isEmpty { oldestPending = MonotonicClock.nanoseconds() }
        EventCodec.encode(event, into: &writer)
        writer.writeByte(0x0A)
        if flushInterval <= 0 || writer.bytes.count >= bufferLimit || Self.isMilestone(event)
            || MonotonicClock.nanoseconds() &- oldestPending >= UInt64(flushInterval * 1e9) {
            writeOutLocked()
        }
    }

    public func flush() {
        lock.lock()
        writeOutLocked()
        lock.unlock()
    }

    /// Writes what is buffered and closes the file; later records are dropped.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        timer?.cancel()
        timer = nil
        guard fd >= 0 else { return }
        writeOutLocked()
        _ = Foundation.close(fd)
        fd = -1
    }

    /// How many writes failed (disk full, say), and the last `errno`. Records of a failed write are lost.
    public var writeFailures: (count: Int, lastErrno: Int32) {
        lock.lock()
        defer { lock.unlock() }
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
        writer.reset()
    }

    private func startTimer() {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        let interval = DispatchTimeInterval.nanoseconds(Int(flushInterval * 1e9))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(5))
        timer.setEventHandler { [weak self] in self?.flush() }
        self.timer = timer
        timer.resume()
    }
}
