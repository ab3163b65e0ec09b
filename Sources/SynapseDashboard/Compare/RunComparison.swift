import SynapsePlugins

/// Several runs side by side (`synapse-tui compare`, the jobs browser's marked runs): each run's reduced
/// state, fed by its own source, and what the comparison view derives from them (``Summary``).
///
/// Pure: the runs' events go in through ``apply(_:run:)``; nothing here reads a file or a clock.
package struct RunComparison: Sendable {
    /// The most runs one comparison holds (the chart's distinct colour roles and marks).
    package static let maxRuns = 8

    /// One run being compared.
    package struct Run: Sendable {
        /// What names the source when the log does not (the job id, or the file's name).
        package var source: String
        /// The run, reduced from its events.
        package var state: DashboardState
        /// The writer's last proof of life when a reader found it gone (a `lost` run).
        package var lostSince: Double?
        /// The writer's host, when known.
        package var host: String?

        /// A run with no events yet.
        package init(source: String, capacities: DashboardState.Capacities = Run.capacities) {
            self.source = source
            state = DashboardState(capacities: capacities)
        }

        /// What a compared run keeps: its metrics in full, only a few of its messages (the view shows none).
        package static let capacities = DashboardState.Capacities(messages: 16, devEvents: 1, customEvents: 16, output: 1)
    }

    /// The runs, in the order given.
    package var runs: [Run]

    /// Runs with no events yet, one per source name.
    package init(sources: [String]) {
        runs = sources.map { Run(source: $0) }
    }

    /// Applies events of run `index` (out of range: ignored).
    package mutating func apply(_ events: ArraySlice<Event>, run index: Int) {
        guard runs.indices.contains(index) else { return }
        runs[index].state.apply(events)
    }

    /// Applies a notice of run `index`'s source (an unreadable line, a block of lines, a restart).
    package mutating func apply(_ notice: SourceNotice, run index: Int) {
        guard runs.indices.contains(index) else { return }
        runs[index].state.apply(notice)
    }

    /// `true` while any run has no final status and no lost writer (the view follows them).
    package var isLive: Bool {
        runs.contains { $0.state.run.status?.isFinal != true && $0.lostSince == nil }
    }

    /// What the view shows, derived at `now` (a running run's duration; `nil`: its latest event).
    package func summary(now: Double? = nil) -> Summary { Summary(self, now: now) }
}

extension RunComparison {
    /// Everything the comparison view and `compare --print` show, derived from the runs: each run's
    /// ``RunSummary`` (status, duration, params with secrets masked), the params that differ and the label
    /// they give each run, the union of the runs' metrics with each run's last and best value and which
    /// run is best.
    package struct Summary: Sendable {
        /// Each run's summary, in order.
        package var runs: [RunSummary]
        /// Each run's label: the params that tell it apart (`lr=0.01`), else its short id.
        package var labels: [String]
        /// Each run's short id: the first 8 characters of its job id (more when two share them), or the
        /// source's name when the log names no job.
        package var shortIDs: [String]
        /// The names of the params whose values differ between runs, in order of first appearance.
        package var differingParams: [String]
        /// The value of each differing param per run (`nil`: the run has no such param), as shown.
        package var paramValues: [[String?]]
        /// Every metric any run has (counters left out), in order of first appearance over the runs, then
        /// the system figures any run sampled.
        package var metrics: [Row]

        /// One metric across the runs.
        package struct Row: Sendable {
            /// The metric.
            package var id: MetricID
            /// Each run's summary of it (`nil`: the run never logged it).
            package var values: [MetricSummary?]
            /// The runs whose best is the best of all (by the metric's goal); empty when it has no goal.
            package var bestRuns: Set<Int>
            /// Which way it improves, when its name says.
            package var goal: MetricSummary.Goal?
        }

        init(_ comparison: RunComparison, now: Double?) {
            runs = comparison.runs.map { RunSummary(state: $0.state, lostSince: $0.lostSince, host: $0.host, now: now) }
            shortIDs = Self.shortIDs(comparison.runs.indices.map { comparison.runs[$0].state.run.jobID ?? comparison.runs[$0].source })
            (differingParams, paramValues) = Self.differences(runs.map(\.params))
            labels = Self.labels(names: differingParams, values: paramValues, shortIDs: shortIDs)
            metrics = Self.rows(runs) + Self.systemRows(comparison.runs.map(\.state))
        }

        /// The system figures any run sampled, after the metrics: charted and compared like them (on the
        /// time axis), with each run's last value and no best.
        static func systemRows(_ states: [DashboardState]) -> [Row] {
            SystemSeries.Figure.allCases.compactMap { figure in
                let values: [MetricSummary?] = states.map { state in
                    let history = state.system.history(figure)
                    return history.sampleCount > 0 ? MetricSummary(system: figure, series: history) : nil
                }
                guard values.contains(where: { $0 != nil }) else { return nil }
                return Row(id: .system(figure), values: values, bestRuns: [], goal: nil)
            }
        }

        /// The shortest prefixes of at least 8 characters that tell the ids apart (whole ids when shorter).
        static func shortIDs(_ ids: [String]) -> [String] {
            var length = 8
            while length < (ids.map(\.count).max() ?? 0) {
                // Two runs of one job are the same id: only different ids must differ when cut.
                if Set(ids.map { $0.prefix(length) }).count == Set(ids).count { break }
                length += 1
            }
            return ids.map { ExportText.clean(String($0.prefix(length)), keepNewlines: false) }
        }

        /// A param value as the view shows it: strings as they are, anything else as JSON.
        static func text(_ v: JSONValue) -> String {
            if case .string(let s) = v { return ExportText.clean(s, keepNewlines: false) }
            return ExportText.clean(v.jsonText, keepNewlines: false)
        }

        /// The params (already masked) whose values are not the same in every run; a param missing from a
        /// run differs from any value. Params that are not an object count as one param, `params`.
        static func differences(_ params: [JSONValue?]) -> ([String], [[String?]]) {
            let members: [[(String, JSONValue)]] = params.map { p in
                switch p {
                case .object(let o)?: return o.members
                case let other?: return [("params", other)]
                case nil: return []
                }
            }
            var names: [String] = []
            var seen: Set<String> = []
            for m in members { for (k, _) in m where seen.insert(k).inserted { names.append(k) } }
            var differing: [String] = []
            var values: [[String?]] = []
            for name in names {
                let column: [String?] = members.map { m in m.first { $0.0 == name }.map { text($0.1) } }
                if Set(column.map { $0 ?? "\u{0}missing" }).count > 1 {
                    differing.append(ExportText.clean(name, keepNewlines: false))
                    values.append(column)
                }
            }
            // Per run: the values of the differing params, in the names' order.
            let perRun = params.indices.map { r in values.map { $0[r] } }
            return (differing, perRun)
        }

        /// `lr=0.01 batch=32` from the params that differ (those the run has), or the short id when that
        /// is empty or another run has the same label.
        static func labels(names: [String], values: [[String?]], shortIDs: [String]) -> [String] {
            let fromParams: [String] = values.map { run in
                zip(names, run).compactMap { name, value in value.map { "\(name)=\($0)" } }.joined(separator: " ")
            }
            return fromParams.indices.map { i in
                let label = fromParams[i]
                let shared = fromParams.indices.contains { $0 != i && fromParams[$0] == label }
                return label.isEmpty || shared ? shortIDs[i] : label
            }
        }

        static func rows(_ runs: [RunSummary]) -> [Row] {
            var ids: [MetricID] = []
            var seen: Set<MetricID> = []
            for r in runs { for m in r.metrics where seen.insert(m.id).inserted { ids.append(m.id) } }
            return ids.map { id in
                let values = runs.map { r in r.metrics.first { $0.id == id } }
                let goal = MetricSummary.Goal.of(id.name)
                var best: Set<Int> = []
                let bests = values.enumerated().compactMap { i, m in m?.best.map { (i, $0) } }
                if let goal, let top = goal == .minimum ? bests.map(\.1).min() : bests.map(\.1).max() {
                    best = Set(bests.filter { $0.1 == top }.map(\.0))
                }
                return Row(id: id, values: values, bestRuns: best, goal: goal)
            }
        }
    }
}
