import SynapsePlugins

/// Events drained from the queue but not yet reduced, with their notices in place.
///
/// Catching up on a long log can hand the UI millions of events at once; reducing them in slices with a
/// time budget keeps keys and frames flowing meanwhile.
struct PendingEvents {
    /// Which of the loop's queues these come from (``LiveScreen/apply(_:source:)``).
    var source = 0
    private var events: [Event] = []
    private var notices: [QueuedNotice] = []
    private var nextEvent = 0
    private var nextNotice = 0
    private var drainedEvents: [Event] = []
    private var drainedNotices: [QueuedNotice] = []

    var isEmpty: Bool { nextEvent >= events.count && nextNotice >= notices.count }

    /// Events drained but not applied yet (lines of pending blocks count as events).
    var backlog: Int { events.count - nextEvent + pendingBlockLines }
    private var pendingBlockLines = 0
    /// Bytes of log text of the pending blocks (``LogBlock/byteCount``).
    private(set) var backlogBytes = 0

    /// Moves everything waiting in `queue` behind what is still pending.
    mutating func take(from queue: EventQueue) {
        queue.drain(events: &drainedEvents, notices: &drainedNotices)
        if isEmpty {
            events.removeAll(keepingCapacity: true)
            notices.removeAll(keepingCapacity: true)
            nextEvent = 0
            nextNotice = 0
        }
        let base = events.count
        events.append(contentsOf: drainedEvents)
        for queued in drainedNotices {
            if case .lines(let block) = queued.notice {
                pendingBlockLines += block.lineCount
                backlogBytes += block.byteCount
            }
            notices.append(QueuedNotice(position: queued.position + base, notice: queued.notice))
        }
        drainedEvents.removeAll(keepingCapacity: true)
        drainedNotices.removeAll(keepingCapacity: true)
    }

    /// Applies pending work to `screen` in order until done or `deadline` (monotonic seconds) passes.
    /// Returns `true` when anything was applied.
    mutating func apply<S: LiveScreen>(to screen: inout S, until deadline: Double, slice: Int = 4096) -> Bool {
        var applied = false
        while !isEmpty {
            // Notices that belong before the next event first, then events up to the next notice.
            while nextNotice < notices.count, notices[nextNotice].position <= nextEvent {
                let notice = notices[nextNotice].notice
                screen.apply(notice, source: source)
                nextNotice += 1
                applied = true
                // A block of lines is thousands of events: look at the clock after each.
                if case .lines(let block) = notice {
                    pendingBlockLines -= block.lineCount
                    backlogBytes -= block.byteCount
                    // Let the applied block's memory go now, not when the whole backlog is done.
                    notices[nextNotice - 1].notice = .lines(LogBlock())
                    if MonotonicClock.now() >= deadline { return applied }
                }
            }
            let limit = nextNotice < notices.count ? notices[nextNotice].position : events.count
            let end = min(limit, nextEvent + slice)
            if end > nextEvent {
                screen.apply(events[nextEvent..<end], source: source)
                nextEvent = end
                applied = true
            }
            if MonotonicClock.now() >= deadline { break }
        }
        return applied
    }
}
