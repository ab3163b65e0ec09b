import Foundation

/// The machinery of ``JSONLinesLogger``: the batch, the encoder, the file and the timer.
///
/// A separate object so that the background queue and the timer can hold it strongly: a `[weak self]`
/// capture gives an object a side table for good, and every retain and release of it then takes the slow
/// path, on the logger that every `ctx` call retains (docs/benchmarks.md, "The figures behind the code"). The logger's
/// `deinit` closes this writer, which cancels the timer and so breaks the cycle through its handler.
final class JSONLinesWriter: @unchecked Sendable {
    let path: String
    let flushInterval: Double
    let maxPending: Int

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
    // A full disk must not lose records silently (issue #13). Lines a write could not take wait here, in
    // order, and are written first when the disk takes writes again; past `maxHeldBytes` the oldest waiting
    // lines are dropped and counted, and a `log_gap` record says how many as soon as one can be written.
    private var held: [UInt8] = []  // guarded by writeLock
    private var droppedSinceGap = 0  // guarded by writeLock
    private var droppedTotal = 0  // guarded by writeLock
    private var failing = false  // guarded by writeLock
    /// While writes fail, the waiting lines are tried again at most this often (monotonic seconds), not on
    /// every record: retrying megabytes per record would stall the run.
    private var nextRetry = 0.0  // guarded by writeLock
    static let retryInterval = 0.2
    /// Told once when writes start failing, with why (the run shows it at once).
    var onFailure: (@Sendable (String) -> Void)?  // set before the first record
    /// Told when writes that had failed go through again, with the `log_gap` record written for what was
    /// dropped meanwhile (nil when nothing was).
    var onRecovery: (@Sendable (Event?) -> Void)?  // set before the first record
    static let maxHeldBytes = 4 << 20
    private var timer: DispatchSourceTimer?  // guarded by writeLock
    /// Where the timer's and the early flushes run: off the action's thread, one at a time.
    private let background = DispatchQueue(label: "synapse.jsonl-writer", qos: .utility)

    init(path: String, flushInterval: Double, maxPending: Int) throws(JobStoreError) {
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

    func record(_ event: consuming Event) {
        let milestone = Self.isMilestone(event)
        let (accepted, urgent, early) = queue.withLock(passing: event) { queue, event -> (Bool, Bool, Bool) in
            guard !queue.closed else { return (false, false, false) }
            queue.pending.append(event)
            let urgent = flushInterval <= 0 || queue.pending.count >= maxPending || milestone
            let early = !urgent && !queue.earlyFlushQueued && queue.pending.count >= Self.earlyRecords
            if early { queue.earlyFlushQueued = true }
            return (true, urgent, early)
        }
        guard accepted else { return }
        if urgent {
            flush()
        } else if early {
            background.async { [self] in flush() }
        }
    }

    /// Writes every waiting record.
    func flush() {
        writeLock.lock()
        defer { writeLock.unlock() }
        queue.withLock { queue in
            swap(&queue.pending, &draining)
            queue.earlyFlushQueued = false
        }
        guard !draining.isEmpty else {
            // Nothing new, but lines may be waiting for the disk (the timer and close come here).
            if !held.isEmpty || droppedSinceGap > 0, MonotonicClock.now() >= nextRetry || queue.withLock({ $0.closed }) {
                retryHeld(fd)
            }
            return
        }
        // One access to `lines` and `draining` for the whole batch: each access to a class's stored
        // property is checked for exclusivity at run time, which cost more than a short record's bytes.
        let fd = self.fd
        if !held.isEmpty || droppedSinceGap > 0 {
            // Earlier lines first, then the gap record, so the log stays in order.
            if MonotonicClock.now() >= nextRetry || queue.withLock({ $0.closed }) { retryHeld(fd) }
            if !held.isEmpty || droppedSinceGap > 0 {
                // The disk still refuses: this batch waits behind them.
                draining.withUnsafeMutableBufferPointer { events in
                    Self.encode(events, into: &lines, writingTo: -1)
                }
                hold(Array(lines.bytes))
                lines.removeAll()
                draining.removeAll(keepingCapacity: true)
                return
            }
        }
        var unwritten: [UInt8] = []
        let failure = draining.withUnsafeMutableBufferPointer { events in
            Self.encode(events, into: &lines, writingTo: fd, unwritten: &unwritten)
        }
        if let failure {
            failures += failure.count
            lastError = failure.errno
            hold(unwritten)
            noteFailure(failure.errno)
        }
        // The events were released one by one as they were encoded (here, on the flushing thread);
        // what is left are placeholders without contents.
        draining.removeAll(keepingCapacity: true)
    }

    /// Encodes `events` as lines into `lines`, writing them to `fd` whenever a chunk's worth is ready and
    /// at the end. Returns how many writes failed and the last `errno`, if any did.
    ///
    /// Each event is moved out of the batch, encoded and released, and an empty placeholder takes its
    /// slot (an `end` event, nothing to release): an event borrowed in place would be copied first (the compiler cannot tell that writing
    /// the lines leaves the batch's memory alone), a retain and a release of everything in it.
    private static func encode(_ events: UnsafeMutableBufferPointer<Event>, into lines: inout ByteBuffer,
                               writingTo fd: Int32) {
        var ignored: [UInt8] = []
        _ = encode(events, into: &lines, writingTo: fd, unwritten: &ignored)
    }

    /// ``encode(_:into:writingTo:)`` that keeps the lines of failed writes in `unwritten`, in order; once a
    /// write failed, the rest go there too (the log keeps its order). `fd` -1 encodes without writing.
    private static func encode(_ events: UnsafeMutableBufferPointer<Event>, into lines: inout ByteBuffer,
                               writingTo fd: Int32, unwritten: inout [UInt8]) -> (count: Int, errno: Int32)? {
        var failure: (count: Int, errno: Int32)?
        guard let base = events.baseAddress else { return nil }
        for i in 0..<events.count {
            let event = (base + i).move()
            (base + i).initialize(to: Event(timestamp: 0, payload: .end))
            let start = lines.count
            EventCodec.encode(event, into: &lines)
            if lines.count - start > EventCodec.maxLineBytes {
                // Readers skip a line over the limit: write the record with its big values cut, marked.
                let size = lines.count - start
                lines.removeLast(from: start)
                EventCodec.encode(EventCodec.capped(event, lineBytes: size), into: &lines)
            }
            lines.writeByte(0x0A)
            if lines.count >= chunkBytes, fd >= 0 {
                if failure != nil {
                    unwritten.append(contentsOf: lines.bytes)
                    lines.removeAll()
                } else if let e = writeOut(&lines, to: fd, unwritten: &unwritten) {
                    failure = (1, e)
                }
            }
        }
        if fd >= 0 {
            if failure != nil {
                unwritten.append(contentsOf: lines.bytes)
                lines.removeAll()
            } else if let e = writeOut(&lines, to: fd, unwritten: &unwritten) {
                failure = (1, e)
            }
        }
        return failure
    }

    /// Writes what is waiting and closes the file; later records are dropped.
    func close() {
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

    /// How many writes failed (disk full, say), and the last `errno`. Records of a failed write wait and
    /// are written when the disk allows (see ``recordsNotWritten``).
    var writeFailures: (count: Int, lastErrno: Int32) {
        writeLock.lock()
        defer { writeLock.unlock() }
        return (failures, lastError)
    }

    /// Records that are not in the log: dropped past the bound, or still waiting for the disk (after
    /// ``close()``, for good). Non-zero means the log is incomplete.
    var recordsNotWritten: Int {
        writeLock.lock()
        defer { writeLock.unlock() }
        return droppedTotal + held.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
    }

    /// Keeps lines a write could not take, dropping (and counting) the oldest past the bound.
    private func hold(_ bytes: [UInt8]) {
        held.append(contentsOf: bytes)
        guard held.count > Self.maxHeldBytes else { return }
        // Drop whole lines from the front down to three quarters of the bound (so the copy is rare).
        var cut = max(1, held.count - Self.maxHeldBytes * 3 / 4)
        while cut < held.count, held[cut - 1] != 0x0A { cut += 1 }
        let dropped = held[..<cut].reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
        held.removeFirst(cut)
        droppedSinceGap += dropped
        droppedTotal += dropped
    }

    /// Writes the waiting lines, then the `log_gap` record for what was dropped, if the disk takes them.
    private func retryHeld(_ fd: Int32) {
        guard fd >= 0 else { return }
        if !held.isEmpty {
            var buffer = ByteBuffer(capacity: held.count)
            held.withUnsafeBytes { buffer.writeBytes($0) }
            var unwritten: [UInt8] = []
            if let e = Self.writeOut(&buffer, to: fd, unwritten: &unwritten) {
                failures += 1
                lastError = e
                nextRetry = MonotonicClock.now() + Self.retryInterval
                return
            }
            held.removeAll()
        }
        var gapWritten: Event?
        if droppedSinceGap > 0 {
            let gap = Event(level: .danger, payload: .custom(name: "log_gap", data: [
                "lost": .int(droppedSinceGap),
                "reason": .string(String(cString: strerror(lastError))),
            ]))
            var buffer = ByteBuffer(capacity: 256)
            EventCodec.encode(gap, into: &buffer)
            buffer.writeByte(0x0A)
            var unwritten: [UInt8] = []
            if Self.writeOut(&buffer, to: fd, unwritten: &unwritten) == nil {
                droppedSinceGap = 0
                gapWritten = gap
            }
        }
        if failing && held.isEmpty && droppedSinceGap == 0 {
            failing = false
            onRecovery?(gapWritten)
        }
    }

    private func noteFailure(_ code: Int32) {
        nextRetry = MonotonicClock.now() + Self.retryInterval
        guard !failing else { return }
        failing = true
        let reason = String(cString: strerror(code))
        onFailure?("cannot write the job log: \(reason) (\(path)); records wait in memory (up to \(Self.maxHeldBytes >> 20) MiB) and are written when it can take them")
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
    /// A write that fails part-way leaves no partial line: the file is cut back to where the write began
    /// (this process is the job log's only writer), and every line of the chunk goes to `unwritten`.
    private static func writeOut(_ lines: inout ByteBuffer, to fd: Int32, unwritten: inout [UInt8]) -> Int32? {
        defer { lines.removeAll() }
        guard fd >= 0, !lines.isEmpty else { return nil }
        let all = lines.bytes
        var done = 0
        var start: off_t = -1
        while done < all.count {
            let n = Foundation.write(fd, all.baseAddress! + done, all.count - done)
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                if done > 0 {
                    if start < 0 { start = lseek(fd, 0, SEEK_END) - off_t(done) }
                    _ = ftruncate(fd, start)
                }
                unwritten.append(contentsOf: all)
                return code
            }
            if done == 0 && n < all.count { start = lseek(fd, 0, SEEK_END) - off_t(n) }
            done += n
        }
        return nil
    }

    private func startTimer() {
        let timer = DispatchSource.makeTimerSource(queue: background)
        let interval = DispatchTimeInterval.nanoseconds(Int(flushInterval * 1e9))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(5))
        timer.setEventHandler { [self] in flushIfPending() }
        self.timer = timer
        timer.resume()
    }

    private func flushIfPending() {
        // Lines waiting for a full disk are retried on the timer too, not only when new records come.
        if queue.withLock({ !$0.pending.isEmpty }) || writeLock.withLock({ !held.isEmpty || droppedSinceGap > 0 }) { flush() }
    }
}
