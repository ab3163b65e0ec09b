import SynapsePlugins

/// The dashboard's time cursor (`[` `]` `{` `}` move it, `=` returns to the end): the run shown as it was at
/// ``UIState/timeCursor``, built on ``RunTimeline`` so a move is one checkpoint restored plus fewer than
/// its interval of events reduced. The timeline is built on the first move (the live dashboard does not
/// keep events) and again only when the run has grown since.
public struct TimeTravel: Sendable {
    /// The events with their checkpoints, once the cursor has moved.
    public private(set) var timeline: RunTimeline?
    /// The live state's latest timestamp and event count when the timeline was built.
    private var builtFor: (last: Double?, count: Int)?
    /// The state at the cursor; `nil` when the cursor is at the end (live).
    public private(set) var past: DashboardState?
    /// The cursor `past` was reduced for.
    public private(set) var cursor: Double?

    /// Creates a time travel with no timeline yet.
    public init() {}

    /// Forgets everything (the log was truncated or replaced).
    public mutating func reset() { self = TimeTravel() }

    /// Brings ``past`` to `cursor`; `events` reads the run's whole log, called only to (re)build the timeline.
    public mutating func update(cursor: Double?, live: DashboardState, events: () -> [Event]) {
        self.cursor = cursor
        guard let cursor else { past = nil; return }
        let now = (last: live.lastTimestamp, count: live.eventCount)
        if timeline == nil || builtFor?.last != now.last || builtFor?.count != now.count {
            timeline = RunTimeline(events: events())
            builtFor = now
        }
        guard let timeline else { return }
        past = timeline.state(after: timeline.count(at: cursor))
    }

    /// The state to draw, and in `options` the header's `AT` label and the clock of the moment shown.
    public func shown(_ live: DashboardState, options: inout RenderOptions) -> DashboardState {
        guard let past, let cursor, let span = Self.span(of: live) else { return live }
        options.now = cursor
        options.writerLostSince = nil
        options.timeCursor = Self.label(time: cursor, start: span.lowerBound, end: span.upperBound, utcOffset: options.utcOffset)
        return past
    }

    /// The run's start and end (its last event while it runs), as the cursor's percentages measure them.
    public static func span(of state: DashboardState) -> ClosedRange<Double>? {
        guard let start = state.run.startedAt ?? state.firstTimestamp, let elapsed = state.elapsed() else { return nil }
        return start...(start + elapsed)
    }

    /// Moves `cursor` (`nil`: the end) by `share` of the span; reaching the end returns `nil` (live again).
    public static func step(_ cursor: Double?, by share: Double, span: ClosedRange<Double>) -> Double? {
        let length = span.upperBound - span.lowerBound
        guard length > 0 else { return nil }
        let next = (cursor ?? span.upperBound) + share * length
        // Within a thousandth of a percent of the end is the end: float steps must land on it.
        if next >= span.upperBound - length * 1e-5 { return nil }
        return Swift.max(span.lowerBound, next)
    }

    /// The header's words for a moment: `AT 13:20:25 +0:25 (50.0%)` (as `show --at` prints it).
    public static func label(time: Double, start: Double, end: Double, utcOffset: Int) -> String {
        var label = "AT \(NumberFormat.clock(time, utcOffset: utcOffset)) +\(NumberFormat.duration(Swift.max(0, time - start)))"
        if end > start { label += " (\(NumberFormat.percent(Swift.min(1, Swift.max(0, (time - start) / (end - start))))))" }
        return label
    }
}
