/// Events per second over a short sliding window, from the events' own timestamps.
///
/// Counting by timestamp (not by wall clock) keeps the reducer pure and makes a replayed log show the rate
/// the run really had. A renderer that knows the current time can ask for the rate "now", which falls to
/// zero when the events stop.
public struct EventRate: Sendable, Hashable {
    /// Seconds in the window.
    public static let window = 5

    private var counts = [Int](repeating: 0, count: EventRate.window)
    private var seconds = [Int](repeating: Int.min, count: EventRate.window)
    /// The second (floor of the timestamp) of the newest event counted.
    public private(set) var latestSecond: Int?
    /// The second of the first event counted.
    public private(set) var firstSecond: Int?

    /// Creates an empty rate.
    public init() {}

    /// Counts one event at `timestamp` (epoch seconds). Timestamps of 0 or less (unknown) are ignored.
    @inline(__always)
    public mutating func record(_ timestamp: Double) {
        guard timestamp > 0, timestamp < 1e15 else { return }
        let second = Int(timestamp)
        let slot = second % Self.window
        if seconds[slot] != second {
            seconds[slot] = second
            counts[slot] = 0
        }
        counts[slot] += 1
        if firstSecond == nil { firstSecond = second }
        if latestSecond == nil || second > latestSecond! { latestSecond = second }
    }

    /// Events per second over the window ending at `now` (default: the newest event's time).
    public func perSecond(now: Double? = nil) -> Double {
        guard let latest = latestSecond, let first = firstSecond else { return 0 }
        let end = now.map { Int($0) } ?? latest
        let start = end - Self.window + 1
        var total = 0
        for i in 0..<Self.window where seconds[i] >= start && seconds[i] <= end {
            total += counts[i]
        }
        let span = Swift.max(1, Swift.min(Self.window, end - first + 1))
        return Double(total) / Double(span)
    }
}
