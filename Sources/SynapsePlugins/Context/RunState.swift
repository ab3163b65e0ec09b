import Foundation

/// The mutable part of a run, shared by the run's contexts (one per pipeline action) and guarded by one
/// lock so every context method costs one uncontended lock.
///
/// Holding the lock while the logger records keeps records in the order their calls were made and makes
/// "nothing after the final `run_status`" a hard guarantee: ``finish(with:)`` flips `finished` under the
/// same lock.
final class RunState: @unchecked Sendable {
    private struct State {
        var finished = false
        var endLogged = false
        /// Monotonic start time of each step's progress timer (`nil` step is stored under `""`).
        var stepTimers: [String: UInt64] = [:]
        /// The step of the last progress update and its timer's start (a copy of its `stepTimers` entry).
        var lastStep: (key: String, start: UInt64)?
    }
    /// Every `ctx` call takes this lock once (see ``LockedState`` for why the state sits behind it).
    private let state = LockedState(State())

    let logger: any PluginLogger

    init(logger: any PluginLogger) {
        self.logger = logger
    }

    var isFinished: Bool {
        state.withLock { $0.finished }
    }

    /// Records `event` unless the run has finished. Returns whether it was recorded.
    @discardableResult
    func emit(_ event: consuming Event) -> Bool {
        state.withLock(passing: event) { state, event in
            guard !state.finished else { return false }
            logger.record(event)
            return true
        }
    }

    /// Records the `end` record the first time it is asked to; later calls do nothing.
    func emitEnd() {
        state.withLock { state in
            guard !state.finished, !state.endLogged else { return }
            state.endLogged = true
            logger.record(Event(payload: .end))
        }
    }

    /// Computes a progress record the way the Python SDK does and records it.
    func emitProgress(current: Int, total: Int, step: String?) {
        let now = MonotonicClock.nanoseconds()
        state.withLock { emitProgressLocked(&$0, current: current, total: total, step: step, now: now) }
    }

    private func emitProgressLocked(_ state: inout State, current: Int, total: Int, step: String?, now: UInt64) {
        guard !state.finished else { return }
        let key = step ?? ""
        // The timer of a step restarts when current is 0, and starts on the step's first update.
        let start: UInt64
        if current != 0, let last = state.lastStep, last.key == key {
            // A loop updates one step many times in a row: skip hashing the step's name every call.
            start = last.start
        } else if current != 0, let known = state.stepTimers[key] {
            start = known
        } else {
            state.stepTimers[key] = now
            start = now
        }
        state.lastStep = (key, start)
        let elapsed = Double(now &- start) / 1e9
        let remaining: Double? = current > 0 ? elapsed / Double(current) * Double(max(0, total - current)) : nil
        let progress = ProgressData(current: current, total: total, step: step,
                                    elapsed: Self.round2(elapsed), timeRemaining: remaining.map(Self.round2))
        logger.record(Event(step: step, payload: .progress(progress)))
    }

    /// Writes `end` (when nobody did), then the final status, flushes, and refuses everything after.
    /// Returns `false` when the run had already finished.
    @discardableResult
    func finish(with final: Event) -> Bool {
        let first = state.withLock { state -> Bool in
            guard !state.finished else { return false }
            if !state.endLogged {
                state.endLogged = true
                logger.record(Event(payload: .end))
            }
            logger.record(final)
            state.finished = true
            return true
        }
        guard first else { return false }
        // Outside the lock: flushing may do I/O, and no record can arrive any more.
        logger.flush()
        return true
    }

    /// Python rounds the derived figures to two decimals.
    static func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
}
