import Foundation

/// A child process as a dashboard's event source (`run --plugin`, `run -- CMD`): ``start(into:)`` starts
/// the child with its events pushed into the queue, ``stop()`` stops pushing, and the dashboard's `c` key
/// cancels the child through ``cancelHook(reportingTo:)``, as it asks Ray to stop a Ray job.
///
/// Events the run records before the queue is known (the `running` status a command announces) wait in
/// order and reach the queue first. The job log is written by the ``ChildProcessRun`` whatever happens
/// here: stopping the source stops the screen's copy only, and the child goes on until it is cancelled.
package final class ChildProcessSource: EventSource, @unchecked Sendable {
    /// The child, built with the source's relay as its sink.
    package let child: ChildProcessRun
    package let label: String
    private let relay: Relay
    private let cancelReason: String
    private let lock = NSLock()
    private var started = false
    private var failure: RunError?

    /// - Parameters:
    ///   - label: how the header names the run before its log does.
    ///   - cancelReason: what the final status says when `c` cancels the run ("cancelled by user (c)").
    ///   - makeChild: builds the child with the sink it must deliver to.
    package init(label: String, cancelReason: String,
                 makeChild: (_ sink: @escaping @Sendable ([Event]) -> Void) -> ChildProcessRun) {
        let relay = Relay()
        self.relay = relay
        self.label = label
        self.cancelReason = cancelReason
        child = makeChild { relay.push($0) }
    }

    /// Why the child could not be started (``start(into:)`` recorded it as the run's `failed` status).
    package var startFailure: RunError? { lock.withLock { failure } }

    /// Connects the queue (what waited is pushed first) and starts the child. A child that cannot start is
    /// recorded `failed`, in its log and the queue, and ``startFailure`` says why. Calling it twice does
    /// nothing.
    package func start(into sink: EventQueue) {
        let first = lock.withLock { () -> Bool in
            defer { started = true }
            return !started
        }
        guard first else { return }
        relay.connect(sink)
        let failure = child.startRecordingFailure()
        lock.withLock { self.failure = failure }
    }

    /// Stops pushing into the queue; the child goes on (the caller cancels it, or waits for it).
    package func stop() { relay.disconnect() }

    /// The dashboard's `c` (after its confirmation): cancels the child; its final status comes through the
    /// queue like any of its events.
    package func cancelHook(reportingTo sink: EventQueue) -> (@Sendable () -> Void)? {
        let child = child, reason = cancelReason
        return { child.cancel(reason: reason) }
    }

    /// Where the child's events go: held until a queue is connected, then pushed; dropped once disconnected.
    private final class Relay: @unchecked Sendable {
        private let lock = NSLock()
        private var queue: EventQueue?
        private var waiting: [Event] = []
        private var disconnected = false

        func push(_ events: [Event]) {
            lock.withLock {
                if let queue { queue.push(contentsOf: events) } else if !disconnected { waiting += events }
            }
        }

        func connect(_ queue: EventQueue) {
            lock.withLock {
                guard !disconnected else { return }
                if !waiting.isEmpty { queue.push(contentsOf: waiting) }
                waiting = []
                self.queue = queue
            }
        }

        func disconnect() {
            lock.withLock {
                queue = nil
                waiting = []
                disconnected = true
            }
        }
    }
}
