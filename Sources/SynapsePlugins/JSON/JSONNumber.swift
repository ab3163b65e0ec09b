/// A JSON number as the parser read it: an integer when written without a fraction or exponent, else a
/// Double — the two number cases of ``JSONValue``, in a type that owns no memory.
///
/// Hot paths carry metric values in this form (``RecordScanner``, ``LogBlock``): an array of them is copied,
/// cleared and freed without a reference count or a destructor per element, which an array of
/// ``JSONValue`` (whose other cases hold Strings, arrays and objects) cannot avoid.
package enum JSONNumber: Sendable, Hashable {
    case int(Int)
    case double(Double)

    /// The same number as a ``JSONValue`` (`.int` or `.double`).
    @inlinable
    package var json: JSONValue {
        switch self {
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        }
    }

    /// The number as a Double.
    @inlinable
    package var double: Double {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        }
    }
}
