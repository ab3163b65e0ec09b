import SynapsePlugins

/// The metrics of one step (`training`, `validation`, ...), merged record after record like the Python
/// SDK's `set_metrics`: a key logged again replaces its value and extends its history; keys keep the order of
/// first appearance. Nested dicts are flattened to dotted names (`grad.norm`).
///
/// The `metric` records of one `log_metric` category are kept apart from steps (``Kind/category``): each
/// record is one point of the category's series, at x = its `key`/`value`.
///
/// Every sample is placed on the run's own counter: the step's `global_step`, `step`, `iteration` or
/// `epoch` (the first of these the step logs; its latest value when a record leaves it out), else the
/// counter another step logged last (validation between training epochs), else nowhere (NaN).
package struct StepMetrics: Sendable, Hashable {
    /// The most metrics kept per step; further new keys are counted in ``droppedKeys``.
    package static let maxMetrics = 256
    /// Metric keys that count the run's progress, finest first: the chart's x axis.
    package static let counterKeys = ["global_step", "step", "iteration", "epoch"]
    /// Nested dicts deeper than this are kept as JSON text.
    static let maxDepth = 4

    /// Where a step's metrics come from.
    package enum Kind: Sendable, Hashable {
        /// `metrics` records (`set_metrics`) of a step.
        case step
        /// `metric` records (`log_metric`) of a category.
        case category
    }

    /// A counter's name and value.
    package struct Counter: Sendable, Hashable {
        package var name: String
        package var value: Double
    }

    /// The step's (or category's) name.
    package var step: String
    /// Steps and `log_metric` categories are separate series even when they share a name.
    package var kind: Kind
    /// The metrics, in order of first appearance.
    package private(set) var entries: [MetricEntry] = []
    /// New keys ignored because the step already had ``maxMetrics`` metrics.
    package private(set) var droppedKeys = 0
    /// The name of the counter the step's samples are placed on (its own, or one borrowed from another
    /// step), once known.
    package private(set) var counterName: String?
    /// Index into ``entries`` of the step's own counter, or -1.
    private var counterEntry = -1
    /// A counter key is among the entries but was not adopted (its first values were not numbers): only
    /// the general merge decides when it is.
    private var counterKeyPending = false
    private var index: [String: Int] = [:]

    /// Creates an empty step.
    package init(step: String, kind: Kind = .step) {
        self.step = step
        self.kind = kind
    }

    /// `true` when the step logs a counter of its own.
    package var hasOwnCounter: Bool { counterEntry >= 0 }

    /// The step's own counter and its latest value, if it logs one.
    package var ownCounter: Counter? {
        guard counterEntry >= 0, let name = counterName else { return nil }
        return Counter(name: name, value: entries[counterEntry].value.doubleValue ?? .nan)
    }

    /// Sets one metric's value.
    package mutating func set(_ name: String, _ value: JSONValue) {
        set(name, value, hint: -1, counter: .nan, time: 0)
    }

    /// Sets one metric's value; `hint` is where the key probably is (records tend to repeat their keys in
    /// the same order), checked before hashing.
    @inline(__always)
    mutating func set(_ name: String, _ value: JSONValue, hint: Int, counter: Double, time: Double) {
        if hint >= 0, hint < entries.count, entries[hint].name == name {
            entries[hint].update(value, counter: counter, time: time)
        } else if let i = index[name] {
            entries[i].update(value, counter: counter, time: time)
        } else if entries.count < Self.maxMetrics {
            index[name] = entries.count
            entries.append(MetricEntry(name: name, value: value, counter: counter, time: time))
            if counterEntry < 0, Self.counterKeys.contains(name) { counterKeyPending = true }
        } else {
            droppedKeys += 1
        }
    }

    /// Merges a metric dict.
    package mutating func merge(_ metrics: JSONObject) {
        merge(metrics, time: 0, borrowed: nil)
    }

    /// Merges a metric dict logged at `time`; `borrowed` is the run's counter when the step has none.
    package mutating func merge(_ metrics: JSONObject, time: Double, borrowed: Counter?) {
        var adopted: String?
        if counterEntry < 0, let key = Self.counterKeys.first(where: { metrics[$0]?.doubleValue != nil }) {
            // The step's own counter from now on (it may have borrowed one before).
            counterName = key
            adopted = key
        }
        let counter: Double
        if let name = counterName, counterEntry >= 0 || adopted != nil {
            counter = metrics[name]?.doubleValue ?? ownCounter?.value ?? .nan
        } else {
            counter = borrow(borrowed)
        }
        merge(metrics.members, prefix: nil, depth: 0, counter: counter, time: time)
        if let adopted { counterEntry = index[adopted] ?? -1 }
        if counterEntry >= 0 { counterKeyPending = false }
    }

    /// Applies one `log_metric` record. When its `key` is a counter (`epoch`, `step`, ...: the SDK's
    /// `log_metric('train', 'epoch', 3, loss=0.2)`), the record is one point at x = `value` of it; any other
    /// key (`log_metric('train', 'loss', 0.5, accuracy=0.95)`, the SDK's docstring) is one more metric of
    /// the point, placed like a step's metrics.
    package mutating func record(key: String?, value: JSONValue, metrics: JSONObject, time: Double, borrowed: Counter?) {
        guard let key, Self.isCounter(key), let x = value.doubleValue else {
            var all = JSONObject()
            if let key { all[key] = value }
            for (k, v) in metrics.members where k != key { all[k] = v }
            merge(all, time: time, borrowed: borrowed)
            return
        }
        var adopted: String?
        if counterEntry < 0 {
            counterName = key
            adopted = key
        }
        set(key, value, hint: -1, counter: x, time: time)
        merge(metrics.members, prefix: nil, depth: 0, counter: x, time: time)
        if let adopted { counterEntry = index[adopted] ?? -1 }
        if counterEntry >= 0 { counterKeyPending = false }
    }

    /// `true` for a key that counts the run's progress (``counterKeys``, `batch`, `iter`, `trial`).
    static func isCounter(_ key: String) -> Bool {
        counterKeys.contains(key) || ["batch", "iter", "trial", "round"].contains(key)
    }

    /// The borrowed counter's value (adopting its name the first time), or NaN.
    private mutating func borrow(_ borrowed: Counter?) -> Double {
        guard let borrowed else { return .nan }
        if counterName == nil { counterName = borrowed.name }
        return borrowed.name == counterName ? borrowed.value : .nan
    }

    private mutating func merge(_ members: [(String, JSONValue)], prefix: String?, depth: Int, counter: Double, time: Double) {
        // Index the storage directly: the object's Sequence conformance allocates an iterator per call.
        for i in members.indices {
            let name = prefix.map { $0 + "." + members[i].0 } ?? members[i].0
            if case .object(let inner) = members[i].1, depth < Self.maxDepth {
                merge(inner.members, prefix: name, depth: depth + 1, counter: counter, time: time)
            } else {
                set(name, members[i].1, hint: prefix == nil ? i : -1, counter: counter, time: time)
            }
        }
    }

    /// ``merge(_:)`` of a metrics line of a ``LogBlock``: keys given as indexes into `names`.
    ///
    /// The common case — the record repeats the step's first keys in their order — updates the entries in
    /// place (the names are the entries' own Strings, so comparing them is cheap); known keys in another
    /// order (a log of several producers) are found by name. Anything else — a new key, a repeated one, a
    /// counter not yet adopted — is merged as the JSONObject the full decoder would have built (a repeated
    /// key keeps its first position and its last value).
    mutating func merge(keys: ArraySlice<Int32>, values: ArraySlice<JSONNumber>, names: [String], time: Double,
                        borrowed: Counter?) {
        let n = keys.count
        let k0 = keys.startIndex, v0 = values.startIndex
        var inOrder = n <= entries.count && !counterKeyPending
        if inOrder {
            // Entry names are unique, so keys matching them one to one are unique too.
            for i in 0..<n where entries[i].name != names[Int(keys[k0 + i])] {
                inOrder = false
                break
            }
        }
        if inOrder {
            let c = counterEntry
            let counter = c >= 0 ? (c < n ? values[v0 + c].double : entries[c].value.doubleValue ?? .nan) : borrow(borrowed)
            // One uniqueness check for the line, not one per key.
            entries.withUnsafeMutableBufferPointer { entries in
                for i in 0..<n { entries[i].update(values[v0 + i], counter: counter, time: time) }
            }
            return
        }
        if n <= entries.count, n <= 16, !counterKeyPending, mergeKnownKeys(keys, values, names, time: time, borrowed: borrowed) {
            return
        }
        merge(JSONObject(metricKeys: keys, values: values, names: names), time: time, borrowed: borrowed)
    }

    /// Known, distinct keys in any order: each entry updated where it is, as the general merge would;
    /// `false` (nothing changed) when a key is new or repeated.
    private mutating func mergeKnownKeys(_ keys: ArraySlice<Int32>, _ values: ArraySlice<JSONNumber>, _ names: [String],
                                         time: Double, borrowed: Counter?) -> Bool {
        let n = keys.count
        let k0 = keys.startIndex, v0 = values.startIndex
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: n) { at in
            var counterAt = -1
            // A step's few metrics are found by comparing names: hashing each key cost more.
            let few = entries.count <= 16
            for i in 0..<n {
                let name = names[Int(keys[k0 + i])]
                guard let p = few ? entries.firstIndex(where: { $0.name == name }) : index[name] else { return false }
                for j in 0..<i where at[j] == p { return false }
                at[i] = p
                if p == counterEntry { counterAt = i }
            }
            let c = counterEntry
            let counter = c >= 0 ? (counterAt >= 0 ? values[v0 + counterAt].double : entries[c].value.doubleValue ?? .nan)
                : borrow(borrowed)
            entries.withUnsafeMutableBufferPointer { entries in
                for i in 0..<n { entries[at[i]].update(values[v0 + i], counter: counter, time: time) }
            }
            return true
        }
    }

    /// The metric named `name`, if logged.
    package func entry(named name: String) -> MetricEntry? {
        index[name].map { entries[$0] }
    }
}
