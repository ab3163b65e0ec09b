import SynapsePlugins

/// One run read for an export: the dashboard's state of the whole log, and every numeric sample on the way.
///
/// ``apply(_:sample:)`` hands every numeric sample (metrics, `log_metric` records, `system` figures) to a
/// closure as it goes, so a CSV export streams rows without holding them.
package struct RunRecording: Sendable {
    /// The run's name in the export: its job id, or the file's label.
    package var run: String
    /// The reduced state of the events applied so far.
    package private(set) var state: DashboardState
    /// One numeric sample: one CSV row.
    package struct Sample: Sendable, Equatable {
        package var step: String
        /// The counter the sample is placed on (`epoch`, `global_step`, `time` for system figures), if any.
        package var xName: String?
        package var x: Double
        package var metric: String
        package var value: Double
        package var time: Double
    }

    /// Creates an empty recording; the state keeps every message a default dashboard keeps.
    package init(run: String, capacities: DashboardState.Capacities = .init()) {
        self.run = run
        state = DashboardState(capacities: capacities)
    }

    /// The figures of a `system` record that become samples (step `system`, x = seconds since the start).
    package static let systemStep = "system"

    /// Applies one event and hands each numeric sample it carries to `sample`.
    package mutating func apply(_ event: Event, sample: (Sample) -> Void = { _ in }) {
        state.apply(event)
        let time = event.timestamp
        switch event.payload {
        case .metrics(let object):
            let step = event.step ?? DashboardState.defaultStepName
            var leaves: [(String, Double)] = []
            Self.numericLeaves(object.members, prefix: nil, depth: 0, into: &leaves)
            emit(step: step, category: false, leaves, time: time, sample: sample)
        case .metric(let record):
            let step = record.category.isEmpty ? DashboardState.defaultStepName : record.category
            var leaves: [(String, Double)] = []
            if let key = record.key, let v = Self.number(record.value) { leaves.append((key, v)) }
            Self.numericLeaves(record.metrics.members.filter { $0.0 != record.key }, prefix: nil, depth: 0, into: &leaves)
            emit(step: step, category: true, leaves, time: time, sample: sample)
        case .custom(SystemSample.eventName, .object(let data)):
            let start = state.run.startedAt ?? state.firstTimestamp ?? time
            for (name, value) in Self.systemFigures(SystemSample(json: data)) {
                sample(Sample(step: Self.systemStep, xName: "time", x: ExportText.millis(time - start), metric: name, value: value, time: time))
            }
        default:
            break
        }
    }

    private mutating func emit(step: String, category: Bool, _ leaves: [(String, Double)], time: Double,
                               sample: (Sample) -> Void) {
        let metrics = state.metricStep(of: MetricID(step: step, name: "", category: category))
        for (name, value) in leaves {
            let x = metrics?.entry(named: name)?.series?.lastCounter ?? .nan
            let xName = x.isNaN ? nil : metrics?.counterName
            sample(Sample(step: step, xName: xName, x: x, metric: name, value: value, time: time))
        }
    }

    /// A JSON number as a Double (`nil` for anything else; booleans are not numbers here, as in the table).
    static func number(_ v: JSONValue) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The numeric leaves of a metric dict, nested dicts flattened to dotted names as ``StepMetrics`` does.
    static func numericLeaves(_ members: [(String, JSONValue)], prefix: String?, depth: Int, into out: inout [(String, Double)]) {
        for (key, value) in members {
            let name = prefix.map { $0 + "." + key } ?? key
            if case .object(let inner) = value, depth < StepMetrics.maxDepth {
                numericLeaves(inner.members, prefix: name, depth: depth + 1, into: &out)
            } else if let d = number(value) {
                out.append((name, d))
            }
        }
    }

    /// The figures of a `system` record that are exported, by name (the record's own keys; GPUs as `gpuN.*`).
    package static func systemFigures(_ s: SystemSample) -> [(String, Double)] {
        var out: [(String, Double)] = []
        if let cpu = s.cpuPercent { out.append(("cpu_percent", cpu)) }
        if let cpu = s.cpuMachinePercent, s.cpuPercent != nil { out.append(("cpu_machine_percent", cpu)) }
        out.append(("rss_bytes", Double(s.rssBytes)))
        out.append(("processes", Double(s.processes)))
        out.append(("threads", Double(s.threads)))
        out.append(("open_files", Double(s.openFiles)))
        if let r = s.readRate { out.append(("read_rate", r)) }
        if let w = s.writeRate { out.append(("write_rate", w)) }
        if s.hostMemoryAvailable > 0 { out.append(("host_memory_available", Double(s.hostMemoryAvailable))) }
        out.append(("load1", s.load1))
        for g in s.gpus {
            let p = "gpu\(g.index)."
            if let u = g.utilization { out.append((p + "utilization", u)) }
            if let m = g.memoryUsed { out.append((p + "memory_used", Double(m))) }
            if let t = g.temperature { out.append((p + "temperature", t)) }
            if let w = g.power { out.append((p + "power", w)) }
        }
        return out
    }
}

extension RunRecording {
    /// Counts a line of the log that could not be read.
    package mutating func apply(unreadable line: UnreadableLine) {
        state.apply(unreadable: line)
    }
}
