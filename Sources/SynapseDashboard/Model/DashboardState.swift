import SynapsePlugins

/// Everything the dashboard knows about a run, derived only from its events.
///
/// Build it with ``apply(_:)`` (one event at a time, O(1) amortised, no I/O) and hand it to
/// ``DashboardRenderer``. Memory is bounded whatever the log's length: messages, dev events, custom events
/// and output lines are ring buffers, metric histories are down-sampled (``MetricSeries``), and the number
/// of steps and metrics kept is capped.
public struct DashboardState: Sendable {
    /// The step name used for progress and metrics logged without a step.
    public static let defaultStepName = "default"
    /// The most progress steps or metric steps kept; records for further new steps are ignored.
    public static let maxSteps = 64

    /// Ring-buffer capacities.
    public struct Capacities: Sendable, Hashable {
        /// Messages kept.
        public var messages: Int
        /// Dev events kept.
        public var devEvents: Int
        /// Custom events kept.
        public var customEvents: Int
        /// Output lines kept.
        public var output: Int

        /// Creates capacities.
        public init(messages: Int = 10_000, devEvents: Int = 5_000, customEvents: Int = 5_000, output: Int = 10_000) {
            self.messages = messages
            self.devEvents = devEvents
            self.customEvents = customEvents
            self.output = output
        }
    }

    /// The ring buffers' capacities.
    public let capacities: Capacities
    /// The run as a whole.
    public var run = RunInfo()
    /// Progress per step, in order of first appearance.
    public private(set) var steps: [StepProgress] = []
    /// Index into ``steps`` of the step updated last.
    public private(set) var activeStepIndex: Int?
    /// Pipeline actions by position.
    public private(set) var actions: [PipelineAction] = []
    /// Metrics per step, in order of first appearance, and per `log_metric` category (``StepMetrics/Kind``).
    public private(set) var metrics: [StepMetrics] = []
    /// `log_metric` records seen.
    public private(set) var metricRecordCount = 0
    /// User-facing messages.
    public private(set) var messages: RingBuffer<MessageEntry>
    /// Development events.
    public private(set) var devEvents: RingBuffer<DevEntry>
    /// Custom and unknown events.
    public private(set) var customEvents: RingBuffer<CustomEntry>
    /// Child-process output lines.
    public private(set) var output: RingBuffer<OutputEntry>
    /// Events applied.
    public private(set) var eventCount = 0
    /// Lines of the log that could not be read.
    public private(set) var unreadableCount = 0
    /// The reason the most recent unreadable line gave.
    public private(set) var lastUnreadable: String?
    /// `true` once an `end` record was seen.
    public private(set) var endSeen = false
    /// Timestamp of the first event (with a timestamp).
    public private(set) var firstTimestamp: Double?
    /// Timestamp of the latest event.
    public private(set) var lastTimestamp: Double?
    /// Events per second, from event timestamps.
    public private(set) var rate = EventRate()

    private var stepIndex: [String: Int] = [:]
    private var metricIndex: [String: Int] = [:]
    // Most records name the same step as the one before: compare before hashing.
    private var lastProgressStep: (name: String, index: Int)?
    private var lastMetricStep: (name: String, index: Int)?
    /// Index into ``metrics`` of the step that logged its own counter last: a step without one borrows it.
    private var counterStep: Int?
    /// The reader of ``ingest(lines:firstLine:)`` (its name tables last from one call to the next).
    var lineReader = LogBlockReader()

    /// Creates an empty state.
    public init(capacities: Capacities = Capacities()) {
        self.capacities = capacities
        messages = RingBuffer(capacity: capacities.messages)
        devEvents = RingBuffer(capacity: capacities.devEvents)
        customEvents = RingBuffer(capacity: capacities.customEvents)
        output = RingBuffer(capacity: capacities.output)
    }

    /// The step updated last.
    public var activeStep: StepProgress? { activeStepIndex.map { steps[$0] } }

    /// Counts a line that could not be read.
    public mutating func apply(unreadable reason: String) {
        unreadableCount += 1
        lastUnreadable = reason
    }

    /// Counts a line that could not be read.
    public mutating func apply(unreadable line: UnreadableLine) {
        apply(unreadable: line.description)
    }

    /// Applies a batch of events and unreadable lines, as ``EventLogDecoder`` yields them.
    public mutating func apply(_ batch: EventLogDecoder.Batch) {
        for event in batch.events { apply(event) }
        for line in batch.unreadable { apply(unreadable: line) }
    }

    /// Index of a progress step, creating it on first use; `nil` past ``maxSteps``.
    mutating func progressSlot(_ name: String, _ progress: ProgressData, _ time: Double) -> Int? {
        if let last = lastProgressStep, last.name == name { return last.index }
        if let i = stepIndex[name] { lastProgressStep = (name, i); return i }
        guard steps.count < Self.maxSteps else { return nil }
        stepIndex[name] = steps.count
        steps.append(StepProgress(step: name, progress: progress, at: time))
        lastProgressStep = (name, steps.count - 1)
        return steps.count - 1
    }

    mutating func updateProgress(_ i: Int, _ progress: ProgressData, _ time: Double) {
        steps[i].update(progress, at: time)
        activeStepIndex = i
    }

    /// Index of a metrics step (or, for `category`, of a `log_metric` category), creating it on first use;
    /// `nil` past ``maxSteps``.
    mutating func metricSlot(_ name: String, category: Bool = false) -> Int? {
        if !category, let last = lastMetricStep, last.name == name { return last.index }
        // Categories are keyed apart from steps of the same name (a NUL never starts a step name we show).
        let key = category ? "\u{0}" + name : name
        if let i = metricIndex[key] {
            if !category { lastMetricStep = (name, i) }
            return i
        }
        guard metrics.count < Self.maxSteps else { return nil }
        metricIndex[key] = metrics.count
        metrics.append(StepMetrics(step: name, kind: category ? .category : .step))
        if !category { lastMetricStep = (name, metrics.count - 1) }
        return metrics.count - 1
    }

    /// The counter a step without one of its own places its samples on.
    private var borrowedCounter: StepMetrics.Counter? { counterStep.flatMap { metrics[$0].ownCounter } }

    private mutating func noteCounter(_ i: Int) {
        if counterStep != i, metrics[i].hasOwnCounter { counterStep = i }
    }

    mutating func mergeMetrics(_ step: String, _ object: JSONObject, time: Double) {
        guard let i = metricSlot(step) else { return }
        metrics[i].merge(object, time: time, borrowed: borrowedCounter)
        noteCounter(i)
    }

    /// ``mergeMetrics(_:_:time:)`` for a metrics line of a ``LogBlock``.
    mutating func mergeMetrics(_ step: String, keys: ArraySlice<Int32>, values: ArraySlice<JSONNumber>, names: [String],
                               time: Double) {
        guard let i = metricSlot(step) else { return }
        metrics[i].merge(keys: keys, values: values, names: names, time: time,
                         borrowed: metrics[i].hasOwnCounter ? nil : borrowedCounter)
        noteCounter(i)
    }

    /// A `log_metric` record: one point of its category's series.
    mutating func applyMetricRecord(_ record: MetricRecord, time: Double) {
        metricRecordCount += 1
        let name = record.category.isEmpty ? Self.defaultStepName : record.category
        guard let i = metricSlot(name, category: true) else { return }
        metrics[i].record(key: record.key, value: record.value, metrics: record.metrics, time: time,
                          borrowed: borrowedCounter)
        noteCounter(i)
    }

    mutating func noteEnd() { endSeen = true }
    mutating func appendMessage(_ m: MessageEntry) { messages.append(m) }
    mutating func appendDev(_ d: DevEntry) { devEvents.append(d) }
    mutating func appendCustom(_ c: CustomEntry) { customEvents.append(c) }
    mutating func appendOutput(_ o: OutputEntry) { output.append(o) }

    mutating func updateAction(_ u: ActionStatusUpdate, _ time: Double) {
        guard u.index >= 0, u.index < 4096 else { return }
        if let total = u.total, total > actions.count, total <= 4096 {
            for i in actions.count..<total {
                actions.append(PipelineAction(index: i, name: "", status: .pending))
            }
        }
        while actions.count <= u.index {
            actions.append(PipelineAction(index: actions.count, name: "", status: .pending))
        }
        var a = actions[u.index]
        a.name = u.action
        a.status = u.status
        if let error = u.error { a.error = error }
        if u.status == .running, a.startedAt == nil { a.startedAt = time }
        if u.status.isFinal { a.endedAt = time }
        actions[u.index] = a
    }

    mutating func noteTimestamp(_ t: Double) {
        eventCount += 1
        guard t > 0 else { return }
        if firstTimestamp == nil { firstTimestamp = t }
        if lastTimestamp == nil || t > lastTimestamp! { lastTimestamp = t }
        rate.record(t)
    }
}

extension DashboardState {
    /// Seconds the run has taken: from its `running` status (or first event) to its final status, or to
    /// `now` while it runs (to the latest event when `now` is not given).
    public func elapsed(now: Double? = nil) -> Double? {
        guard let start = run.startedAt ?? firstTimestamp else { return nil }
        let end = run.endedAt ?? (run.status?.isFinal == true ? lastTimestamp : nil) ?? now ?? lastTimestamp ?? start
        return Swift.max(0, end - start)
    }

    /// Overall progress, 0...1: the mean of the steps' fractions; for a pipeline, the finished actions plus
    /// the running one's share (its active step's fraction); `nil` when nothing reported progress.
    public var overallFraction: Double? {
        if !actions.isEmpty {
            let done = actions.filter { $0.status.isFinal }.count
            var running = 0.0
            if actions.contains(where: { $0.status == .running }), let step = activeStep, !step.isDone {
                running = step.progress.fraction
            }
            return min(1, (Double(done) + running) / Double(actions.count))
        }
        guard !steps.isEmpty else { return nil }
        return steps.reduce(0) { $0 + $1.progress.fraction } / Double(steps.count)
    }

    /// Every numeric metric as (step, name), in table order: what `m` cycles through.
    public var chartableMetrics: [MetricID] {
        var ids: [MetricID] = []
        for step in metrics {
            for entry in step.entries where entry.isNumeric {
                ids.append(MetricID(step: step.step, name: entry.name, category: step.kind == .category))
            }
        }
        return ids
    }

    /// The entry for a metric id.
    public func metric(_ id: MetricID) -> MetricEntry? {
        metricStep(of: id)?.entry(named: id.name)
    }

    /// The step (or category) a metric id names.
    public func metricStep(of id: MetricID) -> StepMetrics? {
        metrics.first { $0.step == id.step && ($0.kind == .category) == id.category }
    }
}

/// Names one metric of one step.
public struct MetricID: Sendable, Hashable, CustomStringConvertible {
    /// The step.
    public var step: String
    /// The metric's key.
    public var name: String
    /// `true` for a `log_metric` category's metric, `false` for a step's.
    public var category: Bool

    /// Creates an id.
    public init(step: String, name: String, category: Bool = false) {
        self.step = step
        self.name = name
        self.category = category
    }

    public var description: String { category ? "\(step)[metric]/\(name)" : "\(step)/\(name)" }
}
