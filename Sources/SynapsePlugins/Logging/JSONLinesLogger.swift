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
    public var path: String { writer.path }
    /// The longest a record waits in memory, in seconds (0 = written by `record` itself).
    public var flushInterval: Double { writer.flushInterval }
    /// The most records kept before the caller writes them itself.
    public var maxPending: Int { writer.maxPending }

    private let writer: JSONLinesWriter

    /// Opens (creating with mode 0600) or appends to the log at `path`.
    ///
    /// - Parameters:
    ///   - flushInterval: the longest a record waits in memory, in seconds; 0 writes every record at once.
    ///   - maxPending: the most records waiting in memory before the caller writes them itself. Normally
    ///     the background queue takes them long before (at 512 records); the limit only bounds memory
    ///     when it cannot keep up.
    public init(path: String, flushInterval: Double = 0.05, maxPending: Int = 16384) throws(JobStoreError) {
        writer = try JSONLinesWriter(path: path, flushInterval: flushInterval, maxPending: maxPending)
    }

    deinit {
        writer.close()
    }

    /// Records one event.
    public func record(_ event: consuming Event) {
        writer.record(event)
    }

    /// Writes every waiting record.
    public func flush() {
        writer.flush()
    }

    /// Writes what is waiting and closes the file; later records are dropped.
    public func close() {
        writer.close()
    }

    /// How many writes failed (disk full, say), and the last `errno`. Records of a failed write wait in
    /// memory (bounded) and are written when the file takes writes again.
    public var writeFailures: (count: Int, lastErrno: Int32) { writer.writeFailures }

    /// Records that are not in the log: dropped past the memory bound or, after ``close()``, never
    /// written. Non-zero means the log is incomplete (`run` exits with ``RunExitCode``'s `logIncomplete`).
    public var recordsNotWritten: Int { writer.recordsNotWritten }

    /// Told once, on the writing thread, when writes start failing, with a sentence saying why: set it
    /// before the first record to show the failure at once.
    public func onWriteFailure(_ report: @escaping @Sendable (String) -> Void) {
        writer.onFailure = report
    }

    /// Told on the writing thread when writes that had failed go through again (everything waiting is
    /// written), with the `log_gap` record written for records dropped meanwhile, or nil when none were.
    public func onWriteRecovery(_ report: @escaping @Sendable (Event?) -> Void) {
        writer.onRecovery = report
    }
}
