import SynapsePlugins

extension DashboardState {
    /// Applies one event: the dashboard's whole reducer. Pure, O(1) amortised, never fails.
    package mutating func apply(_ event: Event) {
        let time = event.timestamp
        noteTimestamp(time)
        switch event.payload {
        case .runStatus(let u):
            applyRunStatus(u, time)
        case .actionStatus(let u):
            updateAction(u, time)
        case .progress(let p):
            let name = event.step ?? p.step ?? Self.defaultStepName
            guard let i = progressSlot(name, total: p.total, time) else { return }
            updateProgress(i, p, time)
        case .metrics(let object):
            mergeMetrics(event.step ?? Self.defaultStepName, object, time: time)
        case .metric(let record):
            applyMetricRecord(record, time: time)
        case .message(let m):
            appendMessage(MessageEntry(time: time, level: event.level ?? .info, text: m.content, step: event.step),
                          wholeBytes: m.wholeBytes)
        case .devEvent(let d):
            appendDev(DevEntry(time: time, event: d))
        case .output(let line):
            appendOutput(OutputEntry(time: time, stream: line.stream, text: line.text))
        case .end:
            noteEnd()
        case .custom("step_proportions", let data):
            declareWeights(data)
        case .custom(SystemSample.eventName, .object(let data)):
            system.add(SystemSample(json: data), time: time)
        case .custom(let name, let data):
            if name == "log_gap" { noteLogGap(data) }
            appendCustom(CustomEntry(time: time, name: name, data: data, file: event.file, step: event.step))
        }
    }

    /// Applies events in order.
    @inlinable
    package mutating func apply<S: Sequence>(_ events: S) where S.Element == Event {
        for event in events { apply(event) }
    }

    private mutating func applyRunStatus(_ u: RunStatusUpdate, _ time: Double) {
        run.status = u.status
        if let action = u.action { run.action = action }
        if let jobID = u.jobID { run.jobID = jobID }
        if let params = u.params { run.params = params }
        if let result = u.result { run.result = result }
        if let error = u.error { run.error = error }
        if time > 0 {
            if u.status == .running {
                if run.startedAt == nil { run.startedAt = time }
                run.endedAt = nil
            }
            if u.status.isFinal { run.endedAt = time }
        }
    }
}
