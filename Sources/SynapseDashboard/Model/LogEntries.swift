import SynapsePlugins

/// A user-facing message as the Messages pane shows it.
public struct MessageEntry: Sendable, Hashable {
    /// Epoch seconds.
    public var time: Double
    /// Severity (`info` when the record had none).
    public var level: LogLevel
    /// The text as logged (sanitised when drawn, not here).
    public var text: String
    /// The step it was logged within, if any.
    public var step: String?
}

/// A development event as the Dev pane shows it.
public struct DevEntry: Sendable, Hashable {
    /// Epoch seconds.
    public var time: Double
    /// The event's message.
    public var message: String
    /// Its data, if any.
    public var data: JSONValue?
}

/// A custom `log(event, data, file)` record, or a record of a kind this version does not know.
public struct CustomEntry: Sendable, Hashable {
    /// Epoch seconds.
    public var time: Double
    /// The event name (`checkpoint`, `prediction`, ...).
    public var name: String
    /// The payload.
    public var data: JSONValue
    /// The associated file, if any.
    public var file: String?
    /// The step it was logged within, if any.
    public var step: String?
}

/// A plain line of a child process's output.
public struct OutputEntry: Sendable, Hashable {
    /// Epoch seconds.
    public var time: Double
    /// Which stream it came from.
    public var stream: OutputLine.Stream
    /// The line.
    public var text: String
}
