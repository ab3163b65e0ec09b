/// Why a line of an event log could not be read.
package struct EventDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    package var reason: String

    package init(_ reason: String) {
        self.reason = reason
    }

    package var description: String { reason }
}

/// Encodes events to event-log lines and decodes them back. The one place the format lives in code.
///
/// Decoding never crashes and never throws away what it can keep: unknown keys are ignored, unknown event
/// names become ``EventPayload/custom(name:data:)``, and known events whose fields have the wrong type are
/// reported with the field's path so the reader can count and show the line as unreadable.
package enum EventCodec {
    /// The format version written in every record's `v` key.
    package static let version = 1

    /// Lines longer than this are reported as unreadable instead of parsed.
    package static let maxLineBytes = 8 << 20

    // MARK: Encoding

    /// Appends one record (without the newline) to `writer`.
    package static func encode<Output: JSONOutput & ~Copyable>(_ event: Event, into writer: inout Output) {
        writer.writeRaw("{\"v\":1,\"event\":")
        writeName(of: event.payload, into: &writer)
        writer.writeRaw(",\"timestamp\":")
        writer.write(double: event.timestamp)
        if let step = event.step {
            writer.writeRaw(",\"step\":")
            writer.write(string: step)
        }
        if let level = event.level {
            writeLevel(level, into: &writer)
        }
        if let file = event.file {
            writer.writeRaw(",\"file\":")
            writer.write(string: file)
        }
        writer.writeRaw(",\"data\":")
        writeData(of: event.payload, into: &writer)
        writer.writeByte(UInt8(ascii: "}"))
    }

    /// Text kept of a value cut by ``capped(_:lineBytes:)``.
    package static let cappedTextBytes = 64 << 10

    /// `event` with what made its line `lineBytes` long (over ``maxLineBytes``, which readers skip) cut
    /// down, so the writer never writes a line its own reader rejects: long texts keep their first
    /// ``cappedTextBytes`` and end with `… [truncated: N bytes]`; big params, results and payloads become
    /// `{"truncated_bytes": N}`. The record's kind, status and step are kept.
    package static func capped(_ event: Event, lineBytes: Int) -> Event {
        let marker: JSONValue = ["truncated_bytes": .int(lineBytes)]
        let cut: (String) -> String = { cappedText($0) }
        func small(_ value: JSONValue?) -> JSONValue? {
            guard let value else { return nil }
            if case .string(let s) = value { return .string(cut(s)) }
            return value.jsonText.utf8.count > cappedTextBytes ? marker : value
        }
        var capped = event
        capped.file = event.file.map(cut)
        capped.step = event.step.map(cut)
        switch event.payload {
        case .runStatus(var u):
            u.params = small(u.params)
            u.result = small(u.result)
            u.action = u.action.map(cut)
            u.error = u.error.map { RunError(type: cut($0.type), message: cut($0.message)) }
            capped.payload = .runStatus(u)
        case .actionStatus(var u):
            u.action = cut(u.action)
            u.error = u.error.map { RunError(type: cut($0.type), message: cut($0.message)) }
            capped.payload = .actionStatus(u)
        case .message(let m):
            capped.payload = .message(Message(content: cut(m.content), key: m.key.map(cut)))
        case .output(let line):
            capped.payload = .output(OutputLine(stream: line.stream, text: cut(line.text)))
        case .devEvent(let d):
            capped.payload = .devEvent(DevEvent(message: cut(d.message), data: small(d.data)))
        case .metrics:
            capped.payload = .metrics(["truncated_bytes": .int(lineBytes)])
        case .metric(let m):
            capped.payload = .metric(MetricRecord(category: cut(m.category), key: m.key.map(cut),
                                                  value: small(m.value) ?? .null, metrics: [:]))
        case .custom(let name, _):
            capped.payload = .custom(name: cut(name), data: marker)
        case .progress, .end:
            break
        }
        return capped
    }

    /// `text` when it has at most ``cappedTextBytes`` bytes, else its first ``cappedTextBytes`` (never half a
    /// character) and `… [truncated: N bytes]`.
    package static func cappedText(_ text: String) -> String {
        cappedText(text, limit: cappedTextBytes)
    }

    /// ``cappedText(_:)`` at another limit (the tests and the fuzzer read long lines with small ones).
    package static func cappedText(_ text: String, limit: Int) -> String {
        let count = text.utf8.count
        guard count > limit else { return text }
        return cappedText(prefixOf: text, wholeBytes: count, limit: limit)
    }

    /// What ``cappedText(_:limit:)`` makes of a text of `wholeBytes` bytes that starts with `text` (at least its
    /// first `limit` + 4 bytes): how a reader cuts a text it never holds whole (``LongLineShortener``).
    package static func cappedText(prefixOf text: String, wholeBytes: Int, limit: Int) -> String {
        let utf8 = text.utf8
        var end = utf8.index(utf8.startIndex, offsetBy: min(limit, utf8.count))
        // Back to the start of a scalar: never half a character.
        while end > utf8.startIndex, end < utf8.endIndex, utf8[end] & 0xC0 == 0x80 { end = utf8.index(before: end) }
        return String(decoding: utf8[..<end], as: UTF8.self) + "… [truncated: \(wholeBytes) bytes]"
    }

    /// One record as a `\n`-terminated line of UTF-8 bytes, ready for a single `write`.
    package static func encodeLine(_ event: Event) -> [UInt8] {
        var writer = JSONWriter()
        encode(event, into: &writer)
        writer.writeByte(0x0A)
        return writer.bytes
    }

    /// One record as a string without the newline.
    package static func encodeString(_ event: Event) -> String {
        var writer = JSONWriter()
        encode(event, into: &writer)
        return writer.string
    }

    /// The `data` value of a payload as written in the log.
    package static func data(of payload: EventPayload) -> JSONValue {
        switch payload {
        case .runStatus(let u):
            var o: JSONObject = ["status": .string(u.status.rawValue)]
            if let action = u.action { o["action"] = .string(action) }
            if let jobID = u.jobID { o["job_id"] = .string(jobID) }
            if let params = u.params { o["params"] = params }
            if let result = u.result { o["result"] = result }
            if let error = u.error { o["error"] = encode(error) }
            return .object(o)
        case .actionStatus(let u):
            var o: JSONObject = ["action": .string(u.action), "index": .int(u.index)]
            if let total = u.total { o["total"] = .int(total) }
            o["status"] = .string(u.status.rawValue)
            if let error = u.error { o["error"] = encode(error) }
            return .object(o)
        case .progress(let p):
            var o: JSONObject = ["current": .int(p.current), "total": .int(p.total), "percent": .double(p.percent)]
            if let elapsed = p.elapsed { o["elapsed"] = .double(elapsed) }
            if let remaining = p.timeRemaining { o["time_remaining"] = .double(remaining) }
            if p.failed { o["status"] = .string("failed") }
            if p.percentOnly { o["unit"] = .string("%") }
            return .object(o)
        case .metrics(let m):
            return .object(m)
        case .message(let m):
            var o: JSONObject = ["content": .string(m.content)]
            if let key = m.key { o["key"] = .string(key) }
            return .object(o)
        case .devEvent(let d):
            return ["message": .string(d.message), "data": d.data ?? .null]
        case .metric(let m):
            return ["category": .string(m.category), "key": m.key.map(JSONValue.string) ?? .null,
                    "value": m.value, "metrics": .object(m.metrics)]
        case .output(let line):
            return ["stream": .string(line.stream.rawValue), "text": .string(line.text)]
        case .end:
            return .object([:])
        case .custom(_, let data):
            return data
        }
    }

    static func encode(_ error: RunError) -> JSONValue {
        ["type": .string(error.type), "message": .string(error.message)]
    }

    // MARK: Decoding

    /// Decodes one line (without its newline). Blank lines decode to `nil`.
    package static func decodeLine(_ bytes: UnsafeBufferPointer<UInt8>) throws(EventDecodingError) -> Event? {
        guard let (start, end) = recordBounds(bytes) else { return nil }
        guard end - start <= maxLineBytes else {
            throw EventDecodingError("line is \(end - start) bytes, over the \(maxLineBytes)-byte limit")
        }
        let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
        var scanner = RecordScanner(compact: false)
        if scanner.scan(line) { return scanner.takeEvent(line) }
        return try decodeParsed(line, untrimmed: UnsafeBufferPointer(rebasing: bytes[start...]), start: start, originalOffset: { $0 })
    }

    /// The general decoder's reading of a trimmed line that starts at byte `start` of what was given; a JSON
    /// error's byte is counted by `originalOffset` (a shortened line's bytes are not the log's).
    ///
    /// A fault the parser meets before the trimmed whitespace, reading the line as it is, is the one
    /// reported (a string that runs into `\r`s fails at the first, a literal cut short by the trim is
    /// invalid, not unexpectedly ended), as the long-line reader, which cannot know what follows, reports
    /// it, and so is a control character in a string that runs into the whitespace; any other fault met
    /// only past the record's end is reported where the record ends. `untrimmed` is the
    /// line from `start` with that whitespace.
    static func decodeParsed(_ line: UnsafeBufferPointer<UInt8>, untrimmed: UnsafeBufferPointer<UInt8>, start: Int,
                             originalOffset: (Int) -> Int) throws(EventDecodingError) -> Event {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            var failure = error
            if untrimmed.count > line.count {
                do { _ = try JSONParser.parse(untrimmed) } catch where error.offset <= line.count || error.reason == "control character in string" {
                    failure = error
                } catch {}
            }
            throw EventDecodingError("not JSON: \(failure.reason) at byte \(originalOffset(failure.offset + start))")
        }
        return try decode(value)
    }

    /// Decodes a line a ``LongLineShortener`` read: what ``decodeLine(_:)`` reads from its shortened bytes,
    /// a cut message knowing its whole size, and errors placed in the log's bytes.
    package static func decodeLine(_ line: ShortenedLine) throws(EventDecodingError) -> Event? {
        try line.bytes.withUnsafeBufferPointer { (bytes) throws(EventDecodingError) -> Event? in
            guard let (start, end) = recordBounds(bytes) else { return nil }
            let trimmed = UnsafeBufferPointer(rebasing: bytes[start..<end])
            var scanner = RecordScanner(compact: false)
            var event = scanner.scan(trimmed) ? scanner.takeEvent(trimmed)
                : try decodeParsed(trimmed, untrimmed: UnsafeBufferPointer(rebasing: bytes[start...]), start: start,
                                   originalOffset: line.originalOffset)
            line.noteWholeSize(in: &event)
            return event
        }
    }

    /// Decodes one line given as a string.
    package static func decodeLine(_ line: String) throws(EventDecodingError) -> Event? {
        try Array(line.utf8).withUnsafeBufferPointer { (buffer) throws(EventDecodingError) -> Event? in
            try decodeLine(buffer)
        }
    }

    /// Where a line's record lies: without surrounding whitespace and a UTF-8 byte order mark (an editor's,
    /// or a Windows tool's, at the start of the file: the run's first status must not be lost to it).
    /// `nil` for a blank line.
    static func recordBounds(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int)? {
        var start = 0, end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        if end - start >= 3, bytes[start] == 0xEF, bytes[start + 1] == 0xBB, bytes[start + 2] == 0xBF {
            start += 3
            while start < end, isSpace(bytes[start]) { start += 1 }
        }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return start == end ? nil : (start, end)
    }

    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }

    /// Decodes a parsed record.
    package static func decode(_ value: JSONValue) throws(EventDecodingError) -> Event {
        guard let record = value.objectValue else { throw EventDecodingError("record is not a JSON object") }
        guard let nameValue = record["event"] else { throw EventDecodingError("missing \"event\"") }
        guard let name = nameValue.stringValue else { throw EventDecodingError("\"event\" is not a string") }
        var timestamp = 0.0
        if let ts = record["timestamp"], !ts.isNull {
            guard let t = ts.doubleValue else { throw EventDecodingError("\"timestamp\" is not a number") }
            timestamp = t
        }
        let step = try optionalString(record["step"], "step")
        let levelName = try optionalString(record["level"], "level")
        let file = try optionalString(record["file"], "file")
        let data = record["data"] ?? .null
        let payload = try decodePayload(name: name, data: data, step: step)
        return Event(timestamp: timestamp, step: step, level: levelName.flatMap(LogLevel.init(name:)), file: file,
                     payload: payload)
    }

    static func optionalString(_ value: JSONValue?, _ path: String) throws(EventDecodingError) -> String? {
        guard let value, !value.isNull else { return nil }
        guard let s = value.stringValue else { throw EventDecodingError("\"\(path)\" is \(kind(of: value)), expected a string") }
        return s
    }

    static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Reads `data.<key>` of a known event, naming the path on a type error.
    struct Fields {
        let event: String
        let data: JSONObject

        func wrong(_ key: String, _ value: JSONValue, _ expected: String) -> EventDecodingError {
            EventDecodingError("\(event): data.\(key) is \(EventCodec.kind(of: value)), expected \(expected)")
        }

        func string(_ key: String) throws(EventDecodingError) -> String {
            guard let value = data[key], !value.isNull else { throw EventDecodingError("\(event): missing data.\(key)") }
            guard let s = value.stringValue else { throw wrong(key, value, "a string") }
            return s
        }

        func optionalString(_ key: String) throws(EventDecodingError) -> String? {
            guard let value = data[key], !value.isNull else { return nil }
            guard let s = value.stringValue else { throw wrong(key, value, "a string") }
            return s
        }

        /// Text content: a string as is, any other value as its JSON text (Python allows any object).
        func text(_ key: String) throws(EventDecodingError) -> String {
            guard let value = data[key] else { throw EventDecodingError("\(event): missing data.\(key)") }
            if let s = value.stringValue { return s }
            return value.jsonText
        }

        func int(_ key: String) throws(EventDecodingError) -> Int {
            guard let value = data[key], !value.isNull else { throw EventDecodingError("\(event): missing data.\(key)") }
            if let i = value.intValue { return i }
            if let d = value.doubleValue, d.isFinite, abs(d) < 9e18 { return Int(d.rounded(.down)) }
            throw wrong(key, value, "a number")
        }

        func optionalInt(_ key: String) throws(EventDecodingError) -> Int? {
            guard let value = data[key], !value.isNull else { return nil }
            return try int(key)
        }

        func optionalDouble(_ key: String) throws(EventDecodingError) -> Double? {
            guard let value = data[key], !value.isNull else { return nil }
            guard let d = value.doubleValue else { throw wrong(key, value, "a number") }
            return d
        }

        func optionalObject(_ key: String) throws(EventDecodingError) -> JSONObject? {
            guard let value = data[key], !value.isNull else { return nil }
            guard let o = value.objectValue else { throw wrong(key, value, "an object") }
            return o
        }

        func error(_ key: String) throws(EventDecodingError) -> RunError? {
            guard let value = data[key], !value.isNull else { return nil }
            if let s = value.stringValue { return RunError(type: "Error", message: s) }
            guard let o = value.objectValue else { throw wrong(key, value, "an object") }
            let type = o["type"]?.stringValue ?? "Error"
            let message = o["message"].map { $0.stringValue ?? $0.jsonText } ?? ""
            return RunError(type: type, message: message)
        }
    }

    static func decodePayload(name: String, data: JSONValue, step: String?) throws(EventDecodingError) -> EventPayload {
        guard EventPayload.reservedNames.contains(name) else { return .custom(name: name, data: data) }
        if name == "end" { return .end }
        guard let object = data.objectValue else {
            throw EventDecodingError("\(name): data is \(kind(of: data)), expected an object")
        }
        let f = Fields(event: name, data: object)
        switch name {
        case "run_status":
            let statusName = try f.string("status")
            guard let status = RunStatus(name: statusName) else {
                throw EventDecodingError("run_status: unknown status \"\(statusName)\"")
            }
            return .runStatus(RunStatusUpdate(
                status: status, action: try f.optionalString("action"), jobID: try f.optionalString("job_id"),
                params: object["params"], result: object["result"], error: try f.error("error")))
        case "action_status":
            let statusName = try f.string("status")
            guard let status = ActionStatus(name: statusName) else {
                throw EventDecodingError("action_status: unknown status \"\(statusName)\"")
            }
            return .actionStatus(ActionStatusUpdate(
                action: try f.string("action"), index: try f.optionalInt("index") ?? 0,
                total: try f.optionalInt("total"), status: status, error: try f.error("error")))
        case "progress":
            return .progress(ProgressData(
                current: try f.int("current"), total: try f.int("total"), step: step,
                elapsed: try f.optionalDouble("elapsed"), timeRemaining: try f.optionalDouble("time_remaining"),
                failed: try f.optionalString("status") == "failed", percentOnly: try f.optionalString("unit") == "%"))
        case "metrics":
            return .metrics(object)
        case "message":
            return .message(Message(content: try f.text("content"), key: try f.optionalString("key")))
        case "dev_event":
            let inner = object["data"]
            return .devEvent(DevEvent(message: try f.text("message"), data: inner?.isNull == false ? inner : nil))
        case "metric":
            return .metric(MetricRecord(
                category: try f.string("category"), key: try f.optionalString("key"),
                value: object["value"] ?? .null, metrics: try f.optionalObject("metrics") ?? [:]))
        case "output":
            let streamName = try f.optionalString("stream") ?? "stdout"
            return .output(OutputLine(stream: OutputLine.Stream(rawValue: streamName) ?? .stdout, text: try f.text("text")))
        default:
            return .custom(name: name, data: data)
        }
    }
}
