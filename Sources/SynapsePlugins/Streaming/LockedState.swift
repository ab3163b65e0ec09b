/// State that is only ever touched under a lock: what `Synchronization.Mutex<State>` is, plus what it lacks
/// here: a condition to wait on (``waitOnce(on:seconds:until:)``) and a value moved in under the lock
/// (``withLock(passing:_:)``).
///
/// Why not a ``PThreadMutex`` next to a class's `var`s: every access to a class's stored `var` from a
/// closure is checked for exclusivity at run time, which cost more than the append it guarded on the path
/// every `ctx` call takes (docs/benchmarks.md, "The figures behind the code"). Here the state lives behind a
/// pointer, whose accesses are not checked at run time: the lock is the check.
final class LockedState<State>: @unchecked Sendable {
    private let mutex = PThreadMutex()
    private let state: UnsafeMutablePointer<State>

    init(_ initial: State) {
        state = .allocate(capacity: 1)
        state.initialize(to: initial)
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Runs `body` with the lock held and the state lent to it.
    @inline(__always)
    func withLock<T>(_ body: (inout State) throws -> T) rethrows -> T {
        try mutex.withLock { try body(&state.pointee) }
    }

    /// Runs `body` with the lock held, handing it `value` to keep (moved, not copied: an event appended to
    /// a queue this way costs no retain of its contents).
    @inline(__always)
    func withLock<Value, T>(passing value: consuming Value, _ body: (inout State, consuming Value) throws -> T) rethrows -> T {
        // Not through `mutex.withLock`: a closure cannot pass on a value it captured without copying it.
        mutex.lock()
        defer { mutex.unlock() }
        return try body(&state.pointee, value)
    }

    /// Under the lock: returns `true` at once when `done(state)` holds; otherwise waits on `condition`
    /// (the lock released meanwhile) for at most `seconds` and returns `done(state)` then.
    ///
    /// The state is read afresh through its pointer after the wait, never through an `inout` held across
    /// it (other threads change it meanwhile).
    func waitOnce(on condition: PThreadCondition, seconds: Double, until done: (State) -> Bool) -> Bool {
        mutex.withLock {
            if done(state.pointee) { return true }
            mutex.wait(condition, seconds: seconds)
            return done(state.pointee)
        }
    }
}
