/// Writes compact JSON into a byte array (see ``JSONOutput`` for the spelling every output shares).
///
/// One writer serves every record we emit, so the event log has one spelling: no spaces, keys in
/// insertion order, non-finite doubles as Python's `json.dumps` writes them (`NaN`, `Infinity`).
public struct JSONWriter: JSONOutput, Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Empties the buffer but keeps its capacity, so a long-lived writer encodes without allocating.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
    }

    public mutating func writeByte(_ byte: UInt8) {
        bytes.append(byte)
    }

    public mutating func writeBytes(_ raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: raw)
    }
}
