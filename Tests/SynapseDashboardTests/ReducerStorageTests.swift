import Testing
import SynapsePlugins
@testable import SynapseDashboard

/// ``MetricSeries`` keeps its newest bucket apart and ``EventRate`` counts runs of one second apart, to
/// spare a checked array write per sample. Both must show exactly what the plain forms below (the earlier
/// implementations, kept here as references) show, for every sequence.
@Suite struct ReducerStorageTests {
    /// The plain series: every bucket in one array, the newest updated in place. A non-finite sample takes
    /// its slot but no part in min, max or last (a bucket of only such samples is +inf, -inf, NaN).
    struct ReferenceSeries {
        var count = 0, lowest = Double.infinity, highest = -Double.infinity
        var first: Double?, last: Double?
        var buckets: [(min: Double, max: Double, last: Double)] = []
        var samplesPerBucket = 1, filledInLast = 0

        mutating func append(_ value: Double) {
            last = value
            if value.isFinite {
                if count == 0 { first = value }
                count += 1
                lowest = Swift.min(lowest, value)
                highest = Swift.max(highest, value)
            }
            let f = value.isFinite
            if filledInLast == 0 || filledInLast == samplesPerBucket {
                if buckets.count == MetricSeries.bucketCapacity {
                    let half = buckets.count / 2
                    for i in 0..<half {
                        let a = buckets[2 * i], b = buckets[2 * i + 1]
                        buckets[i] = (Swift.min(a.min, b.min), Swift.max(a.max, b.max), b.last.isNaN ? a.last : b.last)
                    }
                    buckets.removeLast(buckets.count - half)
                    samplesPerBucket *= 2
                }
                buckets.append(f ? (value, value, value) : (.infinity, -.infinity, .nan))
                filledInLast = 1
            } else {
                let i = buckets.count - 1
                if f {
                    buckets[i].min = Swift.min(buckets[i].min, value)
                    buckets[i].max = Swift.max(buckets[i].max, value)
                    buckets[i].last = value
                }
                filledInLast += 1
            }
        }
    }

    static func same(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }

    @Test func seriesShowsWhatThePlainFormShows() {
        var rng = SplitMix64(seed: 0x5E21)
        for length in [0, 1, 2, 255, 256, 257, 511, 512, 513, 1_000, 4_097, 70_000] {
            var series = MetricSeries()
            var reference = ReferenceSeries()
            for k in 0..<length {
                let value: Double
                switch rng.below(50) {
                case 0: value = .nan
                case 1: value = rng.below(2) == 0 ? .infinity : -.infinity
                default: value = Double(Int(rng.next() % 2_000_001) - 1_000_000) / 1000 + Double(k % 7)
                }
                series.append(value)
                reference.append(value)
                // Looked at now and then while growing, not only at the end.
                if k % 997 == 0 || k == length - 1 { Self.expectSame(series, reference, "length \(length) at \(k)") }
            }
            Self.expectSame(series, reference, "length \(length)")
        }
    }

    static func expectSame(_ s: MetricSeries, _ r: ReferenceSeries, _ label: String) {
        #expect(s.count == r.count, "\(label)")
        #expect(s.min == (r.count > 0 ? r.lowest : nil), "\(label)")
        #expect(s.max == (r.count > 0 ? r.highest : nil), "\(label)")
        #expect(s.first == r.first, "\(label)")
        #expect(s.last?.bitPattern == r.last?.bitPattern, "\(label)")
        #expect(s.samplesPerBucket == r.samplesPerBucket, "\(label)")
        #expect(s.bucketCount == r.buckets.count, "\(label)")
        #expect(same(s.bucketMin, r.buckets.map(\.min)), "\(label)")
        #expect(same(s.bucketMax, r.buckets.map(\.max)), "\(label)")
        #expect(same(s.bucketLast, r.buckets.map(\.last)), "\(label)")
        for columns in [1, 7, 40, 300] {
            let points = s.resampled(to: columns)
            let n = r.buckets.count
            var expected: [(Double, Double, Double)] = []
            if n > 0 {
                if n <= columns {
                    expected = r.buckets.map { ($0.min, $0.max, $0.last) }
                } else {
                    for c in 0..<columns {
                        let lo = c * n / columns, hi = Swift.max(lo + 1, (c + 1) * n / columns)
                        let slice = r.buckets[lo..<hi]
                        expected.append((slice.map(\.min).min()!, slice.map(\.max).max()!,
                                         slice.last { !$0.last.isNaN }?.last ?? .nan))
                    }
                }
            }
            #expect(points.count == expected.count, "\(label), \(columns) columns")
            #expect(zip(points, expected).allSatisfy { $0.min == $1.0 && $0.max == $1.1 && ($0.last == $1.2 || ($0.last.isNaN && $1.2.isNaN)) },
                    "\(label), \(columns) columns")
        }
    }

    /// The plain rate: every event written into its slot.
    struct ReferenceRate {
        var counts = [Int](repeating: 0, count: EventRate.window)
        var seconds = [Int](repeating: Int.min, count: EventRate.window)
        var latestSecond: Int?, firstSecond: Int?

        mutating func record(_ timestamp: Double) {
            guard timestamp > 0, timestamp < 1e15 else { return }
            let second = Int(timestamp)
            let slot = second % EventRate.window
            if seconds[slot] != second {
                seconds[slot] = second
                counts[slot] = 0
            }
            counts[slot] += 1
            if firstSecond == nil { firstSecond = second }
            if latestSecond == nil || second > latestSecond! { latestSecond = second }
        }

        func perSecond(now: Double?) -> Double {
            guard let latest = latestSecond, let first = firstSecond else { return 0 }
            let end = now.map { Int($0) } ?? latest
            let start = end - EventRate.window + 1
            var total = 0
            for i in 0..<EventRate.window where seconds[i] >= start && seconds[i] <= end { total += counts[i] }
            return Double(total) / Double(Swift.max(1, Swift.min(EventRate.window, end - first + 1)))
        }
    }

    @Test func rateShowsWhatThePlainFormShows() {
        var rng = SplitMix64(seed: 0x2A7E)
        for trial in 0..<300 {
            var rate = EventRate()
            var reference = ReferenceRate()
            var t = 1_764_076_800.0 + Double(rng.below(1000))
            for _ in 0..<(1 + rng.below(400)) {
                switch rng.below(40) {
                case 0: t -= Double(rng.below(8))            // out of order
                case 1: t += Double(rng.below(20))           // a gap
                case 2: rate.record(0); reference.record(0)  // unknown times are ignored
                case 3: rate.record(-5); reference.record(-5)
                default: t += Double(rng.below(300)) / 1000  // mostly within the same second
                }
                rate.record(t)
                reference.record(t)
                if rng.below(25) == 0 {
                    #expect(rate.perSecond() == reference.perSecond(now: nil), "trial \(trial)")
                }
            }
            #expect(rate.latestSecond == reference.latestSecond, "trial \(trial)")
            #expect(rate.firstSecond == reference.firstSecond, "trial \(trial)")
            for now in [nil, t, t + 1, t + 3, t + 10, t - 2] as [Double?] {
                #expect(rate.perSecond(now: now) == reference.perSecond(now: now), "trial \(trial), now \(String(describing: now))")
            }
        }
    }

    @Test func ratesCountingTheSameEventsAreEqual() {
        // The same counts, one with its newest second still apart and one with it added by a later second
        // that then falls out of the comparison: equal only when the counts are.
        var a = EventRate(), b = EventRate()
        for t in [10.1, 10.2, 11.5, 11.6, 11.7] { a.record(t); b.record(t) }
        #expect(a == b && a.hashValue == b.hashValue)
        b.record(11.8)
        #expect(a != b)
        a.record(11.9)
        #expect(a == b && a.hashValue == b.hashValue)
    }
}
