import SynapsePlugins

/// A run's events with checkpoints of the reduced state, so the run can be shown as it was after any of
/// them (the time cursor): the reducer is pure, so the past is a prefix reduced, and a checkpoint every
/// ``interval`` events bounds a move to restoring one state and applying fewer than ``interval`` events.
public struct RunTimeline: Sendable {
    /// The events, in log order.
    public let events: [Event]
    /// Events between checkpoints.
    public let interval: Int
    /// `checkpoints[k]` is the state after the first `k * interval` events.
    private let checkpoints: [DashboardState]
    /// The largest timestamp among the first `i + 1` events (non-decreasing, for a binary search by time).
    private let timeline: [Double]

    /// Reduces `events` once, keeping a checkpoint every `interval` events.
    public init(events: [Event], capacities: DashboardState.Capacities = .init(), interval: Int = 8192) {
        self.events = events
        self.interval = Swift.max(1, interval)
        var state = DashboardState(capacities: capacities)
        var checkpoints = [state]
        var timeline: [Double] = []
        timeline.reserveCapacity(events.count)
        var latest = -Double.infinity
        for (i, event) in events.enumerated() {
            state.apply(event)
            latest = Swift.max(latest, event.timestamp)
            timeline.append(latest)
            if (i + 1) % self.interval == 0 { checkpoints.append(state) }
        }
        self.checkpoints = checkpoints
        self.timeline = timeline
    }

    /// The state after the first `count` events (clamped to the log).
    public func state(after count: Int) -> DashboardState {
        let c = Swift.min(Swift.max(0, count), events.count)
        let k = c / interval
        var state = checkpoints[k]
        for event in events[(k * interval)..<c] { state.apply(event) }
        return state
    }

    /// How many events the run had logged at time `t`: the events before the first one later than `t`.
    public func count(at t: Double) -> Int {
        var lo = 0, hi = timeline.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if timeline[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
