/// What `synapse-tui jobs` shows about one job, derived from its event log.
package struct JobSummary: Sendable, Hashable {
    /// The job id (its folder name).
    package var id: String
    /// The action (or `a>b>c` pipeline) the job ran.
    package var action: String?
    /// The latest run status; `nil` when the log holds none (an empty or foreign log).
    package var status: RunStatus?
    /// The progress of the main step: of the steps reported since the current pipeline action started,
    /// the one with the largest total (`training` 50 rather than `validation` 3), at its latest record.
    package var progress: ProgressData? {
        stepProgress.values.max { a, b in (a.total, a.step ?? "") < (b.total, b.step ?? "") }
    }
    /// The latest progress record of each step.
    package var stepProgress: [String: ProgressData] = [:]
    /// When the run was first recorded (epoch seconds).
    package var started: Double?
    /// When the run reached a final status (epoch seconds).
    package var finished: Double?
    /// When the log last changed (epoch seconds).
    package var modified: Double?
    /// The error of a failed or cancelled run.
    package var error: RunError?

    /// An empty summary; fold events in with ``apply(_:)``.
    package init(id: String) {
        self.id = id
    }

    /// Seconds from start to finish, or to `now` while the run is going.
    package func duration(now: Double = Event.now()) -> Double? {
        guard let started else { return nil }
        if let finished { return max(0, finished - started) }
        // A log with no final status whose writer is gone: stop at its last change.
        if status?.isFinal != true, let modified, now - modified > 60 { return max(0, modified - started) }
        return max(0, now - started)
    }

    /// Folds one event into the summary (events in log order).
    package mutating func apply(_ event: Event) {
        if started == nil, event.timestamp > 0 { started = event.timestamp }
        switch event.payload {
        case .runStatus(let u):
            if action == nil, let name = u.action { action = name }
            status = u.status
            if u.status.isFinal {
                finished = event.timestamp
                error = u.error
            }
        case .progress(let p):
            stepProgress[p.step ?? ""] = p
        case .actionStatus(let u) where u.status == .running:
            stepProgress.removeAll()
        default:
            break
        }
    }
}
