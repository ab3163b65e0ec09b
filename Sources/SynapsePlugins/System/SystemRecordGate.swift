import Foundation

/// Passes a run's events on to its logger and lets `system` records through only until the run ends, so
/// the run's `end` and final `run_status` stay the last records of its log (readers and `jobs` look there).
///
/// The run's own events cost one payload check each (no lock); only the end and the samples take the lock.
final class SystemRecordGate: PluginLogger, @unchecked Sendable {
    private let inner: any PluginLogger
    private let lock = NSLock()
    private var closed = false

    init(_ inner: any PluginLogger) {
        self.inner = inner
    }

    func record(_ event: consuming Event) {
        switch event.payload {
        case .end:
            lock.withLock { closed = true }
        case .runStatus(let update) where update.status.isFinal:
            lock.withLock { closed = true }
        default:
            break
        }
        inner.record(event)
    }

    /// Records a sample unless the run has ended.
    func record(_ sample: SystemSample) {
        lock.withLock {
            guard !closed else { return }
            inner.record(sample.event())
        }
    }

    func flush() {
        inner.flush()
    }
}
