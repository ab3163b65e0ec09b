import SynapsePlugins

/// The latest progress of one step, and what the overall figure needs to know about its history.
///
/// See docs/event-log.md, "Overall progress", for the rule these fields serve.
package struct StepProgress: Sendable, Hashable {
    /// The step name shown (``DashboardState/defaultStepName`` for progress logged without a step).
    package var step: String
    /// The latest progress record.
    package var progress: ProgressData
    /// Timestamp of the latest update.
    package var updatedAt: Double
    /// Timestamp of the first update.
    package var startedAt: Double
    /// The current pass, from 1: a step whose `current` goes back (a validation pass every N epochs) starts
    /// a new pass instead of looking done-then-undone.
    package var pass = 1
    /// The largest fraction any pass reached: what the step contributes to the overall figure, so that a
    /// restart never takes progress back.
    package var bestFraction: Double
    /// `true` once a record reached its total (sticky across later passes).
    package var reachedTotal: Bool
    /// `true` while the latest record says the run marked the step failed.
    package var failed: Bool
    /// The step this one runs inside: set when it first reported while that step was unfinished (a
    /// validation pass between training epochs). Its work counts as part of that step's.
    package var parent: Int?
    /// The step's weight, fixed when it first reported (declared, or assigned by the rule in force).
    package var weight: Double
    /// `true` when the weight was declared by the run (`step_proportions`).
    package var declared: Bool
    /// Position of the first and latest update among all progress updates (orders steps' reports).
    package var firstSequence: Int
    /// See ``firstSequence``.
    package var lastSequence: Int

    /// Creates the progress of a step from its first update.
    package init(step: String, progress: ProgressData, at timestamp: Double) {
        self.step = step
        self.progress = progress
        self.updatedAt = timestamp
        self.startedAt = timestamp
        bestFraction = progress.fraction
        reachedTotal = progress.total > 0 && progress.current >= progress.total
        failed = progress.failed
        parent = nil
        weight = 1
        declared = false
        firstSequence = 0
        lastSequence = 0
    }

    /// Records a newer update (a `current` of 0 restarts the step's timer, as in the Python SDK; a
    /// `current` below the previous one starts a new pass).
    @inline(__always)
    package mutating func update(_ newProgress: ProgressData, at timestamp: Double) {
        if newProgress.current < progress.current, !newProgress.failed { pass += 1 }
        progress = newProgress
        noteUpdate(at: timestamp)
    }

    /// ``update(_:at:)`` with a plain record's fields (not failed, not a bare percent), written into the
    /// kept progress: the step's name is set only when it differs, so a block's line costs no copy of it.
    @inline(__always)
    package mutating func update(current: Int, total: Int, step: String?, elapsed: Double?, timeRemaining: Double?,
                                 at timestamp: Double) {
        if current < progress.current { pass += 1 }
        progress.current = current
        progress.total = total
        if progress.step != step { progress.step = step }
        progress.elapsed = elapsed
        progress.timeRemaining = timeRemaining
        progress.failed = false
        progress.percentOnly = false
        noteUpdate(at: timestamp)
    }

    /// What an update changes besides the record kept.
    @inline(__always)
    private mutating func noteUpdate(at timestamp: Double) {
        updatedAt = timestamp
        if progress.current == 0 { startedAt = timestamp }
        let fraction = progress.fraction
        if fraction > bestFraction { bestFraction = fraction }
        if progress.total > 0, progress.current >= progress.total { reachedTotal = true }
        failed = progress.failed
    }

    /// Items per second, from the record's elapsed time (or the updates' timestamps), when known.
    package var rate: Double? {
        let elapsed = progress.elapsed ?? (updatedAt - startedAt)
        // A percentage is no count of items: its "rate" would be invented.
        guard elapsed > 0, progress.current > 0, !progress.percentOnly else { return nil }
        return Double(progress.current) / elapsed
    }

    /// Seconds left: the record's `time_remaining`, or derived from the rate; 0 when done.
    package var eta: Double? {
        if progress.total > 0, progress.current >= progress.total { return 0 }
        if let remaining = progress.timeRemaining { return remaining }
        guard let rate, rate > 0 else { return nil }
        return (Double(progress.total) - Double(progress.current)) / rate
    }

    /// `true` while the latest record is at its total (the current pass is complete). Whether the step
    /// counts as done is ``DashboardState/isStepDone(_:)``'s call: the run must also have moved past it.
    package var isDone: Bool { progress.total > 0 && progress.current >= progress.total }
}
