import SynapsePlugins

/// A user-facing message as the Messages pane shows it.
package struct MessageEntry: Sendable, Hashable {
    /// Epoch seconds.
    package var time: Double
    /// Severity (`info` when the record had none).
    package var level: LogLevel
    /// The text as logged (sanitised when drawn, not here).
    package var text: String
    /// The step it was logged within, if any.
    package var step: String?
    /// Set when ``text`` is only the first ``DashboardState/maxMessageBytes`` of the record's text.
    package var cut: MessageCut?
}

/// Where the whole text of a message cut in memory lies: only its size and the place of its record, so memory
/// stays bounded and the detail view can read the text back from the log on demand.
package struct MessageCut: Sendable, Hashable {
    /// UTF-8 bytes of the whole text.
    package var bytes: Int
    /// The record's 1-based line in the log, at least (blank lines are not counted in blocks), or `nil` when the
    /// message did not come from a log file.
    package var line: Int?
    /// How many lines past ``line`` the record may lie (the blank lines of its block).
    package var slack: Int

    package init(bytes: Int, line: Int?, slack: Int) {
        self.bytes = bytes
        self.line = line
        self.slack = slack
    }

    // The place is a hint for reading back, not part of the run: a log reduced from blocks or from events
    // gives equal states.
    package static func == (a: MessageCut, b: MessageCut) -> Bool { a.bytes == b.bytes }
    package func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}

/// A development event as the Dev pane shows it.
package struct DevEntry: Sendable, Hashable {
    /// Epoch seconds.
    package var time: Double
    /// The event (its data read from the log only when shown or searched).
    package var event: DevEvent
    /// The event's message.
    package var message: String { event.message }
    /// Its data, if any.
    package var data: JSONValue? { event.data }

    package init(time: Double, event: DevEvent) {
        self.time = time
        self.event = event
    }

    package init(time: Double, message: String, data: JSONValue?) {
        self.init(time: time, event: DevEvent(message: message, data: data))
    }
}

/// A custom `log(event, data, file)` record, or a record of a kind this version does not know.
package struct CustomEntry: Sendable, Hashable {
    /// Epoch seconds.
    package var time: Double
    /// The event name (`checkpoint`, `prediction`, ...).
    package var name: String
    /// The payload.
    package var data: JSONValue
    /// The associated file, if any.
    package var file: String?
    /// The step it was logged within, if any.
    package var step: String?
}

/// A plain line of a child process's output.
package struct OutputEntry: Sendable, Hashable {
    /// Epoch seconds.
    package var time: Double
    /// Which stream it came from.
    package var stream: OutputLine.Stream
    /// The line.
    package var text: String
}
