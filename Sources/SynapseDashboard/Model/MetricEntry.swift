import SynapsePlugins

/// One metric of a step: its latest value as logged and, when numeric, its bounded history.
package struct MetricEntry: Sendable, Hashable {
    /// The metric's key as logged (`loss`, `accuracy`, ...).
    package var name: String
    /// The latest value, as logged (numbers, strings, anything JSON).
    package var value: JSONValue {
        get { number?.json ?? other }
        set {
            switch newValue {
            case .int(let i): number = .int(i); other = .null
            case .double(let d): number = .double(d); other = .null
            default: number = nil; other = newValue
            }
        }
    }
    // A number is kept as one: replacing it then releases nothing (millions of samples on a long log).
    private var number: JSONNumber?
    private var other: JSONValue = .null
    /// The numeric history; `nil` until the metric has had a numeric value.
    package var series: MetricSeries? {
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
    package init(name: String, value: JSONValue, counter: Double = .nan, time: Double = 0) {
        self.name = name
        update(value, counter: counter, time: time)
    }

    /// Records a new value: numbers extend the series (at `counter`, the run's counter for the sample, NaN
    /// when unknown, and `time`), anything else only replaces the shown value.
    package mutating func update(_ newValue: JSONValue, counter: Double = .nan, time: Double = 0) {
        value = newValue  // the setter tells numbers from the rest
        if let number { appendNumber(number.double, counter, time) }
    }

    /// ``update(_:counter:time:)`` with a number.
    @inline(__always)
    mutating func update(_ number: JSONNumber, counter: Double, time: Double) {
        self.number = number
        if case .null = other {} else { other = .null }
        appendNumber(number.double, counter, time)
    }

    @inline(__always)
    private mutating func appendNumber(_ d: Double, _ counter: Double, _ time: Double) {
        hasSeries = true
        history.append(d, counter: counter, time: time)
    }

    /// `true` when the metric has numeric history (it can be charted).
    package var isNumeric: Bool { hasSeries }
}
