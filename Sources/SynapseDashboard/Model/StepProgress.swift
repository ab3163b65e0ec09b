import SynapsePlugins

/// The latest progress of one step.
public struct StepProgress: Sendable, Hashable {
    /// The step name shown (``DashboardState/defaultStepName`` for progress logged without a step).
    public var step: String
    /// The latest progress record.
    public var progress: ProgressData
    /// Timestamp of the latest update.
    public var updatedAt: Double
    /// Timestamp of the first update.
    public var startedAt: Double

    /// Creates the progress of a step from its first update.
    public init(step: String, progress: ProgressData, at timestamp: Double) {
        self.step = step
        self.progress = progress
        self.updatedAt = timestamp
        self.startedAt = timestamp
    }

    /// Records a newer update (a `current` of 0 restarts the step's timer, as in the Python SDK).
    @inline(__always)
    public mutating func update(_ newProgress: ProgressData, at timestamp: Double) {
        progress = newProgress
        updatedAt = timestamp
        if newProgress.current == 0 { startedAt = timestamp }
    }

    /// Items per second, from the record's elapsed time (or the updates' timestamps), when known.
    public var rate: Double? {
        let elapsed = progress.elapsed ?? (updatedAt - startedAt)
        guard elapsed > 0, progress.current > 0 else { return nil }
        return Double(progress.current) / elapsed
    }

    /// Seconds left: the record's `time_remaining`, or derived from the rate; 0 when done.
    public var eta: Double? {
        if progress.total > 0, progress.current >= progress.total { return 0 }
        if let remaining = progress.timeRemaining { return remaining }
        guard let rate, rate > 0 else { return nil }
        return Double(progress.total - progress.current) / rate
    }

    /// `true` once current has reached total.
    public var isDone: Bool { progress.total > 0 && progress.current >= progress.total }
}
