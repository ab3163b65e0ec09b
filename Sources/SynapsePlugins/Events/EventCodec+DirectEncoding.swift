extension EventCodec {
    /// Writes a payload's `data` straight into `writer`, byte for byte what `writer.write(data(of: payload))`
    /// writes, without building the intermediate `JSONValue` tree (several heap allocations per record on
    /// the path every `ctx` call takes). `data(of:)` stays the readable definition; a test keeps the two equal.
    static func writeData<Output: JSONOutput & ~Copyable>(of payload: EventPayload, into writer: inout Output) {
        switch payload {
        case .runStatus, .actionStatus, .metric, .output:
            // Rare records: the readable path is fast enough.
            writer.write(data(of: payload))
        case .progress(let p):
            writer.writeRaw("{\"current\":")
            writer.write(int: p.current)
            writer.writeRaw(",\"total\":")
            writer.write(int: p.total)
            writer.writeRaw(",\"percent\":")
            writer.write(double: p.percent)
            if let elapsed = p.elapsed {
                writer.writeRaw(",\"elapsed\":")
                writer.write(double: elapsed)
            }
            if let remaining = p.timeRemaining {
                writer.writeRaw(",\"time_remaining\":")
                writer.write(double: remaining)
            }
            if p.failed { writer.writeRaw(",\"status\":\"failed\"") }
            if p.percentOnly { writer.writeRaw(",\"unit\":\"%\"") }
            writer.writeByte(UInt8(ascii: "}"))
        case .metrics(let m):
            writer.write(object: m)
        case .message(let m):
            writer.writeRaw("{\"content\":")
            writer.write(string: m.content)
            if let key = m.key {
                writer.writeRaw(",\"key\":")
                writer.write(string: key)
            }
            writer.writeByte(UInt8(ascii: "}"))
        case .devEvent(let d):
            writer.writeRaw("{\"message\":")
            writer.write(string: d.message)
            writer.writeRaw(",\"data\":")
            writer.write(d.data ?? .null)
            writer.writeByte(UInt8(ascii: "}"))
        case .end:
            writer.writeRaw("{}")
        case .custom(_, let data):
            writer.write(data)
        }
    }

    /// The record's `event` name, quoted: a typed payload's name is copied as the literal it is (what
    /// `write(string: payload.name)` writes, without checking a known name for escapes).
    @inline(__always)
    static func writeName<Output: JSONOutput & ~Copyable>(of payload: EventPayload, into writer: inout Output) {
        if let typed = payload.typedName {
            writer.writeByte(UInt8(ascii: "\""))
            writer.writeRaw(typed)
            writer.writeByte(UInt8(ascii: "\""))
        } else {
            writer.write(string: payload.name)
        }
    }

    /// `,"level":"…"` as one literal per level.
    @inline(__always)
    static func writeLevel<Output: JSONOutput & ~Copyable>(_ level: LogLevel, into writer: inout Output) {
        switch level {
        case .debug: writer.writeRaw(",\"level\":\"debug\"")
        case .info: writer.writeRaw(",\"level\":\"info\"")
        case .success: writer.writeRaw(",\"level\":\"success\"")
        case .warning: writer.writeRaw(",\"level\":\"warning\"")
        case .danger: writer.writeRaw(",\"level\":\"danger\"")
        case .error: writer.writeRaw(",\"level\":\"error\"")
        case .critical: writer.writeRaw(",\"level\":\"critical\"")
        }
    }
}
