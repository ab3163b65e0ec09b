import SynapsePlugins

/// Events per second over a short sliding window, from the events' own timestamps.
///
/// Counting by timestamp (not by wall clock) keeps the reducer pure and makes a replayed log show the rate
/// the run really had. A renderer that knows the current time can ask for the rate "now", which falls to
/// zero when the events stop.
package struct EventRate: Sendable, Hashable {
    /// Seconds in the window.
    package static let window = 5

    private var counts = [Int](repeating: 0, count: EventRate.window)
    private var seconds = [Int](repeating: Int.min, count: EventRate.window)
    /// The newest event's second and how many events in a row fell in it, not yet added to `counts`:
    /// consecutive events nearly always share their second, and counting them here spares the arrays'
    /// checked writes (three per event). Adding a run at once gives the counts adding each event would.
    private var runSecond = Int.min
    private var runCount = 0
    /// The second (floor of the timestamp) of the newest event counted.
    package private(set) var latestSecond: Int?
    /// The second of the first event counted.
    package private(set) var firstSecond: Int?

    /// Creates an empty rate.
    package init() {}

    /// Counts one event at `timestamp` (epoch seconds). Timestamps of 0 or less (unknown) are ignored.
    @inline(__always)
    package mutating func record(_ timestamp: Double) {
        guard timestamp > 0, timestamp < 1e15 else { return }
        let second = Int(timestamp)
        if second == runSecond {
            runCount += 1
            return
        }
        addRun()
        runSecond = second
        runCount = 1
        if firstSecond == nil { firstSecond = second }
        if latestSecond == nil || second > latestSecond! { latestSecond = second }
    }

    /// Adds the current run to its slot (a slot holding another second starts again from zero).
    private mutating func addRun() {
        guard runCount > 0 else { return }
        let slot = runSecond % Self.window
        if seconds[slot] != runSecond {
            seconds[slot] = runSecond
            counts[slot] = 0
        }
        counts[slot] += runCount
        runCount = 0
    }

    /// The rate with its current run added to the counts.
    private var settled: EventRate {
        var copy = self
        copy.addRun()
        return copy
    }

    /// Equal when they count the same events per second (however much of the newest run is still apart).
    package static func == (lhs: EventRate, rhs: EventRate) -> Bool {
        let a = lhs.settled, b = rhs.settled
        return a.counts == b.counts && a.seconds == b.seconds && a.latestSecond == b.latestSecond
            && a.firstSecond == b.firstSecond
    }

    package func hash(into hasher: inout Hasher) {
        let a = settled
        hasher.combine(a.counts)
        hasher.combine(a.seconds)
        hasher.combine(a.latestSecond)
        hasher.combine(a.firstSecond)
    }

    /// Events per second over the window ending at `now` (default: the newest event's time).
    package func perSecond(now: Double? = nil) -> Double {
        guard let latest = latestSecond, let first = firstSecond else { return 0 }
        let settled = self.settled
        let seconds = settled.seconds, counts = settled.counts
        let end = now.map { Int(saturating: $0) } ?? latest
        let start = end - Self.window + 1
        var total = 0
        for i in 0..<Self.window where seconds[i] >= start && seconds[i] <= end {
            total += counts[i]
        }
        let span = Swift.max(1, Swift.min(Self.window, end - first + 1))
        return Double(total) / Double(span)
    }
}
