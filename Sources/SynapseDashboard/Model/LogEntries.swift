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

// Kept in ``PackedRing``s: a record of plain values each, texts in the ring's bytes (one after another, so
// an entry's bytes end where its last text does).

extension MessageEntry: RingPackable {
    package struct Packed: Sendable {
        var time: Double
        var level: LogLevel
        var text: Int
        var textBytes: Int
        /// The step's bytes follow the text's; -1: no step.
        var stepBytes: Int
        var cut: MessageCut?
    }

    package func pack(into bytes: inout ByteQueue) -> Packed {
        var text = text
        return text.withUTF8 { Self.pack(time: time, level: level, text: UnsafeRawBufferPointer($0), step: step, cut: cut, into: &bytes) }
    }

    /// ``pack(into:)`` for an entry whose text is given as its UTF-8 bytes.
    static func pack(time: Double, level: LogLevel, text: UnsafeRawBufferPointer, step: String?, cut: MessageCut? = nil,
                     into bytes: inout ByteQueue) -> Packed {
        let at = bytes.append(text)
        let textEnd = bytes.end
        let stepBytes = bytes.append(optional: step)
        return Packed(time: time, level: level, text: at, textBytes: textEnd - at, stepBytes: stepBytes, cut: cut)
    }

    package init(unpacking p: Packed, from bytes: ByteQueue) {
        let textEnd = p.text + p.textBytes
        self.init(time: p.time, level: p.level, text: bytes.string(at: p.text, count: p.textBytes),
                  step: bytes.string(at: textEnd, optionalCount: p.stepBytes), cut: p.cut)
    }

    package static func end(of p: Packed) -> Int { p.text + p.textBytes + max(0, p.stepBytes) }
}

extension DevEntry: RingPackable {
    package struct Packed: Sendable {
        var time: Double
        var message: Int
        var messageBytes: Int
        /// The data's JSON text follows the message's.
        var dataBytes: Int
        var data: DataForm
    }

    /// How the data was held: as a log's text (read when shown), as a value (written as JSON here, read
    /// back exactly when shown), or none.
    package enum DataForm: Sendable { case none, text, value }

    package func pack(into bytes: inout ByteQueue) -> Packed {
        let at = bytes.append(event.message)
        let messageEnd = bytes.end
        let form: DataForm
        if let text = event.dataText {
            bytes.append(text)
            form = .text
        } else if let value = event.data {
            bytes.write(value)
            form = .value
        } else {
            form = .none
        }
        return Packed(time: time, message: at, messageBytes: messageEnd - at, dataBytes: bytes.end - messageEnd, data: form)
    }

    /// ``pack(into:)`` for a dev event read from a log: its message and its data's JSON text (if any) as
    /// UTF-8 bytes.
    static func pack(time: Double, message: UnsafeRawBufferPointer, dataText: UnsafeRawBufferPointer?,
                     into bytes: inout ByteQueue) -> Packed {
        let at = bytes.append(message)
        let messageEnd = bytes.end
        if let dataText { bytes.append(dataText) }
        return Packed(time: time, message: at, messageBytes: messageEnd - at, dataBytes: bytes.end - messageEnd,
                      data: dataText == nil ? .none : .text)
    }

    package init(unpacking p: Packed, from bytes: ByteQueue) {
        let message = bytes.string(at: p.message, count: p.messageBytes)
        let text = bytes.string(at: p.message + p.messageBytes, count: p.dataBytes)
        switch p.data {
        case .none: self.init(time: p.time, event: DevEvent(message: message))
        case .text: self.init(time: p.time, event: DevEvent(message: message, dataText: text))
        case .value: self.init(time: p.time, event: DevEvent(message: message, data: (try? JSONParser.parse(text)) ?? .string(text)))
        }
    }

    package static func end(of p: Packed) -> Int { p.message + p.messageBytes + p.dataBytes }
}

// A value is kept as the JSON text the log writer would write, and read back exactly; one nested deeper
// than the parser reads (512 levels, past what a log can hold) comes back as that text, a string.

extension CustomEntry: RingPackable {
    package struct Packed: Sendable {
        var time: Double
        var name: Int
        var nameBytes: Int
        /// The data's JSON text, then the file's and the step's bytes, follow the name's; -1: none.
        var dataBytes: Int
        var fileBytes: Int
        var stepBytes: Int
    }

    package func pack(into bytes: inout ByteQueue) -> Packed {
        let at = bytes.append(name)
        let nameEnd = bytes.end
        bytes.write(data)
        let dataEnd = bytes.end
        let fileBytes = bytes.append(optional: file)
        let stepBytes = bytes.append(optional: step)
        return Packed(time: time, name: at, nameBytes: nameEnd - at, dataBytes: dataEnd - nameEnd,
                      fileBytes: fileBytes, stepBytes: stepBytes)
    }

    /// ``pack(into:)`` for a custom record read from a log: its name, its data's JSON text as the log had it
    /// (read back to the same value) and its file as UTF-8 bytes.
    static func pack(time: Double, name: UnsafeRawBufferPointer, dataText: UnsafeRawBufferPointer,
                     file: UnsafeRawBufferPointer?, step: String?, into bytes: inout ByteQueue) -> Packed {
        let at = bytes.append(name)
        let nameEnd = bytes.end
        bytes.append(dataText)
        let dataEnd = bytes.end
        let fileBytes = bytes.append(optional: file)
        let stepBytes = bytes.append(optional: step)
        return Packed(time: time, name: at, nameBytes: nameEnd - at, dataBytes: dataEnd - nameEnd,
                      fileBytes: fileBytes, stepBytes: stepBytes)
    }

    package init(unpacking p: Packed, from bytes: ByteQueue) {
        var at = p.name + p.nameBytes
        let text = bytes.string(at: at, count: p.dataBytes)
        at += p.dataBytes
        let file = bytes.string(at: at, optionalCount: p.fileBytes)
        at += max(0, p.fileBytes)
        self.init(time: p.time, name: bytes.string(at: p.name, count: p.nameBytes),
                  data: (try? JSONParser.parse(text)) ?? .string(text), file: file,
                  step: bytes.string(at: at, optionalCount: p.stepBytes))
    }

    package static func end(of p: Packed) -> Int {
        p.name + p.nameBytes + p.dataBytes + max(0, p.fileBytes) + max(0, p.stepBytes)
    }
}

extension OutputEntry: RingPackable {
    package struct Packed: Sendable {
        var time: Double
        var stream: OutputLine.Stream
        var text: Int
        var textBytes: Int
    }

    package func pack(into bytes: inout ByteQueue) -> Packed {
        var text = text
        return text.withUTF8 { Self.pack(time: time, stream: stream, text: UnsafeRawBufferPointer($0), into: &bytes) }
    }

    /// ``pack(into:)`` for an output line read from a log, its text as UTF-8 bytes.
    static func pack(time: Double, stream: OutputLine.Stream, text: UnsafeRawBufferPointer,
                     into bytes: inout ByteQueue) -> Packed {
        let at = bytes.append(text)
        return Packed(time: time, stream: stream, text: at, textBytes: bytes.end - at)
    }

    package init(unpacking p: Packed, from bytes: ByteQueue) {
        self.init(time: p.time, stream: p.stream, text: bytes.string(at: p.text, count: p.textBytes))
    }

    package static func end(of p: Packed) -> Int { p.text + p.textBytes }
}
