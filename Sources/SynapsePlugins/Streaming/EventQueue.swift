#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The hand-over point between producers (an action's thread, a log tailer) and the one UI thread.
///
/// Producers push from any thread and never wait on the screen: a push takes a lock, appends, and only
/// when the queue goes from empty to non-empty writes one byte to a wake pipe (no syscall per event).
/// The consumer sleeps in `poll()` on ``wakeFD``, then calls ``drain(events:notices:)``, which swaps
/// whole arrays under the lock so draining costs one lock however many events piled up.
///
/// The queue is unbounded on purpose: the consumer always takes everything, and reducing an event is far
/// cheaper than producing it, so a backlog only exists while the consumer is briefly busy drawing.
package final class EventQueue: @unchecked Sendable {
    private struct State {
        var events: [Event] = []
        var notices: [QueuedNotice] = []
        var closed = false
        /// Lines of ``SourceNotice/lines(_:)`` blocks waiting: they count toward the backlog like events.
        var blockLines = 0
        /// Bytes of those blocks (``LogBlock/byteCount``): a few long messages are few lines but much memory.
        var blockBytes = 0
    }
    private let state = LockedState(State())
    private let pipe: WakePipe
    private let drained = PThreadCondition()

    /// Creates an empty queue with its own wake pipe.
    package init() throws {
        pipe = try WakePipe()
        state.withLock { $0.events.reserveCapacity(1024) }
    }

    /// The descriptor the consumer polls: readable when something was pushed since the last drain.
    package var wakeFD: Int32 { pipe.readFD }

    /// Adds one event. Safe from any thread; wakes the consumer only when the queue was empty.
    @inline(__always)
    package func push(_ event: consuming Event) {
        let wasEmpty = state.withLock(passing: event) { state, event -> Bool in
            let wasEmpty = state.events.isEmpty && state.notices.isEmpty
            state.events.append(event)
            return wasEmpty
        }
        if wasEmpty { pipe.wake() }
    }

    /// Adds a batch of events under one lock (what a log reader does for each chunk it decodes).
    package func push<S: Sequence>(contentsOf batch: S) where S.Element == Event {
        let wasEmpty = state.withLock { state -> Bool in
            let wasEmpty = state.events.isEmpty && state.notices.isEmpty
            state.events.append(contentsOf: batch)
            return wasEmpty && !state.events.isEmpty
        }
        if wasEmpty { pipe.wake() }
    }

    /// Adds a notice about the source itself (waiting, restarted, an unreadable line, finished).
    package func post(_ notice: SourceNotice) {
        let wasEmpty = state.withLock { state -> Bool in
            let wasEmpty = state.events.isEmpty && state.notices.isEmpty
            state.notices.append(QueuedNotice(position: state.events.count, notice: notice))
            switch notice {
            case .finished: state.closed = true
            case .lines(let block):
                state.blockLines += block.lineCount
                state.blockBytes += block.byteCount
            default: break
            }
            return wasEmpty
        }
        if wasEmpty { pipe.wake() }
    }

    /// Wakes the consumer without adding anything (for example to make it look at a changed flag).
    package func wake() { pipe.wake() }

    /// Takes everything pushed so far.
    ///
    /// `events` and `notices` should be empty on entry (their capacity is kept and handed to the queue,
    /// so a steady stream allocates nothing). Each notice carries its position among the drained events,
    /// so a consumer applies it exactly where it happened (a ``SourceNotice/restarted(reason:)`` must void
    /// the events before it, not those after).
    package func drain(events outEvents: inout [Event], notices outNotices: inout [QueuedNotice]) {
        pipe.clear()  // before looking, so a push that races with this drain wakes us again
        state.withLock { state in
            swap(&state.events, &outEvents)
            swap(&state.notices, &outNotices)
            state.blockLines = 0
            state.blockBytes = 0
            drained.broadcast()
        }
    }

    /// Waits until fewer than `limit` events (counting the lines of waiting ``SourceNotice/lines(_:)``
    /// blocks) are waiting, for at most `timeout` seconds; returns whether there is room now.
    ///
    /// For producers that can afford to wait, unlike an action: a log reader catching up on millions of
    /// records calls this before each batch, so memory holds a bounded backlog instead of the whole log
    /// while the screen reduces it. Wake-ups come from ``drain(events:notices:)``.
    ///
    /// - Parameter bytes: also wait while the waiting blocks hold this many bytes of log text or more.
    package func waitForRoom(below limit: Int, bytes: Int = .max, timeout: Double) -> Bool {
        state.waitOnce(on: drained, seconds: timeout) { $0.events.count + $0.blockLines < limit && $0.blockBytes < bytes }
    }

    /// Number of events waiting (for tests and statistics).
    package var count: Int { state.withLock { $0.events.count } }

    /// `true` once a ``SourceNotice/finished`` notice was posted.
    package var isFinished: Bool { state.withLock { $0.closed } }
}

/// A notice and where it was posted: before the event at ``position`` of the same drained batch (or after
/// all of them when `position` equals the batch's count).
package struct QueuedNotice: Sendable, Hashable {
    /// Index of the event of the drained batch this notice comes before.
    package var position: Int
    /// What the source said.
    package var notice: SourceNotice

    /// A notice at `position`.
    package init(position: Int, notice: SourceNotice) {
        self.position = position
        self.notice = notice
    }
}

extension EventQueue {
    /// Takes everything pushed until a ``SourceNotice/finished`` notice, handing events and notices over in
    /// the order they were pushed, on the calling thread (which sleeps while the queue is empty): how `show`
    /// reads a log that an ``EventLogTailer`` (not following) reads for it.
    package func consumeUntilFinished(events onEvents: (ArraySlice<Event>) -> Void,
                                     notice onNotice: (SourceNotice) -> Void) {
        var events: [Event] = []
        var notices: [QueuedNotice] = []
        var fds = [pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
        while true {
            _ = poll(&fds, 1, 100)
            drain(events: &events, notices: &notices)
            var next = 0
            var finished = false
            for queued in notices {
                if queued.position > next { onEvents(events[next..<queued.position]) }
                next = max(next, queued.position)
                if case .finished = queued.notice { finished = true }
                onNotice(queued.notice)
            }
            if next < events.count { onEvents(events[next...]) }
            events.removeAll(keepingCapacity: true)
            notices.removeAll(keepingCapacity: true)
            if finished { return }
        }
    }
}
