/// Hands every event to several loggers, in order (the job's log first, then the screen, say).
public final class FanOutLogger: PluginLogger {
    /// The loggers events go to.
    public let loggers: [any PluginLogger]

    /// Fans out to `loggers`, in this order.
    public init(_ loggers: [any PluginLogger]) {
        self.loggers = loggers
    }

    public func record(_ event: Event) {
        for logger in loggers { logger.record(event) }
    }

    public func flush() {
        for logger in loggers { logger.flush() }
    }
}
