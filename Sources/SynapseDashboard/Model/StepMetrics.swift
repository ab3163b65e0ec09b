import SynapsePlugins

/// The metrics of one step (`training`, `validation`, ...), merged record after record like the Python
/// SDK's `set_metrics`: a key logged again replaces its value and extends its history; keys keep the order of
/// first appearance.
public struct StepMetrics: Sendable, Hashable {
    /// The most metrics kept per step; further new keys are counted in ``droppedKeys``.
    public static let maxMetrics = 256

    /// The step's name.
    public var step: String
    /// The metrics, in order of first appearance.
    public private(set) var entries: [MetricEntry] = []
    /// New keys ignored because the step already had ``maxMetrics`` metrics.
    public private(set) var droppedKeys = 0
    private var index: [String: Int] = [:]

    /// Creates an empty step.
    public init(step: String) {
        self.step = step
    }

    /// Sets one metric's value.
    public mutating func set(_ name: String, _ value: JSONValue) {
        set(name, value, hint: -1)
    }

    /// Sets one metric's value; `hint` is where the key probably is (records tend to repeat their keys in
    /// the same order), checked before hashing.
    @inline(__always)
    mutating func set(_ name: String, _ value: JSONValue, hint: Int) {
        if hint >= 0, hint < entries.count, entries[hint].name == name {
            entries[hint].update(value)
        } else if let i = index[name] {
            entries[i].update(value)
        } else if entries.count < Self.maxMetrics {
            index[name] = entries.count
            entries.append(MetricEntry(name: name, value: value))
        } else {
            droppedKeys += 1
        }
    }

    /// Merges a metric dict.
    public mutating func merge(_ metrics: JSONObject) {
        // Index the storage directly: the object's Sequence conformance allocates an iterator per call.
        let members = metrics.members
        for i in members.indices { set(members[i].0, members[i].1, hint: i) }
    }

    /// ``merge(_:)`` of a metrics line of a ``LogBlock``: keys given as indexes into `names`.
    ///
    /// The common case — the record repeats the step's first keys in their order — updates the entries in
    /// place (the names are the entries' own Strings, so comparing them is cheap). Anything else is merged
    /// as the JSONObject the full decoder would have built (a repeated key keeps its first position and its
    /// last value).
    mutating func merge(keys: ArraySlice<Int32>, values: ArraySlice<JSONNumber>, names: [String]) {
        let n = keys.count
        let k0 = keys.startIndex, v0 = values.startIndex
        var inOrder = n <= entries.count
        if inOrder {
            // Entry names are unique, so keys matching them one to one are unique too.
            for i in 0..<n where entries[i].name != names[Int(keys[k0 + i])] {
                inOrder = false
                break
            }
        }
        if inOrder {
            // One uniqueness check for the line, not one per key.
            entries.withUnsafeMutableBufferPointer { entries in
                for i in 0..<n { entries[i].update(values[v0 + i]) }
            }
            return
        }
        merge(JSONObject(metricKeys: keys, values: values, names: names))
    }

    /// The metric named `name`, if logged.
    public func entry(named name: String) -> MetricEntry? {
        index[name].map { entries[$0] }
    }
}
