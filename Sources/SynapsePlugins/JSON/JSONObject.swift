/// A JSON object that keeps its keys in insertion order.
///
/// Order matters to people reading a dashboard: metrics appear in the order the action logged them
/// (`epoch, loss, learning_rate`), not hashed. Event objects are small, so lookups scan linearly; past
/// ``indexThreshold`` members the object also keeps a hash index, so a wide object (a line of 20,000 keys)
/// reads in time linear in its size, not quadratic. Equality ignores order, as JSON's does. Setting an existing key keeps its position; the last write wins, as in
/// Python's `json.loads`.
public struct JSONObject: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    /// Member names are strings.
    public typealias Key = String
    /// Member values are JSON values.
    public typealias Value = JSONValue

    /// The members in insertion order, keys unique: one array, so an object costs one allocation (a
    /// `ctx.setMetrics([...])` literal none of its own: it adopts the literal's array).
    public private(set) var members: [(String, JSONValue)] = []

    /// Each key's position in ``members``, kept only once the object has more than ``indexThreshold``
    /// members (`nil` below: a small object's scan is cheaper than hashing, and costs no allocation).
    private var positions: [String: Int]?

    /// Members past which lookups go through a hash index.
    static let indexThreshold = 16

    /// An empty object.
    public init() {}

    /// Reserves room for `n` members (one allocation instead of regrowing while parsing).
    public mutating func reserveCapacity(_ n: Int) {
        members.reserveCapacity(n)
    }

    /// A dictionary literal is a JSON object, members in the order written.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        // Literals are the hot path of `setMetrics([...])`: when the keys are distinct (as they are in
        // any literal but a careless one), the literal's own array becomes the storage.
        if Self.keysAreDistinct(elements) {
            self.init(members: elements)
        } else {
            self.init()
            for (key, value) in elements { self[key] = value }
        }
    }

    /// Adopts `members`, whose keys the caller knows to be distinct.
    init(members: [(String, JSONValue)]) {
        self.members = members
        if members.count > Self.indexThreshold { rebuildPositions() }
    }

    /// Creates an object from key/value pairs; a repeated key keeps its first position and last value.
    public init<S: Sequence>(_ pairs: S) where S.Element == (String, JSONValue) {
        for (key, value) in pairs { self[key] = value }
    }

    /// The number of members.
    public var count: Int { members.count }
    /// `true` when there are no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The keys in insertion order (a new array: prefer ``members`` or iterating the object).
    public var keys: [String] { members.map(\.0) }
    /// The values in insertion order (a new array: prefer ``members`` or iterating the object).
    public var values: [JSONValue] { members.map(\.1) }

    /// The position of `key` among ``members``.
    func index(of key: String) -> Int? {
        if let positions { return positions[key] }
        return members.firstIndex { $0.0 == key }
    }

    private mutating func rebuildPositions() {
        var index = [String: Int](minimumCapacity: members.count)
        for (i, member) in members.enumerated() { index[member.0] = i }
        positions = index
    }

    /// Appends a member whose key is not in the object, keeping the index.
    private mutating func appendNew(_ key: String, _ value: JSONValue) {
        members.append((key, value))
        if positions != nil {
            positions![key] = members.count - 1
        } else if members.count > Self.indexThreshold {
            rebuildPositions()
        }
    }

    /// The value of member `key`; setting `nil` removes it, setting a new key appends it.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let i = index(of: key) else { return nil }
            return members[i].1
        }
        set {
            if let i = index(of: key) {
                if let newValue {
                    members[i].1 = newValue
                } else {
                    members.remove(at: i)
                    if positions != nil {
                        if members.count > Self.indexThreshold { rebuildPositions() } else { positions = nil }
                    }
                }
            } else if let newValue {
                appendNew(key, newValue)
            }
        }
    }

    /// Appends without checking for an existing key. Only for builders that know keys are unique.
    public mutating func appendUnchecked(_ key: String, _ value: JSONValue) {
        appendNew(key, value)
    }

    /// Merges `other` into this object; keys of `other` win.
    public mutating func merge(_ other: JSONObject) {
        for (key, value) in other { self[key] = value }
    }

    // Equality and hashing are the members' own: the index is only a cache of them.
    /// Equal when both have the same members, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (key, value) in lhs {
            guard rhs[key] == value else { return false }
        }
        return true
    }

    /// Hashes the members, in any order, to agree with `==`.
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

    /// Whether no key repeats: pairwise for literal-sized objects, with a set beyond.
    static func keysAreDistinct(_ elements: [(String, JSONValue)]) -> Bool {
        let n = elements.count
        if n > 16 { return Set(elements.lazy.map(\.0)).count == n }
        for i in 0..<n {
            for j in (i + 1)..<n where elements[i].0 == elements[j].0 { return false }
        }
        return true
    }
}

extension JSONObject: Sequence {
    /// Walks the members in insertion order (a plain struct: no allocation, unlike `AnyIterator`).
    public struct Iterator: IteratorProtocol {
        let members: [(String, JSONValue)]
        var index = 0

        /// The next member, in order.
        public mutating func next() -> (String, JSONValue)? {
            guard index < members.count else { return nil }
            defer { index += 1 }
            return members[index]
        }
    }

    /// Iterates the members in order.
    public func makeIterator() -> Iterator {
        Iterator(members: members)
    }

    /// The number of members.
    public var underestimatedCount: Int { members.count }
}

extension JSONObject: Codable {
    private struct CodingName: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes the value from JSON (or any `Decoder`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingName.self)
        for key in container.allKeys {
            self[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
        }
    }

    /// Encodes the value as JSON (or to any `Encoder`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingName.self)
        for (key, value) in self {
            try container.encode(value, forKey: CodingName(stringValue: key))
        }
    }
}
