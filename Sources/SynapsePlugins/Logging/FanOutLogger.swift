/// Hands every event to several loggers, in order (the job's log first, then the screen, say).
public final class FanOutLogger: PluginLogger {
    /// The loggers events go to.
    public let loggers: [any PluginLogger]

    /// Fans out to `loggers`, in this order.
    public init(_ loggers: [any PluginLogger]) {
        self.loggers = loggers
    }

    /// Records one event.
    public func record(_ event: consuming Event) {
        // Every sink but the last gets a copy; the last keeps the caller's event.
        let last = loggers.count - 1
        guard last >= 0 else { return }
        for i in 0..<last { loggers[i].record(copy event) }
        loggers[last].record(event)
    }

    /// Writes out whatever is buffered.
    public func flush() {
        for logger in loggers { logger.flush() }
    }
}
