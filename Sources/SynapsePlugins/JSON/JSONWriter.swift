/// Writes compact JSON into a byte array (see ``JSONOutput`` for the spelling every output shares).
///
/// One writer serves every record we emit, so the event log has one spelling: no spaces, keys in
/// insertion order, non-finite doubles as Python's `json.dumps` writes them (`NaN`, `Infinity`).
package struct JSONWriter: JSONOutput, Sendable {
    package private(set) var bytes: [UInt8] = []

    package init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    package var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Empties the buffer but keeps its capacity, so a long-lived writer encodes without allocating.
    package mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
    }

    package mutating func writeByte(_ byte: UInt8) {
        bytes.append(byte)
    }

    package mutating func writeBytes(_ raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: raw)
    }
}
