/// Progress of one step: the spec's `ProgressData` (`current`, `total`, `step`) plus the figures the
/// Python SDK derives for every update (percent, elapsed time, time remaining).
public struct ProgressData: Sendable, Hashable {
    /// Current progress value (0 to total).
    public var current: Int
    /// Total progress value.
    public var total: Int
    /// Step name for multi-phase progress; `nil` is the default step.
    public var step: String?
    /// Seconds since this step's timer started (it restarts when `current` is 0), when known.
    public var elapsed: Double?
    /// Estimated seconds left: `elapsed / current * (total - current)`, when `current > 0`.
    public var timeRemaining: Double?
    /// `true` when the run marked the step failed (synapse-sdk's `set_progress_failed`; `data.status` `failed`).
    public var failed: Bool
    /// `true` when only a percentage is known (`current` is the percent, `total` 100 or 10000): the SDK's
    /// tqdm bar and `Progress: x%` lines carry no counts. Shown as a percent, with no counts or rate
    /// (`data.unit` `"%"` in the log).
    public var percentOnly: Bool

    /// Progress of `current` out of `total`, optionally for a step and with its timing.
    public init(current: Int, total: Int, step: String? = nil, elapsed: Double? = nil, timeRemaining: Double? = nil,
                failed: Bool = false, percentOnly: Bool = false) {
        self.current = current
        self.total = total
        self.step = step
        self.elapsed = elapsed
        self.timeRemaining = timeRemaining
        self.failed = failed
        self.percentOnly = percentOnly
    }

    /// `round(current / total * 100, 2)`, as the Python SDK computes it; 0 when total is 0.
    public var percent: Double {
        guard total > 0 else { return 0 }
        return (Double(current) / Double(total) * 10_000).rounded() / 100
    }

    /// The fraction done, clamped to 0...1.
    public var fraction: Double {
        guard total > 0 else { return 0 }
        return min(1, max(0, Double(current) / Double(total)))
    }
}
