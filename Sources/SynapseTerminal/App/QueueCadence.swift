/// When the UI loop looks at the event queue.
///
/// Normally at most once per ``drainInterval``: events pile up between two looks, and a producer pays for
/// a wake-up (a `write`) only when it finds the queue empty, so a fast producer pays once per look, not
/// once per event. While catching up — a look found ``bigTake`` events or more (a log read from its start,
/// a flood) — it looks again as soon as the loop has reduced most of what it took: a reader that waits for
/// room in the queue must not wait for the clock as well. Catching up lasts until ``looksToSettle`` looks
/// in a row find less, because between two blocks of a log the queue may hold only a notice: when one
/// small look ended it, the reader filled the queue and waited for the clock, and attach took 0.55-0.65 s
/// instead of 0.36-0.41 s to reduce a 1M-event log. The extra looks cost a flooding producer at most
/// ``looksToSettle`` wake-ups.
struct QueueCadence {
    /// A look that takes at least this many events means catching up.
    static let bigTake = 1000
    /// Looks in a row under ``bigTake`` that end catching up.
    static let looksToSettle = 3

    /// Shortest time between two looks when not catching up.
    var drainInterval: Double
    /// When the next look is due by the clock.
    private(set) var nextDrain = 0.0
    private var catchingUpLooks = 0

    init(drainInterval: Double) {
        self.drainInterval = drainInterval
    }

    /// `true` while the last looks found a flood (see the type's description).
    var isCatchingUp: Bool { catchingUpLooks > 0 }

    /// Whether to look at the queue at `now`, with `backlog` events taken but not yet reduced: never while
    /// the backlog is at `maxBacklog` (producers that can wait then do), at once while catching up and
    /// most of the backlog is reduced, else when the clock says so.
    func isDue(now: Double, backlog: Int, maxBacklog: Int) -> Bool {
        guard backlog < maxBacklog else { return false }
        return now >= nextDrain || (isCatchingUp && backlog < maxBacklog / 4)
    }

    /// Records a look at `now` that took `taken` events.
    mutating func took(_ taken: Int, at now: Double) {
        catchingUpLooks = taken >= Self.bigTake ? Self.looksToSettle : max(0, catchingUpLooks - 1)
        nextDrain = now + drainInterval
    }
}
