import Foundation

/// Turns the text output of an unmodified synapse-sdk plugin run into ``Event``s.
///
/// Understands what the Python SDK prints (see `docs/python-plugins.md`):
/// - ConsoleLogger / JobLogger lines, with or without ANSI colours and Ray's `(Actor pid=1) ` prefix:
///   `[STEP: s] [LEVEL: L] event {python repr}`, `Metrics: {...}`, `Progress: 50.0% | ETA: 0.0s`,
///   `[metric] category=c, key=value, {...}`, `[visualization] ...`, `[trials] {...}`, `[event] {...} (file: f)`,
///   and the console-only `log_message` text;
/// - the tqdm bars ConsoleLogger draws on stderr (`\r`-rewritten; one `progress` event per new percentage);
/// - `Result: {json}` (local mode) and the Ray job result between `__SYNAPSE_RESULT_START__` and
///   `__SYNAPSE_RESULT_END__`: a `run_status` `completed` with the result;
/// - the synapse CLI's `Error: Action execution failed: ...`: a `run_status` `failed`;
/// - the bridge's marked lines (`__SYNAPSE_EVENT__:TOKEN {json}`, legacy `__SYNAPSE_EVENT__ {json}`), those
///   ``markedLines`` trusts, decoded with the core ``EventCodec``.
///
/// Anything else (and any of the above that does not parse) is kept as an `output` event with the line's
/// text, colour codes removed. The parser is pure: it only keeps the state that spans lines (a result being
/// collected, the last percentage of each tqdm bar, partial lines of ``feed(_:stream:)``).
package struct ConsoleLineParser: Sendable {
    /// The clock for events (console lines carry no timestamps).
    package var now: @Sendable () -> Double
    /// When false, only marked lines are records and every other line is `output` (a child that runs
    /// with the bridge logger: its console text is the plugin's own output, not records).
    package var parsesConsoleLines = true
    /// Which marked lines (`__SYNAPSE_EVENT__`) are records; the others are output. A capture the user
    /// chose is read whole (``MarkedLine/Trust/anyMarker``); a running child's stdout is not trusted.
    package var markedLines: MarkedLine.Trust = .anyMarker

    private var resultLines: [String]?
    private var resultBytes = 0
    private var lastBarPercent: [String: Int] = [:]
    private var partial: [OutputLine.Stream: [UInt8]] = [:]
    /// Per step, the metrics the last `Metrics:` line printed (see ``newMetrics(_:)``).
    private var printedMetrics: [String: JSONObject] = [:]
    /// The synapse CLI's error being collected: Rich wraps a long one over several lines.
    private var heldError: HeldError?

    /// An `Error: Action execution failed: ...` line and the lines Rich wrapped it onto, until a line that is
    /// not part of it (or the end) completes it.
    private struct HeldError: Sendable {
        var time: Double
        var stream: OutputLine.Stream
        var message: String
    }

    /// The most bytes of an error joined from wrapped lines; later lines are output.
    package static let maxErrorBytes = 64 << 10

    /// Lines collected between result markers before giving up on the end marker.
    package static let maxResultBytes = 8 << 20

    /// A line longer than this (a child printing without newlines) is cut into pieces of this size, so
    /// memory stays bounded.
    package static let maxLineBytes = 1 << 20

    /// A parser stamping events with `now()`.
    package init(now: @escaping @Sendable () -> Double = { Event.now() }) {
        self.now = now
    }

    // MARK: Streams of bytes

    /// Feeds a chunk read from `stream`; returns the events of the lines it completes.
    package mutating func feed(_ bytes: some Sequence<UInt8>, stream: OutputLine.Stream = .stdout) -> [Event] {
        var buffer = partial[stream] ?? []
        var events: [Event] = []
        for byte in bytes {
            if byte == 0x0A {
                events += parse(line: String(decoding: buffer, as: UTF8.self), stream: stream)
                buffer.removeAll(keepingCapacity: true)
            } else {
                buffer.append(byte)
                if buffer.count >= ConsoleLineParser.maxLineBytes {
                    events += parse(line: String(decoding: buffer, as: UTF8.self), stream: stream)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
        }
        partial[stream] = buffer
        return events
    }

    /// The events of partial last lines and of a result whose end marker never came.
    package mutating func finish() -> [Event] {
        var events: [Event] = []
        for stream in [OutputLine.Stream.stdout, .stderr] {
            if let rest = partial[stream], !rest.isEmpty {
                events += parse(line: String(decoding: rest, as: UTF8.self), stream: stream)
            }
        }
        partial = [:]
        events += flush()
        if let lines = resultLines {
            resultLines = nil
            events += [output(.stdout, ConsoleLineParser.resultStart)] + lines.map { output(.stdout, ANSI.strip($0)) }
        }
        return events
    }

    /// The error being joined from wrapped lines, complete now: for a follower whose source went quiet (the
    /// CLI prints its error last and exits). Nothing when no error is held.
    package mutating func flush() -> [Event] {
        guard let held = heldError else { return [] }
        heldError = nil
        var message = Substring(held.message)
        while let last = message.last, last == " " || last == "\t" { message = message.dropLast() }
        return [Event(timestamp: held.time, level: .error, payload: .runStatus(RunStatusUpdate(
            status: .failed, error: RunError(type: "ExecutionError", message: String(message)))))]
    }

    /// Parses a whole capture: every line of `stdout`, then every line of `stderr`.
    package static func parse(stdout: String, stderr: String = "", now: @escaping @Sendable () -> Double = { Event.now() }) -> [Event] {
        var parser = ConsoleLineParser(now: now)
        var events = parser.feed(Array(stdout.utf8), stream: .stdout)
        events += parser.feed(Array(stderr.utf8), stream: .stderr)
        return events + parser.finish()
    }

    // MARK: One line

    static let resultStart = "__SYNAPSE_RESULT_START__"
    static let resultEnd = "__SYNAPSE_RESULT_END__"

    /// The events of one complete line (without its newline) read from `stream`.
    package mutating func parse(line raw: String, stream: OutputLine.Stream = .stdout) -> [Event] {
        let line = raw.hasSuffix("\r") && !raw.dropLast().contains("\r") ? String(raw.dropLast()) : raw
        if resultLines != nil { return collectResult(line) }
        if heldError != nil {
            if let continued = continueError(line, stream: stream) { return continued }
            return flush() + parse(line: line, stream: stream)
        }
        if let marked = MarkedLine.decode(line[...], trust: markedLines) {
            if case .success(let event) = marked { return [event] }
            return [output(stream, ANSI.strip(line))]
        }
        if !parsesConsoleLines {
            let last = line.split(separator: "\r", omittingEmptySubsequences: false).last { !$0.allSatisfy { $0 == " " } }
            return [output(stream, ANSI.strip(String(last ?? "")))]
        }
        // tqdm rewrites its bar with \r: look at every segment, keep what the screen would show last.
        let segments = line.split(separator: "\r", omittingEmptySubsequences: false)
        var events: [Event] = []
        var lastText: String?
        var sawBar = false
        for segment in segments {
            let text = ANSI.strip(String(segment))
            if text.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            if let (bar, rest) = ConsoleLineParser.tqdmBar(text) {
                sawBar = true
                let key = bar.step ?? ""
                let percent = bar.total == 100 ? bar.current : Int((Double(bar.current) / Double(max(bar.total, 1)) * 100).rounded())
                if lastBarPercent[key] != percent || bar.total != 100 {
                    lastBarPercent[key] = percent
                    events.append(Event(timestamp: now(), step: bar.step, payload: .progress(bar)))
                }
                if percent >= 100 { lastBarPercent[key] = nil }  // a new bar of the same step starts over
                let trimmedRest = rest.consoleTrimmed()
                lastText = trimmedRest.isEmpty ? nil : trimmedRest
            } else {
                lastText = text
            }
        }
        if (sawBar || segments.count > 1) && lastText == nil { return events }
        let text = lastText ?? ANSI.strip(line)
        return events + textEvents(text, stream: stream)
    }

    private mutating func textEvents(_ text: String, stream: OutputLine.Stream) -> [Event] {
        let trimmed = text.consoleTrimmed()
        if trimmed == ConsoleLineParser.resultStart {
            resultLines = []
            resultBytes = 0
            return []
        }
        if let events = ConsoleLineParser.structuredEvents(forText: trimmed, now: now) {
            if trimmed.hasPrefix(ConsoleLineParser.cliErrorPrefix), let first = events.first {
                // Held until the lines Rich wrapped it onto are read; the untrimmed text keeps the space Rich
                // leaves where it wrapped.
                var message = Substring(text)
                while let f = message.first, f == " " || f == "\t" { message = message.dropFirst() }
                heldError = HeldError(time: first.timestamp, stream: stream,
                                      message: String(message.dropFirst(ConsoleLineParser.cliErrorPrefix.count)))
                return [output(stream, text)]
            }
            return events.compactMap { newMetrics($0) }
        }
        return [output(stream, text)]
    }

    /// A `Metrics:` line's event with only the values that changed since the step's previous line (`nil`
    /// when none did); other events as they are. synapse-sdk prints the step's whole merged dict on every
    /// `set_metrics`, so a metric set once would otherwise get a new sample from every later call.
    private mutating func newMetrics(_ event: Event) -> Event? {
        guard case .metrics(let object) = event.payload else { return event }
        let step = event.step ?? ""
        let before = printedMetrics[step]
        printedMetrics[step] = object
        guard let before else { return event }
        guard case .object(let changed)? = Self.changes(from: .object(before), to: .object(object)) else { return nil }
        var e = event
        e.payload = .metrics(changed)
        return e
    }

    /// What differs in `new` from `old`: for dicts, the changed members (recursively); `nil` when equal.
    static func changes(from old: JSONValue?, to new: JSONValue) -> JSONValue? {
        guard let old else { return new }
        if case .object(let a) = old, case .object(let b) = new {
            var out = JSONObject()
            for (key, value) in b.members {
                if let c = changes(from: a[key], to: value) { out[key] = c }
            }
            // `.none`, not `nil`: JSONValue is nil-literal expressible, and a bare nil would be `.null`.
            return out.isEmpty ? .none : .object(out)
        }
        // NaN is not equal to itself: compare the text too, so a NaN printed twice is one sample.
        return old == new || old.jsonText == new.jsonText ? .none : new
    }

    /// The output event of `line` when it continues the held error (and the error extended by it); `nil`
    /// when the error is complete: a line of another stream, a record or a line the SDK's logger printed,
    /// or past ``maxErrorBytes``.
    ///
    /// Rich wraps at the console's width and keeps the space it wrapped at as the line's last character, so a
    /// line ending in a space continues on the next (joined as it was), and one that does not ended a line
    /// of the message itself (joined with a line break).
    private mutating func continueError(_ line: String, stream: OutputLine.Stream) -> [Event]? {
        guard var held = heldError, held.stream == stream, !line.contains("\r"),
              MarkedLine.decode(line[...], trust: markedLines) == nil else { return nil }
        let text = ANSI.strip(line)
        let trimmed = text.consoleTrimmed()
        guard !trimmed.isEmpty, trimmed != ConsoleLineParser.resultStart,
              ConsoleLineParser.structuredEvents(forLine: text, now: now) == nil,
              held.message.utf8.count + text.utf8.count < ConsoleLineParser.maxErrorBytes else { return nil }
        held.message += held.message.hasSuffix(" ") ? text : "\n" + text
        heldError = held
        return [output(stream, text)]
    }

    private mutating func collectResult(_ line: String) -> [Event] {
        let text = ANSI.strip(line)
        if text.consoleTrimmed() == ConsoleLineParser.resultEnd {
            let lines = resultLines ?? []
            resultLines = nil
            let body = lines.map(ANSI.strip).joined(separator: "\n")
            if let value = try? JSONParser.parse(body) {
                return [Event(timestamp: now(), payload: .runStatus(RunStatusUpdate(status: .completed, result: value)))]
            }
            return ([ConsoleLineParser.resultStart] + lines.map(ANSI.strip) + [ConsoleLineParser.resultEnd]).map { output(.stdout, $0) }
        }
        resultLines?.append(line)
        resultBytes += line.utf8.count + 1
        if resultBytes > ConsoleLineParser.maxResultBytes {
            let lines = resultLines ?? []
            resultLines = nil
            return ([ConsoleLineParser.resultStart] + lines.map(ANSI.strip)).map { output(.stdout, $0) }
        }
        return []
    }

    private func output(_ stream: OutputLine.Stream, _ text: String) -> Event {
        Event(timestamp: now(), payload: .output(OutputLine(stream: stream, text: text)))
    }

    // MARK: Stateless line parsing

    static let cliErrorPrefix = "Error: Action execution failed: "

    /// The events one synapse-sdk console line stands for, on its own (no result markers, no tqdm
    /// de-duplication); `nil` when the line is not such a line (plain output). ANSI codes are removed first.
    package static func structuredEvents(forLine line: String, now: @Sendable () -> Double = { Event.now() }) -> [Event]? {
        var text = ANSI.strip(line)
        if let cr = text.lastIndex(of: "\r") { text = String(text[text.index(after: cr)...]) }
        if let (bar, _) = tqdmBar(text) { return [Event(timestamp: now(), step: bar.step, payload: .progress(bar))] }
        return structuredEvents(forText: text.consoleTrimmed(), now: now)
    }

    static func structuredEvents(forText text: String, now: () -> Double) -> [Event]? {
        if text.hasPrefix("Result: ") {
            let body = text.dropFirst("Result: ".count)
            guard let value = try? JSONParser.parse(String(body)) else { return nil }
            return [Event(timestamp: now(), payload: .runStatus(RunStatusUpdate(status: .completed, result: value)))]
        }
        if text.hasPrefix(cliErrorPrefix) {
            let message = String(text.dropFirst(cliErrorPrefix.count))
            return [Event(timestamp: now(), level: .error, payload: .runStatus(RunStatusUpdate(
                status: .failed, error: RunError(type: "ExecutionError", message: message))))]
        }
        guard let (step, level, body) = prefix(text) else { return nil }
        guard let (payload, file, keepLevel) = payload(body, step: step) else { return nil }
        return [Event(timestamp: now(), step: step, level: keepLevel ? level : nil, file: file, payload: payload)]
    }

    /// `[STEP: s] [LEVEL: L] body` (step optional; a Ray `(name pid=1) ` prefix is skipped).
    static func prefix(_ text: String) -> (step: String?, level: LogLevel?, body: Substring)? {
        var rest = Substring(text)
        if rest.hasPrefix("("), let close = rest.range(of: ") [") {
            rest = rest[rest.index(after: close.lowerBound)...].dropFirst()
        }
        var step: String?
        if rest.hasPrefix("[STEP: ") {
            guard let end = rest.range(of: "] [LEVEL: ") else { return nil }
            step = String(rest[rest.index(rest.startIndex, offsetBy: 7)..<end.lowerBound])
            rest = rest[rest.index(end.lowerBound, offsetBy: 2)...]
        }
        guard rest.hasPrefix("[LEVEL: "), let close = rest.firstIndex(of: "]") else { return nil }
        let levelName = rest[rest.index(rest.startIndex, offsetBy: 8)..<close]
        guard !levelName.isEmpty, levelName.allSatisfy({ $0.isLetter }) else { return nil }
        let level = LogLevel(name: String(levelName))
        var body = rest[rest.index(after: close)...]
        if body.hasPrefix(" ") { body = body.dropFirst() }
        return (step, level, body)
    }

    /// The payload of a console body; the file it names; whether the line's level belongs to the event.
    static func payload(_ body: Substring, step: String?) -> (EventPayload, String?, Bool)? {
        if body.hasPrefix("Metrics: ") {
            guard let object = try? PythonRepr.parse(String(body.dropFirst(9))).objectValue else { return nil }
            return (.metrics(object), nil, false)
        }
        if body.hasPrefix("Progress: ") { return progress(body).map { (.progress($0), nil, false) } }
        if body.hasPrefix("[metric] category=") { return metric(body.dropFirst(18)).map { (.metric($0), nil, false) } }
        if body.hasPrefix("[visualization] ") {
            let fields = keyValues(body.dropFirst(16))
            var object = JSONObject()
            for (k, v) in fields { object[k] = k == "index" ? (Int(v).map(JSONValue.int) ?? .string(v)) : .string(v) }
            return (.custom(name: "visualization", data: .object(object)), object["image"]?.stringValue, false)
        }
        if body.hasPrefix("["), let close = body.firstIndex(of: "]"), body[body.index(after: close)...].hasPrefix(" ") {
            // log_event: [event] {data}( (file: path))?
            let name = String(body[body.index(after: body.startIndex)..<close])
            var rest = body[body.index(close, offsetBy: 2)...]
            var file: String?
            if let (value, after) = try? PythonRepr.parsePrefix(rest) {
                let tail = after.consoleTrimmed()
                if tail.hasPrefix("(file: "), tail.hasSuffix(")") {
                    file = String(tail.dropFirst(7).dropLast())
                    rest = Substring("")
                } else if tail.isEmpty {
                    rest = Substring("")
                }
                if rest.isEmpty, value.objectValue != nil, isEventName(name), let payload = named(name, data: value) {
                    return (payload, file, name != "metric")
                }
            }
        }
        // log(): `event {data}`, or `{data}` when the event is the step's name, or `event` with empty data
        if body.hasPrefix("{"), let step, let value = try? PythonRepr.parse(String(body)), value.objectValue != nil,
           let payload = named(step, data: value) {
            return (payload, nil, true)
        }
        if let space = body.firstIndex(of: " ") {
            let name = String(body[..<space])
            let rest = body[body.index(after: space)...]
            if isEventName(name), rest.hasPrefix("{"), let value = try? PythonRepr.parse(String(rest)), value.objectValue != nil,
               let payload = named(name, data: value) {
                return (payload, nil, true)
            }
        }
        // ConsoleLogger.log_message (console only): the text itself
        return (.message(Message(content: String(body))), nil, true)
    }

    /// The payload of a record `name` with `data`: the typed one for the SDK's own names, a custom event for
    /// any other name. A reserved name whose data is not that record's shape (`dev_event` without `message`,
    /// `progress` from `log_event`) gives nil: written as given, the log's reader would reject the record,
    /// so the line is kept as text instead.
    static func named(_ name: String, data: JSONValue) -> EventPayload? {
        if let payload = typed(name: name, data: data) { return payload }
        return EventPayload.reservedNames.contains(name) ? nil : .custom(name: name, data: data)
    }

    /// Typed payloads for the SDK's known record names (their data as the SDK builds it).
    static func typed(name: String, data: JSONValue) -> EventPayload? {
        guard let object = data.objectValue else { return nil }
        switch name {
        case "message", "debug":
            guard let content = object["content"] else { return nil }
            return .message(Message(content: content.stringValue ?? content.jsonText, key: object["key"]?.stringValue))
        case "dev_event":
            guard let message = object["message"] else { return nil }
            let inner = object["data"]
            return .devEvent(DevEvent(message: message.stringValue ?? message.jsonText, data: inner?.isNull == false ? inner : nil))
        case "metric":
            guard let category = object["category"]?.stringValue else { return nil }
            return .metric(MetricRecord(category: category, key: object["key"]?.stringValue, value: object["value"] ?? .null,
                                        metrics: object["metrics"]?.objectValue ?? [:]))
        case "progress", "metrics", "run_status", "action_status", "output", "end":
            return nil  // the SDK never logs these names; keep the line as text rather than guess
        default:
            return nil
        }
    }

    static func isEventName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." || $0 == ":" || $0 == "/" }
    }

    /// `Progress: 50.0% | ETA: 0.0s` (JobLogger, and ConsoleLogger without tqdm).
    static func progress(_ body: Substring) -> ProgressData? {
        let rest = body.dropFirst("Progress: ".count)
        guard let pct = rest.firstIndex(of: "%"), let percent = Double(rest[..<pct]), percent.isFinite, percent >= 0 else { return nil }
        var remaining: Double?
        if let eta = rest.range(of: "| ETA: ") {
            var value = rest[eta.upperBound...]
            if value.hasSuffix("s") { value = value.dropLast() }
            remaining = Double(value)  // "None" -> nil
        }
        // percent has two decimals: current/total = percent*100 / 10000 keeps it exactly
        return ProgressData(current: Int((percent * 100).rounded()), total: 10000, timeRemaining: remaining, percentOnly: true)
    }

    /// `train, epoch=1, {'loss': 1.0}` after `[metric] category=`.
    static func metric(_ body: Substring) -> MetricRecord? {
        guard let comma = body.range(of: ", ") else { return nil }
        let category = String(body[..<comma.lowerBound])
        let rest = body[comma.upperBound...]
        guard let eq = rest.firstIndex(of: "=") else { return nil }
        let key = String(rest[..<eq])
        let afterKey = rest[rest.index(after: eq)...]
        // the value runs to the last ", {" whose remainder is the metrics dict
        var search = afterKey.endIndex
        while let r = afterKey[..<search].range(of: ", {", options: .backwards) {
            let valueText = afterKey[..<r.lowerBound]
            let dictText = afterKey[afterKey.index(r.lowerBound, offsetBy: 2)...]
            if let metrics = try? PythonRepr.parse(String(dictText)).objectValue {
                let value = (try? PythonRepr.parse(String(valueText))) ?? .string(String(valueText))
                return MetricRecord(category: category, key: key, value: value, metrics: metrics)
            }
            search = r.lowerBound
        }
        return nil
    }

    /// `a=1, b=x` pairs (values are plain text).
    static func keyValues(_ text: Substring) -> [(String, String)] {
        text.components(separatedBy: ", ").compactMap { part in
            guard let eq = part.firstIndex(of: "=") else { return nil }
            return (String(part[..<eq]), String(part[part.index(after: eq)...]))
        }
    }

    // MARK: tqdm

    /// A tqdm bar at the start of `text` (`desc: 33%|███▎      | [00:01<00:02]` or `desc: 33%|...| 1/3 [...]`):
    /// the progress and the text after the bar.
    static func tqdmBar(_ text: String) -> (ProgressData, Substring)? {
        guard let pipe = text.range(of: "%|") else { return nil }
        let head = text[..<pipe.lowerBound]
        // percentage: the digits right before "%|"
        var start = head.endIndex
        while start > head.startIndex, head[head.index(before: start)].isASCII, head[head.index(before: start)].isNumber {
            start = head.index(before: start)
        }
        guard start < head.endIndex, let percent = Int(head[start...]), percent <= 100 else { return nil }
        var desc = head[..<start]
        while desc.hasSuffix(" ") { desc = desc.dropLast() }
        if desc.hasSuffix(":") { desc = desc.dropLast() } else if !desc.isEmpty { return nil }
        let afterBar = text[pipe.upperBound...]
        guard let barEnd = afterBar.firstIndex(of: "|") else { return nil }
        var rest = afterBar[afterBar.index(after: barEnd)...]
        while rest.hasPrefix(" ") { rest = rest.dropFirst() }
        var current = percent, total = 100, percentOnly = true
        // optional "n/total" (a plain tqdm bar; the SDK's bar shows only its percentage)
        if let space = rest.firstIndex(of: " "), let slash = rest[..<space].firstIndex(of: "/"),
           let n = Int(rest[..<slash]), let t = Int(rest[rest.index(after: slash)..<space]), t > 0 {
            current = n; total = t; percentOnly = false
            rest = rest[rest.index(after: space)...]
        }
        // tqdm always shows "[elapsed<remaining...]" in these formats; without it this is not a bar
        guard rest.hasPrefix("["), let close = rest.firstIndex(of: "]") else { return nil }
        let times = rest[rest.index(after: rest.startIndex)..<close].split(separator: ",", omittingEmptySubsequences: false)[0]
        let parts = times.split(separator: "<", omittingEmptySubsequences: false)
        guard parts.count == 2, let elapsed = clock(parts[0]) else { return nil }
        let remaining = clock(parts[1])
        rest = rest[rest.index(after: close)...]
        let stepText = String(desc)
        let step: String?
        if stepText.hasPrefix("[STEP: "), stepText.hasSuffix("]") {
            step = String(stepText.dropFirst(7).dropLast())
        } else {
            step = stepText.isEmpty || stepText == "Progress" ? nil : stepText
        }
        return (ProgressData(current: current, total: total, step: step, elapsed: elapsed, timeRemaining: remaining,
                             percentOnly: percentOnly), rest)
    }

    /// `MM:SS`, `H:MM:SS`, `1d, H:MM:SS`-less forms tqdm prints; `?` -> nil.
    static func clock(_ text: Substring) -> Double? {
        let parts = text.consoleTrimmed().split(separator: ":")
        guard !parts.isEmpty, parts.count <= 3 else { return nil }
        var seconds = 0.0
        for part in parts {
            guard let v = Double(part) else { return nil }
            seconds = seconds * 60 + v
        }
        return seconds
    }
}

extension StringProtocol {
    fileprivate func consoleTrimmed() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
