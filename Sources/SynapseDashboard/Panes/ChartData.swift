import Foundation
import SynapsePlugins

/// What the chart's x axis shows (`x` cycles through them).
package enum ChartXAxis: String, Sendable, Hashable, CaseIterable {
    /// The run's own counter (`epoch`, `step`, `global_step`, or a `log_metric` record's key); time since
    /// the start when the charted series do not share one.
    case counter
    /// Seconds since the run started.
    case relativeTime
    /// The time of day.
    case wallTime
}

/// The chart's content, computed from the state and the UI state alone (no drawing): which series, on
/// which x axis, over which range. ``ChartPane`` draws it; tests read it.
struct ChartData {
    /// One point of a series: one bucket of its history.
    struct Point {
        var x: Double
        var min: Double
        var max: Double
        var mean: Double
        /// Finite samples behind the point (more than one: the point is an envelope).
        var finite: Int
        var nonFinite: MetricSeries.NonFinite
        /// The exponential moving average at this point (the mean when smoothing is off).
        var smoothed: Double
    }

    /// One series.
    struct Line {
        var id: MetricID
        var label: String
        var points: [Point]
        var nanCount: Int
        var infinityCount: Int
        /// Which colour role and mark the series is drawn with (its run's, when comparing).
        var slot: Int
    }

    /// The x axis as resolved: what was asked for, or what the series allow.
    enum Axis: Equatable {
        case counter(String)
        case relativeTime
        case wallTime
        /// Sample number (nothing better is known).
        case sample
    }

    var lines: [Line]
    var axis: Axis
    /// The x range shown.
    var xLow: Double, xHigh: Double
    /// The x axis's end labels and where they stand (a counter's first and last whole values).
    var xLowLabel: String, xHighLabel: String
    var xLowTick: Double, xHighTick: Double
    /// The y range shown (log10 of the values when ``log``).
    var yLow: Double, yHigh: Double
    var log: Bool
    /// Log scale was asked for but a value is not positive.
    var logRefused: Bool

    /// TensorBoard's default smoothing weight.
    static let smoothingWeight = 0.6
    /// `z` cycles through these (`nil`: the full run).
    static let zoomSteps: [Int?] = [nil, 200, 50]
    /// The most series on one chart.
    static let maxLines = 4

    /// The metrics the chart draws: the charted one first, then the ones marked in the table, then its
    /// twins (the same name in other steps and categories, `loss` with `val_loss`).
    static func lineIDs(state: DashboardState, ui: UIState) -> [MetricID] {
        guard let primary = MetricsPane.chartMetric(state: state, ui: ui) else { return [] }
        var ids = [primary]
        for id in ui.markedMetrics where !ids.contains(id) && state.isChartable(id) { ids.append(id) }
        let base = primary.name.hasPrefix("val_") ? String(primary.name.dropFirst(4)) : primary.name
        let twins: Set<String> = [primary.name, base, "val_" + base]
        for id in state.chartableMetrics where twins.contains(id.name) && !ids.contains(id) { ids.append(id) }
        return Array(ids.prefix(maxLines))
    }

    /// One series to chart: its history, the counter its samples sit on, its run's start (for the time
    /// axis), and its slot (which colour role and mark it is drawn with). The dashboard's chart makes one
    /// per charted metric of a run; the comparison one per run.
    struct Input {
        var id: MetricID
        var label: String
        var series: MetricSeries
        var counterName: String?
        /// The run's start (epoch seconds): relative time is measured from each series' own run.
        var start: Double
        var slot: Int
    }

    /// The chart for a state, or `nil` when there is nothing numeric to chart.
    static func make(state: DashboardState, ui: UIState, utcOffset: Int = 0) -> ChartData? {
        let ids = lineIDs(state: state, ui: ui)
        let start = state.run.startedAt ?? state.firstTimestamp ?? 0
        // A system figure has no counter: beside a metric the chart falls back to the time both share.
        var found: [Input] = []
        for id in ids {
            guard let chart = state.chartSeries(id) else { continue }
            found.append(Input(id: id, label: "", series: chart.series, counterName: chart.counter, start: start, slot: found.count))
        }
        guard var data = make(inputs: found, xAxis: ui.chartXAxis, zoom: ui.chartZoom, smoothing: ui.chartSmoothing,
                              logScale: ui.chartLogScale, utcOffset: utcOffset) else { return nil }
        label(&data.lines)
        return data
    }

    /// The chart of `inputs` (the first one decides the zoom and must have a sample), or `nil`.
    static func make(inputs found: [Input], xAxis: ChartXAxis, zoom: Int?, smoothing: Bool, logScale: Bool,
                     utcOffset: Int = 0) -> ChartData? {
        guard let first = found.first, first.series.sampleCount > 0 else { return nil }

        // The axis: the counter only when every series has the same one; time when every sample has one.
        let allBuckets = found.map { $0.series.buckets }
        let timed = allBuckets.allSatisfy { $0.allSatisfy { $0.time > 0 && $0.time < 1e13 } }
        var axis: Axis
        switch xAxis {
        case .counter:
            let names = Set(found.map(\.counterName))
            if names.count == 1, let name = first.counterName, allBuckets.allSatisfy({ $0.contains { !$0.counterLast.isNaN } }) {
                axis = .counter(name)
            } else {
                axis = timed ? .relativeTime : .sample
            }
        case .relativeTime: axis = timed ? .relativeTime : .sample
        case .wallTime: axis = timed ? .wallTime : .sample
        }

        var xs: [[Double]] = []
        for (k, buckets) in allBuckets.enumerated() {
            switch axis {
            case .counter: xs.append(counterPositions(buckets))
            case .relativeTime: xs.append(buckets.map { $0.time - found[k].start })
            case .wallTime: xs.append(buckets.map(\.time))
            case .sample:
                let per = Double(found[k].series.samplesPerBucket)
                xs.append(buckets.indices.map { Double($0) * per + 1 })
            }
        }

        // Zoom: from where the charted series' last N samples start.
        var cutoff = -Double.infinity
        if let n = zoom {
            let kept = first.series.lastBuckets(covering: n).count
            if let x = xs[0].dropFirst(xs[0].count - kept).first { cutoff = x }
        }

        var lines: [Line] = []
        for (k, input) in found.enumerated() {
            var points: [Point] = []
            for (b, x) in zip(allBuckets[k], xs[k]) where x >= cutoff {
                points.append(Point(x: x, min: b.min, max: b.max, mean: b.mean, finite: Int(b.finite),
                                    nonFinite: b.nonFinite, smoothed: b.mean))
            }
            if smoothing { smooth(&points) }
            let series = input.series
            lines.append(Line(id: input.id, label: input.label, points: points, nanCount: series.nanCount,
                              infinityCount: series.positiveInfinityCount + series.negativeInfinityCount, slot: input.slot))
        }

        let xValues = lines.flatMap { $0.points.map(\.x) }
        let xLow = xValues.min() ?? 0, xHigh = xValues.max() ?? 0
        var (lowTick, highTick) = (xLow, xHigh)
        if case .counter = axis {
            // Batches of epoch 1 lie in (0, 1]: label the whole values, where they are.
            lowTick = xLow.rounded(.up) + 0  // + 0: never "-0"
            highTick = Swift.max(lowTick, xHigh.rounded(.down))
        }
        let (xLowLabel, xHighLabel) = xLabels(axis, lowTick, highTick, utcOffset: utcOffset)

        // The y range: every finite value shown (raw and smoothed).
        var lo = Double.infinity, hi = -Double.infinity
        for line in lines {
            for p in line.points where p.finite > 0 {
                lo = Swift.min(lo, p.min, p.smoothed)
                hi = Swift.max(hi, p.max, p.smoothed)
            }
        }
        var log = false, refused = false
        if logScale {
            if lo > 0 { log = true } else { refused = true }
        }
        if lo > hi { lo = 0; hi = 0 }
        if log { lo = log10(lo); hi = log10(hi) }
        if hi <= lo {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad; hi += pad
        }
        return ChartData(lines: lines, axis: axis, xLow: xLow, xHigh: xHigh, xLowLabel: xLowLabel, xHighLabel: xHighLabel,
                         xLowTick: lowTick, xHighTick: highTick, yLow: lo, yHigh: hi, log: log, logRefused: refused)
    }

    /// x positions on a counter: a bucket at one counter value sits at it; several buckets sharing one value
    /// (30 batches of epoch 3) are spread in order over (2, 3] as fractional positions, so the last batch of
    /// epoch 3 and a validation logged once at epoch 3 meet at 3. The group still being filled keeps the
    /// spacing of the group before it (a third of an epoch done shows as a third). A bucket spanning several
    /// values sits between them. Unknown counters take the nearest known one before (or after).
    static func counterPositions(_ buckets: [MetricSeries.Bucket]) -> [Double] {
        let n = buckets.count
        // An infinite counter says nothing about where a sample is: unknown, like a missing one.
        var first = buckets.map { $0.counterFirst.isFinite ? $0.counterFirst : .nan }
        var last = buckets.map { $0.counterLast.isFinite ? $0.counterLast : .nan }
        guard let known = last.firstIndex(where: { !$0.isNaN }) else { return buckets.indices.map(Double.init) }
        var carry = first[known].isNaN ? last[known] : first[known]
        for i in 0..<n {
            if first[i].isNaN { first[i] = last[i].isNaN ? carry : last[i] }
            if last[i].isNaN { last[i] = first[i] }
            carry = last[i]
        }
        var xs = [Double](repeating: 0, count: n)
        var previousValue: Double?  // the counter value before the current group
        var previousSpacing: Double?  // the spacing of a repeating group before, for the group still being filled
        var i = 0
        while i < n {
            let v = first[i]
            guard last[i] == v else {
                xs[i] = (first[i] + last[i]) / 2
                previousValue = last[i]
                i += 1
                continue
            }
            var j = i + 1
            while j < n, first[j] == v, last[j] == v { j += 1 }
            let count = Double(j - i)
            let width: Double
            if let p = previousValue, p < v {
                width = v - p
            } else if j < n, first[j] > v {
                width = first[j] - v
            } else {
                width = 1
            }
            var spacing = width / count
            if j == n, let s = previousSpacing, s < spacing { spacing = s }
            for k in i..<j { xs[k] = v - width + spacing * Double(k - i + 1) }
            // Only a value that repeated says how densely the one being filled will be.
            previousSpacing = count > 1 ? width / count : nil
            previousValue = v
            i = j
        }
        return xs
    }

    /// TensorBoard's smoothing: a debiased exponential moving average; non-finite points pass through.
    static func smooth(_ points: inout [Point]) {
        var last = 0.0, n = 0.0
        for i in points.indices where points[i].finite > 0 {
            last = last * smoothingWeight + (1 - smoothingWeight) * points[i].mean
            n += 1
            points[i].smoothed = last / (1 - pow(smoothingWeight, n))
        }
    }

    /// Legend labels: the names when they tell the series apart, else the steps, else both.
    static func label(_ lines: inout [Line]) {
        let names = Set(lines.map(\.id.name))
        let steps = Set(lines.map { MetricID(step: $0.id.step, name: "", category: $0.id.category, system: $0.id.system) })
        for i in lines.indices {
            let id = lines[i].id
            let step = id.category ? "\(id.step)[metric]" : id.step
            if names.count == lines.count {
                lines[i].label = id.name
            } else if steps.count == lines.count {
                lines[i].label = step
            } else {
                lines[i].label = id.description
            }
        }
    }

    /// The x axis's end labels: counter values, durations or times of day.
    static func xLabels(_ axis: Axis, _ lo: Double, _ hi: Double, utcOffset: Int) -> (String, String) {
        switch axis {
        case .counter:
            return (NumberFormat.number(lo), NumberFormat.number(hi))
        case .relativeTime: return (NumberFormat.duration(lo), NumberFormat.duration(hi))
        case .wallTime: return (NumberFormat.clock(lo, utcOffset: utcOffset), NumberFormat.clock(hi, utcOffset: utcOffset))
        case .sample: return (NumberFormat.number(lo), NumberFormat.number(hi))
        }
    }

    /// Where `x` stands in [`xLow`, `xHigh`], as a fraction in 0...1 (0 when the range is empty or not a
    /// number: extreme values must not reach an `Int` conversion as NaN).
    func fraction(_ x: Double) -> Double {
        let f = (x - xLow) / (xHigh - xLow)
        return f.isFinite ? Swift.min(1, Swift.max(0, f)) : 0
    }

    /// The axis's name as shown under it.
    var axisName: String {
        switch axis {
        case .counter(let name): return name
        case .relativeTime: return "time"
        case .wallTime: return "clock"
        case .sample: return "sample"
        }
    }
}
