import Foundation

/// The readers, as the libFuzzer targets in `Fuzz/` drive them. `Fuzz/` is a package of its own and sees only
/// public declarations; these are public under `@_spi(Fuzzing)` so the readers themselves stay `package`
/// and a plugin author, who imports the module plainly, never sees them. Each hook takes and returns only
/// SDK types (bytes, ``Event``, ``JSONValue``), so what it exposes is one call, not a reader's internals.
@_spi(Fuzzing) public enum FuzzingHooks {
    /// One line through ``EventCodec/decodeLine(_:)-(UnsafeBufferPointer<UInt8>)`` (record scanner, then the
    /// general parser); `nil` for an unreadable or empty line.
    public static func decodeLine(_ bytes: UnsafeBufferPointer<UInt8>) -> Event? {
        try? EventCodec.decodeLine(bytes)
    }

    /// When `bytes` are one JSON number: how the general parser or the record scanner (a metrics value and a
    /// timestamp) reads it differently from the C library's correctly rounded `strtod`; else `nil`.
    public static func numberDifference(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard !bytes.isEmpty, bytes.count <= 400, bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }),
              let value = try? JSONParser.parse(bytes) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        let expected: JSONNumber
        switch value {
        case .int(let i):
            guard Int(text) == i else { return "parser: \(text) read as the integer \(i)" }
            expected = .int(i)
        case .double(let d):
            guard let reference = Double(text), reference.bitPattern == d.bitPattern || (reference.isNaN && d.isNaN) else {
                return "parser: \(text) read as \(d), strtod \(String(describing: Double(text)))"
            }
            expected = .double(d)
        default:
            return nil
        }
        let line = Array(#"{"event":"metrics","data":{"m":\#(text)},"timestamp":\#(text)}"#.utf8)
        guard let event = line.withUnsafeBufferPointer({ try? EventCodec.decodeLine($0) }),
              case .metrics(let data) = event.payload else { return "scanner: a metrics line with \(text) unread" }
        let same: Bool
        switch (data["m"], expected) {
        case (.int(let a)?, .int(let b)): same = a == b
        case (.double(let a)?, .double(let b)): same = a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
        default: same = false
        }
        guard same else { return "scanner: \(text) read as \(String(describing: data["m"])), parser \(expected)" }
        let t = event.timestamp, e = expected.double
        guard t.bitPattern == e.bitPattern || (t.isNaN && e.isNaN) else { return "scanner: timestamp \(text) read as \(t)" }
        return nil
    }

    /// The line the event log writer writes for `event` (no newline).
    public static func encodeLine(_ event: Event) -> [UInt8] {
        EventCodec.encodeLine(event)
    }

    /// A log fed to the streaming decoder in the chunks given (partial lines carried over), then finished.
    public static func decodeLog(chunks: [UnsafeBufferPointer<UInt8>]) -> (events: [Event], unreadable: Int) {
        var decoder = EventLogDecoder()
        var events: [Event] = []
        var unreadable = 0
        for chunk in chunks {
            decoder.feed(chunk, onEvent: { events.append($0) }, onUnreadable: { _ in unreadable += 1 })
        }
        let last = decoder.finish()
        return (events + last.events, unreadable + last.unreadable.count)
    }

    /// A log whose every line is read as a long one (``LongLineShortener``: piece by piece, in the chunks given,
    /// strings over `limit` bytes cut) against each line read whole with its strings cut the same way; a
    /// description of the first difference, or `nil` when they agree (same events, same reasons at the same
    /// bytes for bad lines).
    public static func longLineDifference(_ bytes: UnsafeBufferPointer<UInt8>, chunks: [UnsafeBufferPointer<UInt8>],
                                          limit: Int) -> String? {
        var expected: [String] = []
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let buffer = UnsafeBufferPointer(rebasing: line)
            // The record as the decoder takes it: a byte order mark before it is no part of the JSON to cut.
            let record = EventCodec.recordBounds(buffer).map { UnsafeBufferPointer(rebasing: buffer[$0.0..<$0.1]) } ?? buffer
            guard let value = try? JSONParser.parse(record) else {
                // Not JSON: the whole line's error (a line that reads anyway: not compared).
                do throws(EventDecodingError) {
                    guard try EventCodec.decodeLine(buffer) != nil else { continue }
                    return nil
                } catch {
                    expected.append("unreadable: \(error.reason)")
                }
                continue
            }
            // JSON: the same JSON with its strings cut, read whole (an error that quotes a value quotes it cut).
            var writer = JSONWriter()
            writer.write(capped(value, limit))
            do throws(EventDecodingError) {
                if let event = try writer.bytes.withUnsafeBufferPointer({ (b) throws(EventDecodingError) in try EventCodec.decodeLine(b) }) {
                    expected.append(EventCodec.encodeString(event))
                }
            } catch {
                expected.append("unreadable: \(error.reason)")
            }
        }
        var decoder = EventLogDecoder(longLineBytes: 0, keptStringBytes: limit)
        var got: [String] = []
        for chunk in chunks {
            decoder.feed(chunk, onEvent: { got.append(EventCodec.encodeString($0)) }, onUnreadable: { got.append("unreadable: \($0.reason)") })
        }
        let last = decoder.finish()
        got += last.events.map { EventCodec.encodeString($0) } + last.unreadable.map { "unreadable: \($0.reason)" }
        return got == expected ? nil : "\(got) vs \(expected)"
    }

    /// `value` with every string and key over `limit` UTF-8 bytes cut as a long line's are.
    static func capped(_ value: JSONValue, _ limit: Int) -> JSONValue {
        switch value {
        case .string(let s): return .string(EventCodec.cappedText(s, limit: limit))
        case .array(let a): return .array(a.map { capped($0, limit) })
        case .object(let o):
            var out = JSONObject()
            for (key, member) in o.members { out[EventCodec.cappedText(key, limit: limit)] = capped(member, limit) }
            return .object(out)
        default: return value
        }
    }

    /// A log read as one block (the dashboard's path: scanned in place, names interned), its events decoded.
    public static func readBlock(_ bytes: UnsafeBufferPointer<UInt8>) -> (events: [Event], unreadable: Int) {
        var reader = LogBlockReader()
        let block = reader.read(bytes)
        return (block.decodedEvents(), block.problems.count)
    }

    /// Console output fed to the console-line parser in the chunks given, on one stream, then finished.
    public static func parseConsole(chunks: [UnsafeBufferPointer<UInt8>], stderr: Bool, now: Double) -> [Event] {
        var parser = ConsoleLineParser(now: { now })
        var events: [Event] = []
        for chunk in chunks {
            events += parser.feed(chunk, stream: stderr ? .stderr : .stdout)
        }
        return events + parser.finish()
    }

    /// A Python repr read whole; `nil` when it is not one.
    public static func parsePythonRepr(_ text: String) -> JSONValue? {
        try? PythonRepr.parse(text)
    }

    /// A Python repr read at the start of `text`; `nil` when there is none.
    public static func parsePythonReprPrefix(_ text: Substring) -> JSONValue? {
        (try? PythonRepr.parsePrefix(text))?.0
    }

    /// JSON text read by the general parser; `nil` when it is not JSON.
    public static func parseJSON(_ text: String) -> JSONValue? {
        try? JSONParser.parse(text)
    }
}
