/// A JSON object that keeps its keys in insertion order.
///
/// Order matters to people reading a dashboard: metrics appear in the order the action logged them
/// (`epoch, loss, learning_rate`), not hashed. Event objects are small, so lookups scan linearly; equality
/// ignores order, as JSON's does. Setting an existing key keeps its position; the last write wins, as in
/// Python's `json.loads`.
public struct JSONObject: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    public typealias Key = String
    public typealias Value = JSONValue

    public private(set) var keys: [String] = []
    public private(set) var values: [JSONValue] = []

    public init() {}

    /// Reserves room for `n` members (one allocation per array instead of regrowing while parsing).
    public mutating func reserveCapacity(_ n: Int) {
        keys.reserveCapacity(n)
        values.reserveCapacity(n)
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        // Literals are the hot path of `setMetrics([...])`: size the storage once.
        keys.reserveCapacity(elements.count)
        values.reserveCapacity(elements.count)
        for (key, value) in elements { self[key] = value }
    }

    /// Creates an object from key/value pairs; a repeated key keeps its first position and last value.
    public init<S: Sequence>(_ pairs: S) where S.Element == (String, JSONValue) {
        for (key, value) in pairs { self[key] = value }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public subscript(key: String) -> JSONValue? {
        get {
            guard let i = keys.firstIndex(of: key) else { return nil }
            return values[i]
        }
        set {
            if let i = keys.firstIndex(of: key) {
                if let newValue { values[i] = newValue } else { keys.remove(at: i); values.remove(at: i) }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    /// Appends without checking for an existing key. Only for builders that know keys are unique.
    public mutating func appendUnchecked(_ key: String, _ value: JSONValue) {
        keys.append(key)
        values.append(value)
    }

    /// Merges `other` into this object; keys of `other` win.
    public mutating func merge(_ other: JSONObject) {
        for (key, value) in other { self[key] = value }
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (key, value) in lhs {
            guard rhs[key] == value else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent, to agree with ==.
        var sum = 0
        for (key, value) in self {
            var h = Hasher()
            h.combine(key)
            h.combine(value)
            sum &+= h.finalize()
        }
        hasher.combine(count)
        hasher.combine(sum)
    }
}

extension JSONObject: Sequence {
    /// Walks the members in insertion order (a plain struct: no allocation, unlike `AnyIterator`).
    public struct Iterator: IteratorProtocol {
        let keys: [String]
        let values: [JSONValue]
        var index = 0

        public mutating func next() -> (String, JSONValue)? {
            guard index < keys.count else { return nil }
            defer { index += 1 }
            return (keys[index], values[index])
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(keys: keys, values: values)
    }

    public var underestimatedCount: Int { keys.count }
}

extension JSONObject: Codable {
    private struct CodingName: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingName.self)
        for key in container.allKeys {
            self[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingName.self)
        for (key, value) in self {
            try container.encode(value, forKey: CodingName(stringValue: key))
        }
    }
}
