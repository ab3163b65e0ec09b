import SynapsePlugins

/// One metric of a step: its latest value as logged and, when numeric, its bounded history.
public struct MetricEntry: Sendable, Hashable {
    /// The metric's key as logged (`loss`, `accuracy`, ...).
    public var name: String
    /// The latest value, as logged (numbers, strings, anything JSON).
    public var value: JSONValue
    /// The numeric history; `nil` until the metric has had a numeric value.
    public var series: MetricSeries? {
        get { hasSeries ? history : nil }
        set {
            hasSeries = newValue != nil
            history = newValue ?? MetricSeries()
        }
    }
    // Stored unwrapped: appending through an optional's payload copied the series (and its buckets) on
    // every sample.
    private var history = MetricSeries()
    private var hasSeries = false

    /// Creates an entry with a first value.
    public init(name: String, value: JSONValue) {
        self.name = name
        self.value = .null
        update(value)
    }

    /// Records a new value: numbers extend the series, anything else only replaces the shown value.
    public mutating func update(_ newValue: JSONValue) {
        value = newValue
        switch newValue {
        case .int(let i): appendNumber(Double(i))
        case .double(let d): appendNumber(d)
        default: break
        }
    }

    /// ``update(_:)`` with a number.
    @inline(__always)
    mutating func update(_ number: JSONNumber) {
        value = number.json
        appendNumber(number.double)
    }

    @inline(__always)
    private mutating func appendNumber(_ d: Double) {
        hasSeries = true
        history.append(d)
    }

    /// `true` when the metric has numeric history (it can be charted).
    public var isNumeric: Bool { hasSeries }
}
