import Foundation

/// Keeps every event in memory: the logger tests use (like swift-log's `InMemoryLogging`).
public final class MemoryLogger: PluginLogger, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Event] = []  // guarded by lock
    private var flushes = 0  // guarded by lock

    /// An empty in-memory logger.
    public init() {}

    /// Records one event.
    public func record(_ event: Event) {
        lock.lock()
        recorded.append(event)
        lock.unlock()
    }

    /// Writes out whatever is buffered.
    public func flush() {
        lock.lock()
        flushes += 1
        lock.unlock()
    }

    /// Everything recorded so far, in order.
    public var events: [Event] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    /// How many times ``flush()`` was called.
    public var flushCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return flushes
    }

    /// Forgets everything recorded.
    public func clear() {
        lock.lock()
        recorded.removeAll()
        lock.unlock()
    }
}
