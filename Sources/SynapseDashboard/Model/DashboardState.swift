import SynapsePlugins

/// Everything the dashboard knows about a run, derived only from its events.
///
/// Build it with ``apply(_:)`` (one event at a time, O(1) amortised, no I/O) and hand it to
/// ``DashboardRenderer``. Memory is bounded whatever the log's length: messages, dev events, custom events
/// and output lines are ring buffers, metric histories are down-sampled (``MetricSeries``), and the number
/// of steps and metrics kept is capped.
package struct DashboardState: Sendable {
    /// The step name used for progress and metrics logged without a step.
    package static let defaultStepName = "default"
    /// The most progress steps or metric steps kept; records for further new steps are ignored.
    package static let maxSteps = 64

    /// Ring-buffer capacities.
    package struct Capacities: Sendable, Hashable {
        /// Messages kept.
        package var messages: Int
        /// Dev events kept.
        package var devEvents: Int
        /// Custom events kept.
        package var customEvents: Int
        /// Output lines kept.
        package var output: Int

        /// Creates capacities.
        package init(messages: Int = 10_000, devEvents: Int = 5_000, customEvents: Int = 5_000, output: Int = 10_000) {
            self.messages = messages
            self.devEvents = devEvents
            self.customEvents = customEvents
            self.output = output
        }
    }

    /// The ring buffers' capacities.
    package let capacities: Capacities
    /// The run as a whole.
    package var run = RunInfo()
    /// Progress per step, in order of first appearance.
    package private(set) var steps: [StepProgress] = []
    /// Index into ``steps`` of the step updated last.
    package private(set) var activeStepIndex: Int?
    /// Pipeline actions by position.
    package private(set) var actions: [PipelineAction] = []
    /// Metrics per step, in order of first appearance, and per `log_metric` category (``StepMetrics/Kind``).
    package private(set) var metrics: [StepMetrics] = []
    /// `log_metric` records seen.
    package private(set) var metricRecordCount = 0
    /// User-facing messages.
    package private(set) var messages: PackedRing<MessageEntry>
    /// Development events.
    package private(set) var devEvents: PackedRing<DevEntry>
    /// Custom and unknown events.
    package private(set) var customEvents: PackedRing<CustomEntry>
    /// Child-process output lines.
    package private(set) var output: PackedRing<OutputEntry>
    /// Events applied.
    package private(set) var eventCount = 0
    /// Lines of the log that could not be read.
    package private(set) var unreadableCount = 0
    /// The reason the most recent unreadable line gave.
    package private(set) var lastUnreadable: String?
    /// `log_gap` records seen: times the writer had to drop records (a full disk).
    package private(set) var logGapCount = 0
    /// Records the writer said it dropped, summed over the `log_gap` records (`data.lost`).
    package private(set) var lostRecordCount = 0
    /// `true` once an `end` record was seen.
    package private(set) var endSeen = false
    /// Timestamp of the first event (with a timestamp).
    package private(set) var firstTimestamp: Double?
    /// Timestamp of the latest event.
    package private(set) var lastTimestamp: Double?
    /// Events per second, from event timestamps.
    package private(set) var rate = EventRate()
    /// What the run costs the machine, from its `system` records.
    package internal(set) var system = SystemSeries()

    /// Step weights the run declared (`step_proportions`, synapse-sdk's `set_step_proportions`); empty when
    /// none were, and steps then weigh alike.
    package private(set) var declaredWeights: [String: Double] = [:]
    /// The sum of ``declaredWeights``: the overall figure's denominator while weights are declared.
    package private(set) var declaredTotal = 0.0
    /// The overall figure never goes below this: what it was when weights were declared again, late.
    package private(set) var overallFloor = 0.0
    /// Index into ``steps`` of the first step reported since the running pipeline action started.
    package private(set) var actionStepStart = 0
    /// ``overallFloor`` for the running pipeline action's own figure.
    package private(set) var actionFloor = 0.0
    /// `true` when the running pipeline action declared weights since it started: only then is its share
    /// of the pipeline bar known.
    package private(set) var actionDeclared = false
    /// Progress updates applied (orders the steps' reports).
    private(set) var progressSequence = 0
    /// Weight handed to undeclared steps from the unused declared pool (synapse-sdk's `_data_prep_used`).
    private(set) var dynamicPoolUsed = 0.0

    private var stepIndex: [String: Int] = [:]
    private var metricIndex: [String: Int] = [:]
    // Most records name the same step as the one before: compare before hashing.
    private var lastProgressStep: (name: String, index: Int)?
    private var lastMetricStep: (name: String, index: Int)?
    /// Index into ``metrics`` of the step that logged its own counter last: a step without one borrows it.
    private(set) var counterStep: Int?
    /// The reader of ``ingest(lines:firstLine:)`` (its name tables last from one call to the next).
    var lineReader = LogBlockReader()

    /// Creates an empty state.
    package init(capacities: Capacities = Capacities()) {
        self.capacities = capacities
        messages = PackedRing(capacity: capacities.messages)
        devEvents = PackedRing(capacity: capacities.devEvents)
        customEvents = PackedRing(capacity: capacities.customEvents)
        output = PackedRing(capacity: capacities.output)
    }

    /// The step updated last.
    package var activeStep: StepProgress? { activeStepIndex.map { steps[$0] } }

    /// Counts a line that could not be read.
    package mutating func apply(unreadable reason: String) {
        unreadableCount += 1
        lastUnreadable = reason
    }

    /// Counts a line that could not be read.
    package mutating func apply(unreadable line: UnreadableLine) {
        apply(unreadable: line.description)
    }

    /// Applies a batch of events and unreadable lines, as ``EventLogDecoder`` yields them.
    package mutating func apply(_ batch: EventLogDecoder.Batch) {
        for event in batch.events { apply(event) }
        for line in batch.unreadable { apply(unreadable: line) }
    }

    /// Index of a progress step, creating it on first use; `nil` past ``maxSteps``.
    mutating func progressSlot(_ name: String, total: Int, _ time: Double) -> Int? {
        if let last = lastProgressStep, last.name == name { return last.index }
        if let i = stepIndex[name] { lastProgressStep = (name, i); return i }
        guard steps.count < Self.maxSteps else { return nil }
        addStep(name, total: total, time)
        lastProgressStep = (name, steps.count - 1)
        return steps.count - 1
    }

    /// A step's first report: where it sits (on its own, or inside the unfinished step that reported last)
    /// and its weight. The first update is applied by ``updateProgress(_:_:_:)`` right after.
    private mutating func addStep(_ name: String, total: Int, _ time: Double) {
        var step = StepProgress(step: name, progress: ProgressData(current: 0, total: total), at: time)
        step.bestFraction = 0
        step.reachedTotal = false
        if let a = activeStepIndex {
            // The step that reported last ran inside its root and is complete, but the root never reported
            // again: it was a step of its own after all.
            if let root = steps[a].parent, steps[a].isDone, steps[root].lastSequence < steps[a].firstSequence {
                steps[a].parent = nil
            }
            if !steps[a].isDone, !steps[a].failed { step.parent = steps[a].parent ?? a }
        }
        if declaredTotal > 0 {
            if let w = declaredWeights[name] {
                step.weight = w
                step.declared = true
            } else {
                step.weight = dynamicWeight()
                dynamicPoolUsed += step.weight
            }
        } else {
            // Nothing declared: the weight is never used for a figure (``overallFraction`` is unknown then).
            step.weight = 1
        }
        step.firstSequence = progressSequence + 1
        stepIndex[name] = steps.count
        steps.append(step)
    }

    /// synapse-sdk's weight for a step nobody declared while others were: half of the declared weight of
    /// the non-core steps not seen yet, less what earlier such steps took; at least 5, or 2 when spent.
    private func dynamicWeight() -> Double {
        var pool = 0.0
        for (name, w) in declaredWeights where name != "train" && name != "model_upload" && stepIndex[name] == nil {
            pool += w
        }
        let available = pool - dynamicPoolUsed
        if available >= 5 { return Swift.max(5, available / 2) }
        return available > 0 ? Swift.max(2, available) : 2
    }

    mutating func updateProgress(_ i: Int, _ progress: ProgressData, _ time: Double) {
        steps[i].update(progress, at: time)
        noteProgress(i)
    }

    /// ``updateProgress(_:_:_:)`` for a block's progress line
    /// (``StepProgress/update(current:total:step:elapsed:timeRemaining:at:)``).
    @inline(__always)
    mutating func updateProgress(_ i: Int, current: Int, total: Int, step: String?, elapsed: Double?,
                                 timeRemaining: Double?, _ time: Double) {
        steps[i].update(current: current, total: total, step: step, elapsed: elapsed, timeRemaining: timeRemaining,
                        at: time)
        noteProgress(i)
    }

    private mutating func noteProgress(_ i: Int) {
        progressSequence += 1
        steps[i].lastSequence = progressSequence
        activeStepIndex = i
    }

    /// Applies a `step_proportions` record: the steps' declared weights (`{"proportions": {step: weight}}`).
    mutating func declareWeights(_ data: JSONValue) {
        guard case .object(let o) = data, case .object(let proportions)? = o["proportions"] else { return }
        var weights: [String: Double] = [:]
        for (name, value) in proportions {
            guard let w = value.doubleValue, w.isFinite, w > 0 else { continue }
            weights[name] = w
        }
        guard !weights.isEmpty else { return }
        // Declared again: the figure shown so far stays a floor. Nothing was shown before a first declaration.
        if declaredTotal > 0 { overallFloor = Swift.max(overallFloor, rawOverall(from: 0)) }
        if actionDeclared { actionFloor = Swift.max(actionFloor, rawOverall(from: actionStepStart)) }
        if actions.contains(where: { $0.status == .running }) { actionDeclared = true }
        declaredWeights = weights
        declaredTotal = weights.values.reduce(0, +)
        // Steps seen before the declaration take their weights now, in the order they first reported.
        dynamicPoolUsed = 0
        let seen = stepIndex
        stepIndex = [:]
        for i in steps.indices {
            if let w = weights[steps[i].step] {
                steps[i].weight = w
                steps[i].declared = true
            } else {
                steps[i].weight = dynamicWeight()
                steps[i].declared = false
                dynamicPoolUsed += steps[i].weight
            }
            stepIndex[steps[i].step] = i
        }
        stepIndex = seen
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

    /// A `log_gap` record: the writer dropped `data.lost` records (it stays in the Events pane too).
    mutating func noteLogGap(_ data: JSONValue) {
        logGapCount += 1
        if let lost = data.objectValue?["lost"]?.intValue, lost > 0 {
            let (sum, overflow) = lostRecordCount.addingReportingOverflow(lost)
            lostRecordCount = overflow ? .max : sum
        }
    }
    /// - Parameter line: the record's place in its log (1-based line, at least; blank lines after it), if read
    ///   from one, so a cut text can be read back whole (``MessageRecordReader``).
    /// - Parameter wholeBytes: set when the reader already cut the text (``Message/wholeBytes``): the whole
    ///   text's size.
    mutating func appendMessage(_ m: MessageEntry, line: (number: Int, slack: Int)? = nil, wholeBytes: Int? = nil) {
        // A message keeps a bounded prefix: 60 messages of 7 MB once held 500 MB for a screen of lines.
        if let wholeBytes {
            var kept = m
            kept.cut = MessageCut(bytes: wholeBytes, line: line?.number, slack: line?.slack ?? 0)
            return messages.append(kept)
        }
        let bytes = m.text.utf8.count
        guard bytes > Self.maxMessageBytes else { return messages.append(m) }
        var kept = m
        kept.text = EventCodec.cappedText(m.text)
        kept.cut = MessageCut(bytes: bytes, line: line?.number, slack: line?.slack ?? 0)
        messages.append(kept)
    }

    /// ``appendMessage(_:line:wholeBytes:)`` for a text given as its UTF-8 bytes (valid UTF-8, as a block
    /// holds them), packed into the ring as they are; a text over ``maxMessageBytes`` goes the String's way.
    mutating func appendMessage(time: Double, level: LogLevel, text: UnsafeBufferPointer<UInt8>, step: String?,
                                line: (number: Int, slack: Int)) {
        guard text.count <= Self.maxMessageBytes else {
            return appendMessage(MessageEntry(time: time, level: level, text: String(decoding: text, as: UTF8.self), step: step),
                                 line: line)
        }
        messages.append { MessageEntry.pack(time: time, level: level, text: UnsafeRawBufferPointer(text), step: step, into: &$0) }
    }

    /// The bytes of a message's text kept in memory (the full text stays in the log).
    static let maxMessageBytes = EventCodec.cappedTextBytes
    mutating func appendDev(_ d: DevEntry) { devEvents.append(d) }
    /// ``appendDev(_:)`` for a dev event read from a log, its message and data's JSON text given as UTF-8
    /// bytes (valid, as a block holds them) and packed into the ring as they are.
    mutating func appendDev(time: Double, message: UnsafeBufferPointer<UInt8>, dataText: UnsafeBufferPointer<UInt8>?) {
        devEvents.append { DevEntry.pack(time: time, message: UnsafeRawBufferPointer(message),
                                         dataText: dataText.map { UnsafeRawBufferPointer($0) }, into: &$0) }
    }
    mutating func appendCustom(_ c: CustomEntry) { customEvents.append(c) }
    /// ``appendCustom(_:)`` for a custom record read from a log: its name, data's JSON text and file given as
    /// UTF-8 bytes (valid, as a block holds them) and packed into the ring as they are.
    mutating func appendCustom(time: Double, name: UnsafeBufferPointer<UInt8>, dataText: UnsafeBufferPointer<UInt8>,
                               file: UnsafeBufferPointer<UInt8>?, step: String?) {
        customEvents.append {
            CustomEntry.pack(time: time, name: UnsafeRawBufferPointer(name), dataText: UnsafeRawBufferPointer(dataText),
                             file: file.map { UnsafeRawBufferPointer($0) }, step: step, into: &$0)
        }
    }
    mutating func appendOutput(_ o: OutputEntry) { output.append(o) }
    /// ``appendOutput(_:)`` for an output line read from a log, its text given as UTF-8 bytes (valid, as a
    /// block holds them).
    mutating func appendOutput(time: Double, stream: OutputLine.Stream, text: UnsafeBufferPointer<UInt8>) {
        output.append { OutputEntry.pack(time: time, stream: stream, text: UnsafeRawBufferPointer(text), into: &$0) }
    }

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
        if u.status == .running, a.status != .running {
            actionStepStart = steps.count
            actionFloor = 0
            actionDeclared = false
        }
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
    package func elapsed(now: Double? = nil) -> Double? {
        guard let start = run.startedAt ?? firstTimestamp else { return nil }
        let end = run.endedAt ?? (run.status?.isFinal == true ? lastTimestamp : nil) ?? now ?? lastTimestamp ?? start
        return Swift.max(0, end - start)
    }

    /// Overall progress, 0...1, by the rule of docs/event-log.md ("Overall progress"), when it is known:
    /// with weights declared, each step's weight times the best fraction it reached, a step that ran inside
    /// another counting as part of it, over the declared total; never below an earlier figure; 1 exactly when
    /// the run completed, at most 0.999 before. For a pipeline: the completed actions plus the running one's
    /// share (its own steps' figure, when it declared weights), over the number of actions.
    ///
    /// `nil` when nothing reported progress, and while nothing declared weights: the number of steps is
    /// unknown then, so no run percent is true (``stepsDone`` says what is known instead).
    package var overallFraction: Double? {
        if run.status == .completed, !steps.isEmpty || !actions.isEmpty { return 1 }
        if !actions.isEmpty {
            let done = actions.filter { $0.status == .completed }.count
            var running = 0.0
            if actionDeclared, actions.contains(where: { $0.status == .running }), actionStepStart < steps.count {
                running = Swift.min(0.999, Swift.max(actionFloor, rawOverall(from: actionStepStart)))
            }
            return Swift.min(0.999, (Double(done) + running) / Double(actions.count))
        }
        guard !steps.isEmpty, declaredTotal > 0 else { return nil }
        return Swift.min(0.999, Swift.max(overallFloor, rawOverall(from: 0)))
    }

    /// `true` when the overall figure uses weights the run declared; `false` when none were declared (and
    /// there is no run percent, only ``stepsDone``).
    package var weightsDeclared: Bool { declaredTotal > 0 }

    /// What is known of a run's progress when no run percent is (``overallFraction`` is `nil`): the steps
    /// standing on their own that are done, and the one the run is in.
    package struct StepsDone: Sendable, Hashable {
        /// Steps standing on their own that are done (reached their total and the run moved past them).
        package var done: Int
        /// The step the run is in (the one that reported last, or the step it runs inside).
        package var current: String?
        /// Its place among the steps standing on their own, from 1.
        package var number: Int?
        /// Its own fraction, 0...1.
        package var fraction: Double?

        /// `1 step done, in step 2: training 45.0%`; `in step 1: upload 85.0%` before any step is done; `2 steps
        /// done` when the step that reported last is done too.
        package var text: String {
            let doneText = "\(done) step\(done == 1 ? "" : "s") done"
            guard let current, let number else { return doneText }
            var step = "in step \(number): \(current)"
            if let fraction { step += " " + NumberFormat.percent(fraction) }
            return done == 0 ? step : doneText + ", " + step
        }
    }

    /// Steps done and the current step, when steps reported progress but no run percent is known.
    package var stepsDone: StepsDone? {
        guard !steps.isEmpty, overallFraction == nil else { return nil }
        var out = StepsDone(done: topLevelStepCounts.done)
        if let a = activeStepIndex {
            let root = steps[a].parent ?? a
            if !isStepDone(root) {
                out.current = steps[root].step
                out.number = steps[...root].filter { $0.parent == nil }.count
                out.fraction = steps[root].progress.fraction
            }
        }
        return out
    }

    /// The declared figure over `steps[start...]`, before the floor and the cap: each step's weight times
    /// its best fraction (a step inside another at that one's), over the declared total; 0 when none is.
    func rawOverall(from start: Int) -> Double {
        guard start < steps.count, declaredTotal > 0 else { return 0 }
        var numerator = 0.0
        for i in start..<steps.count {
            let step = steps[i]
            // A step inside another adds its weight to its root's, at the root's fraction.
            let credit = step.parent.map { $0 >= start ? steps[$0].bestFraction : step.bestFraction } ?? step.bestFraction
            numerator += step.weight * credit
        }
        return Swift.min(1, numerator / declaredTotal)
    }

    /// Whether step `i` counts as done: it reached its total, is not marked failed, the run moved past it
    /// (another step reported since, or the run ended), and, for a step inside another, that one is done.
    package func isStepDone(_ i: Int) -> Bool {
        guard steps.indices.contains(i) else { return false }
        let step = steps[i]
        guard step.reachedTotal, !step.failed else { return false }
        if let root = step.parent, !isStepDone(root) { return false }
        return run.status?.isFinal == true || i != activeStepIndex || step.parent != nil
    }

    /// The steps that stand on their own (not inside another), and how many of them are done.
    package var topLevelStepCounts: (done: Int, total: Int) {
        var done = 0, total = 0
        for i in steps.indices where steps[i].parent == nil {
            total += 1
            if isStepDone(i) { done += 1 }
        }
        return (done, total)
    }

    /// Every numeric metric as (step, name), in table order, then each system figure with samples
    /// (``MetricID/system(_:)``): what `m` cycles through and the chart can draw.
    package var chartableMetrics: [MetricID] {
        var ids: [MetricID] = []
        for step in metrics {
            for entry in step.entries where entry.isNumeric {
                ids.append(MetricID(step: step.step, name: entry.name, category: step.kind == .category))
            }
        }
        for figure in SystemSeries.Figure.allCases where system.history(figure).sampleCount > 0 {
            ids.append(.system(figure))
        }
        return ids
    }

    /// The history the chart draws for an id, and the counter its samples sit on (`nil` for a system
    /// figure: its x is the samples' time); `nil` when the id names nothing numeric.
    package func chartSeries(_ id: MetricID) -> (series: MetricSeries, counter: String?)? {
        if id.system {
            guard let figure = id.systemFigure else { return nil }
            let history = system.history(figure)
            return history.sampleCount > 0 ? (history, nil) : nil
        }
        guard let step = metricStep(of: id), let entry = step.entry(named: id.name), entry.isNumeric,
              let series = entry.series else { return nil }
        return (series, step.counterName)
    }

    /// Whether the chart can draw `id`.
    package func isChartable(_ id: MetricID) -> Bool { chartSeries(id) != nil }

    /// The entry for a metric id.
    package func metric(_ id: MetricID) -> MetricEntry? {
        metricStep(of: id)?.entry(named: id.name)
    }

    /// The step (or category) a metric id names.
    package func metricStep(of id: MetricID) -> StepMetrics? {
        guard !id.system else { return nil }
        return metrics.first { $0.step == id.step && ($0.kind == .category) == id.category }
    }
}

/// Names one metric of one step, or one system figure (charted like a metric).
package struct MetricID: Sendable, Hashable, CustomStringConvertible {
    /// The step (`system` for a system figure).
    package var step: String
    /// The metric's key (a system figure's name: `cpu_percent`, `rss_bytes`, ...).
    package var name: String
    /// `true` for a `log_metric` category's metric, `false` for a step's.
    package var category: Bool
    /// `true` for a system figure from the run's `system` records, kept apart from a step named `system`.
    package var system: Bool

    /// Creates an id.
    package init(step: String, name: String, category: Bool = false, system: Bool = false) {
        self.step = step
        self.name = name
        self.category = category
        self.system = system
    }

    /// The id of a system figure: `system/cpu_percent`, `system/rss_bytes`, `system/io_rate`,
    /// `system/gpu_utilization`, `system/gpu_memory_used`.
    package static func system(_ figure: SystemSeries.Figure) -> MetricID {
        MetricID(step: "system", name: figure.chartName, system: true)
    }

    /// The system figure a system id names.
    package var systemFigure: SystemSeries.Figure? {
        system ? SystemSeries.Figure.allCases.first { $0.chartName == name } : nil
    }

    package var description: String { category ? "\(step)[metric]/\(name)" : "\(step)/\(name)" }
}
