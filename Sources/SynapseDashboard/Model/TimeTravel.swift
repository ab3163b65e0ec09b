import SynapsePlugins

/// The dashboard's time cursor (`[` `]` `{` `}` move it, `=` returns to the end): the run shown as it was at
/// ``UIState/timeCursor``, built on ``RunTimeline`` so a move is one checkpoint restored plus fewer than
/// its interval of records reduced. With a log (``init(log:)``) the timeline reads it when the cursor
/// moves and holds only checkpoints; without one (a Ray job, a console capture) the source's events are
/// recorded as they arrive (``record(_:)-(ArraySlice<Event>)``), the latest ones held. Each move first
/// extends the timeline with what the run added since: nothing is read or reduced twice.
package struct TimeTravel: Sendable {
    /// The run's records with their checkpoints.
    package private(set) var timeline: RunTimeline
    /// The state at the cursor; `nil` when the cursor is at the end (live).
    package private(set) var past: DashboardState?
    /// The cursor `past` was reduced for.
    package private(set) var cursor: Double?

    /// A time travel through the event log at `path`, or (`nil`) through what ``record(_:)-(ArraySlice<Event>)``
    /// hands over.
    package init(log path: String? = nil, capacities: DashboardState.Capacities = .init()) {
        timeline = RunTimeline(origin: path.map { .log(path: $0) } ?? .memory, capacities: capacities)
    }

    /// Forgets everything (the log was truncated or replaced): the run is recorded again from its start.
    package mutating func reset() {
        let fresh = RunTimeline(origin: timeline.origin, capacities: timeline.capacities)
        self = TimeTravel()
        timeline = fresh
    }

    /// Records the source's events (without a log; with one they are read from it instead).
    package mutating func record(_ events: ArraySlice<Event>) {
        guard timeline.origin == .memory else { return }
        for event in events { timeline.append(event) }
    }

    /// Records what the source says beside its events: unreadable lines and blocks of lines count where
    /// they were; a restart starts again.
    package mutating func record(_ notice: SourceNotice) {
        switch notice {
        case .restarted: reset()
        case .unreadable(let line): timeline.append(unreadable: line)
        case .lines(let block): timeline.append(block)
        case .waiting, .following, .finished, .problem, .logWriteFailed: break
        }
    }

    /// Brings ``past`` to `cursor`, first extending the timeline with what the run added since.
    package mutating func update(cursor: Double?) {
        self.cursor = cursor
        guard let cursor else { past = nil; return }
        timeline.catchUp()
        past = timeline.state(at: cursor)
    }

    /// The state to draw, and in `options` the header's `AT` label and the clock of the moment shown.
    package func shown(_ live: DashboardState, options: inout RenderOptions) -> DashboardState {
        guard let past, let cursor, let span = Self.span(of: live) else { return live }
        options.now = cursor
        options.writerLostSince = nil
        options.timeCursor = Self.label(time: cursor, start: span.lowerBound, end: span.upperBound, utcOffset: options.utcOffset)
        return past
    }

    /// The run's start and end (its last event while it runs), as the cursor's percentages measure them.
    package static func span(of state: DashboardState) -> ClosedRange<Double>? {
        guard let start = state.run.startedAt ?? state.firstTimestamp, let elapsed = state.elapsed() else { return nil }
        return start...(start + elapsed)
    }

    /// Moves `cursor` (`nil`: the end) by `share` of the span; reaching the end returns `nil` (live again).
    package static func step(_ cursor: Double?, by share: Double, span: ClosedRange<Double>) -> Double? {
        let length = span.upperBound - span.lowerBound
        guard length > 0 else { return nil }
        let next = (cursor ?? span.upperBound) + share * length
        // Within a thousandth of a percent of the end is the end: float steps must land on it.
        if next >= span.upperBound - length * 1e-5 { return nil }
        return Swift.max(span.lowerBound, next)
    }

    /// The header's words for a moment: `AT 13:20:25 +0:25 (50.0%)` (as `show --at` prints it).
    package static func label(time: Double, start: Double, end: Double, utcOffset: Int) -> String {
        var label = "AT \(NumberFormat.clock(time, utcOffset: utcOffset)) +\(NumberFormat.duration(Swift.max(0, time - start)))"
        if end > start { label += " (\(NumberFormat.percent(Swift.min(1, Swift.max(0, (time - start) / (end - start))))))" }
        return label
    }
}
