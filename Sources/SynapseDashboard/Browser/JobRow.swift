import SynapsePlugins

/// One job as the jobs browser lists it: what `jobs` shows, plus the run's metrics (last and best) so a key
/// metric can be picked. Built by the CLI from a job's log (or a Ray job); pure data here.
package struct JobRow: Sendable, Hashable {
    /// One numeric metric of the run: its label (`training/loss`), latest value and best (when its name says
    /// which way is better).
    package struct Metric: Sendable, Hashable {
        /// `step/name`, or the name alone for a run without steps.
        package var name: String
        package var last: Double?
        package var best: Double?

        /// A metric.
        package init(name: String, last: Double?, best: Double?) {
            self.name = name
            self.last = last
            self.best = best
        }
    }

    /// The full job id (Ray: the submission id).
    package var id: String
    /// The action, or `-` when the log names none.
    package var action: String?
    /// The status word: `running`, `completed`, `failed`, `cancelled`, `pending`, `lost`, `unknown`.
    package var status: String
    /// `true` while the run is going (not final, not lost): `c` can cancel it.
    package var isLive: Bool
    /// The overall figure (0...1) and the main step's counts.
    package var fraction: Double?
    package var current: Int?
    package var total: Int?
    /// When the run started (epoch seconds) and for how long it ran (to `now` while live).
    package var started: Double?
    package var duration: Double?
    /// Every numeric metric the run reported, in the order it first reported them.
    package var metrics: [Metric]
    /// The run's params as one line (`epochs=50 api_key=********`), secret-looking values already masked by
    /// whoever built the row; shown on wide screens.
    package var params: String?

    /// A row.
    package init(id: String, action: String? = nil, status: String = "unknown", isLive: Bool = false,
                fraction: Double? = nil, current: Int? = nil, total: Int? = nil, started: Double? = nil,
                duration: Double? = nil, metrics: [Metric] = [], params: String? = nil) {
        self.id = id
        self.action = action
        self.status = status
        self.isLive = isLive
        self.fraction = fraction
        self.current = current
        self.total = total
        self.started = started
        self.duration = duration
        self.metrics = metrics
        self.params = params
    }

    /// Whether the run has ended (completed, failed, cancelled) or its writer is gone (`lost`): only such a
    /// job's folder may be deleted.
    package var isFinished: Bool { ["completed", "failed", "cancelled", "lost", "stopped", "succeeded"].contains(status) }

    /// The metric the browser shows for this row: the one picked for its action when the run has it, else
    /// the first one the run reported.
    package func keyMetric(picked: String?) -> Metric? {
        if let picked, let m = metrics.first(where: { $0.name == picked }) { return m }
        return metrics.first
    }
}
