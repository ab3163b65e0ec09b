/// The history of one numeric metric in bounded memory.
///
/// `min`, `max`, `first`, `last`, the sample counts and the non-finite counts are exact. The history itself
/// is kept in at most ``bucketCapacity`` buckets; each holds, for the samples it covers, the minimum,
/// maximum, sum (for the mean) and last finite value, how many were NaN / +inf / -inf, and where they were
/// on the x axis (the run's counter and the time). When the buckets are full, neighbouring pairs merge and
/// every bucket covers twice as many samples, so appending is O(1) amortised and a chart of ten million
/// samples keeps its true envelope (spikes stay visible because each bucket keeps its extremes).
///
/// A NaN or infinite sample takes its place in the history like any other (later samples do not shift),
/// but it is not part of `min`, `max` or the mean: it is counted and marked.
package struct MetricSeries: Sendable, Hashable {
    /// The most buckets kept.
    package static let bucketCapacity = 256

    /// Finite samples seen.
    package private(set) var count = 0
    /// Every sample seen, finite or not.
    package private(set) var sampleCount = 0
    /// NaN samples seen.
    package private(set) var nanCount = 0
    /// `+inf` samples seen.
    package private(set) var positiveInfinityCount = 0
    /// `-inf` samples seen.
    package private(set) var negativeInfinityCount = 0
    private var lowest = Double.infinity
    private var highest = -Double.infinity
    /// The first finite sample.
    package private(set) var first: Double?
    /// The most recent sample (may be NaN or infinite).
    package private(set) var last: Double?
    /// Where the smallest finite sample came first: the run's counter then (NaN when unknown) and its
    /// position among all samples (1 for the first).
    package private(set) var minAt = Position()
    /// Where the largest finite sample came first (see ``minAt``).
    package private(set) var maxAt = Position()

    /// Where on the run a sample came: for the best value of a metric (the epoch a loss was lowest).
    package struct Position: Sendable, Hashable {
        /// The run's counter (epoch, step, ...) at the sample; NaN when unknown.
        package var counter: Double = .nan
        /// The sample's position among all samples of the series, from 1; 0 before the first.
        package var sample = 0

        /// Creates a position.
        package init(counter: Double = .nan, sample: Int = 0) {
            self.counter = counter
            self.sample = sample
        }

        /// Bit for bit (a NaN counter equals a NaN counter).
        package static func == (a: Self, b: Self) -> Bool { a.counter.bitPattern == b.counter.bitPattern && a.sample == b.sample }
        package func hash(into h: inout Hasher) { h.combine(sample) }
    }

    /// One bucket of history.
    package struct Bucket: Sendable, Hashable {
        /// The smallest finite sample (`+inf` when there is none).
        package var min: Double
        /// The largest finite sample (`-inf` when there is none).
        package var max: Double
        /// The sum of the finite samples.
        package var sum: Double
        /// The last finite sample (NaN when there is none).
        package var last: Double
        /// The run's counter at the bucket's first sample (NaN when unknown).
        package var counterFirst: Double
        /// The run's counter at the bucket's last sample (NaN when unknown).
        package var counterLast: Double
        /// The timestamp of the bucket's last sample (0 when unknown).
        package var time: Double
        /// Finite samples covered.
        package var finite: Int32
        /// Non-finite samples covered, as ``NonFinite`` bits.
        package var nonFinite: NonFinite

        /// `true` when no sample of the bucket was finite: a gap in the line.
        package var isGap: Bool { finite == 0 }
        /// The mean of the finite samples (NaN for a gap).
        package var mean: Double { finite > 0 ? sum / Double(finite) : .nan }

        init(_ value: Double, counter: Double, time: Double) {
            min = .infinity; max = -.infinity; sum = 0; last = .nan
            counterFirst = counter; counterLast = counter; self.time = time
            finite = 0; nonFinite = []
            add(value, counter: counter, time: time)
        }

        @inline(__always)
        mutating func add(_ value: Double, counter: Double, time: Double) {
            if value.isFinite {
                if value < min { min = value }
                if value > max { max = value }
                sum += value
                last = value
                finite += 1
            } else {
                nonFinite.insert(value.isNaN ? .nan : value > 0 ? .positiveInfinity : .negativeInfinity)
            }
            counterLast = counter
            self.time = time
        }

        func merged(with b: Bucket) -> Bucket {
            var m = self
            m.min = Swift.min(min, b.min)
            m.max = Swift.max(max, b.max)
            m.sum = sum + b.sum
            if b.finite > 0 { m.last = b.last }
            m.counterLast = b.counterLast
            m.time = b.time
            m.finite = finite + b.finite
            m.nonFinite = nonFinite.union(b.nonFinite)
            return m
        }
    }

    /// Which non-finite values a bucket covered.
    package struct NonFinite: OptionSet, Sendable, Hashable {
        /// The bits.
        package let rawValue: UInt8
        /// Creates a set from its bits.
        package init(rawValue: UInt8) { self.rawValue = rawValue }
        /// A NaN sample.
        package static let nan = NonFinite(rawValue: 1)
        /// A `+inf` sample.
        package static let positiveInfinity = NonFinite(rawValue: 2)
        /// A `-inf` sample.
        package static let negativeInfinity = NonFinite(rawValue: 4)
    }

    /// The buckets before the newest, all full.
    private var closed: [Bucket] = []
    /// The newest bucket (meaningful once `filledInLast > 0`), kept apart from `closed`: most samples only
    /// update it, and a stored struct is updated without the checked array write a sample used to cost.
    private var open = Bucket(0, counter: .nan, time: 0)
    /// Samples each full bucket covers (a power of two).
    package private(set) var samplesPerBucket = 1
    private var filledInLast = 0

    /// Creates an empty series.
    package init() {}

    /// The smallest finite sample, or `nil` before the first.
    package var min: Double? { count > 0 ? lowest : nil }
    /// The largest finite sample, or `nil` before the first.
    package var max: Double? { count > 0 ? highest : nil }
    /// Non-finite samples seen (NaN and both infinities).
    package var nonFiniteCount: Int { nanCount + positiveInfinityCount + negativeInfinityCount }
    /// Number of buckets holding history.
    package var bucketCount: Int { closed.count + (filledInLast > 0 ? 1 : 0) }
    /// Per bucket: the smallest finite sample (`+inf` for a gap).
    package var bucketMin: [Double] { buckets.map(\.min) }
    /// Per bucket: the largest finite sample (`-inf` for a gap).
    package var bucketMax: [Double] { buckets.map(\.max) }
    /// Per bucket: the last finite sample (NaN for a gap).
    package var bucketLast: [Double] { buckets.map(\.last) }

    /// The run's counter at the newest sample (NaN when unknown or before the first).
    package var lastCounter: Double { filledInLast > 0 ? open.counterLast : .nan }

    /// Every bucket, oldest first.
    package var buckets: [Bucket] { filledInLast > 0 ? closed + [open] : closed }

    /// Records one sample at an unknown place on the x axis. O(1) amortised.
    @inline(__always)
    package mutating func append(_ value: Double) {
        append(value, counter: .nan, time: 0)
    }

    /// Records one sample; `counter` is the run's counter (epoch, step, ...) for it, NaN when unknown, and
    /// `time` its timestamp. O(1) amortised.
    @inline(__always)
    package mutating func append(_ value: Double, counter: Double, time: Double) {
        last = value
        sampleCount += 1
        if value.isFinite {
            if count == 0 { first = value }
            count += 1
            // Strictly better only: a value reached again keeps where it came first.
            if value < lowest { lowest = value; minAt = Position(counter: counter, sample: sampleCount) }
            if value > highest { highest = value; maxAt = Position(counter: counter, sample: sampleCount) }
        } else if value.isNaN {
            nanCount += 1
        } else if value > 0 {
            positiveInfinityCount += 1
        } else {
            negativeInfinityCount += 1
        }
        if filledInLast > 0, filledInLast < samplesPerBucket {
            open.add(value, counter: counter, time: time)
            filledInLast += 1
        } else {
            startBucket(value, counter: counter, time: time)
        }
    }

    /// Closes the full newest bucket (halving the history first when it is at capacity) and opens one
    /// with `value`.
    private mutating func startBucket(_ value: Double, counter: Double, time: Double) {
        if filledInLast > 0 {
            closed.append(open)
            if closed.count == Self.bucketCapacity { halve() }
        }
        open = Bucket(value, counter: counter, time: time)
        filledInLast = 1
    }

    /// Merges neighbouring buckets pairwise; called only when every bucket is full.
    private mutating func halve() {
        let half = closed.count / 2
        for i in 0..<half {
            closed[i] = closed[2 * i].merged(with: closed[2 * i + 1])
        }
        closed.removeLast(closed.count - half)
        samplesPerBucket *= 2
    }

    /// The newest buckets covering at least the last `samples` samples (all of them for `nil`).
    package func lastBuckets(covering samples: Int?) -> ArraySlice<Bucket> {
        let all = buckets
        guard let samples, samples > 0 else { return all[...] }
        let inOpen = filledInLast
        if samples <= inOpen { return all.suffix(1) }
        let more = (samples - inOpen + samplesPerBucket - 1) / samplesPerBucket
        return all.suffix(Swift.min(all.count, 1 + more))
    }

    /// The history resampled to `columns` points: for each, the min, max and last finite value of the
    /// samples it covers (a gap gives `+inf`, `-inf`, NaN). Fewer points are returned when there is less
    /// history than columns.
    package func resampled(to columns: Int) -> [(min: Double, max: Double, last: Double)] {
        let buckets = self.buckets
        let n = buckets.count
        guard columns > 0, n > 0 else { return [] }
        if n <= columns {
            return buckets.map { ($0.min, $0.max, $0.last) }
        }
        var out: [(min: Double, max: Double, last: Double)] = []
        out.reserveCapacity(columns)
        for c in 0..<columns {
            let lo = c * n / columns
            let hi = Swift.max(lo + 1, (c + 1) * n / columns)
            var mn = buckets[lo].min, mx = buckets[lo].max, last = buckets[lo].last
            for i in (lo + 1)..<hi {
                if buckets[i].min < mn { mn = buckets[i].min }
                if buckets[i].max > mx { mx = buckets[i].max }
                if buckets[i].finite > 0 { last = buckets[i].last }
            }
            out.append((mn, mx, last))
        }
        return out
    }
}

extension MetricSeries.Bucket {
    /// Bit for bit: NaN marks "none" here (no finite sample, no counter), and two such buckets are equal.
    package static func == (a: Self, b: Self) -> Bool {
        a.min.bitPattern == b.min.bitPattern && a.max.bitPattern == b.max.bitPattern && a.sum.bitPattern == b.sum.bitPattern
            && a.last.bitPattern == b.last.bitPattern && a.counterFirst.bitPattern == b.counterFirst.bitPattern
            && a.counterLast.bitPattern == b.counterLast.bitPattern && a.time.bitPattern == b.time.bitPattern
            && a.finite == b.finite && a.nonFinite == b.nonFinite
    }

    package func hash(into h: inout Hasher) {
        h.combine(min.bitPattern); h.combine(max.bitPattern); h.combine(sum.bitPattern); h.combine(finite)
    }
}

extension MetricSeries {
    /// The same samples give equal series, NaN samples included (the history is compared, not the unused
    /// storage of an empty newest bucket).
    package static func == (a: Self, b: Self) -> Bool {
        a.count == b.count && a.sampleCount == b.sampleCount && a.nanCount == b.nanCount
            && a.positiveInfinityCount == b.positiveInfinityCount && a.negativeInfinityCount == b.negativeInfinityCount
            && a.lowest == b.lowest && a.highest == b.highest && a.first == b.first
            && a.minAt == b.minAt && a.maxAt == b.maxAt
            && a.last?.bitPattern == b.last?.bitPattern && a.samplesPerBucket == b.samplesPerBucket
            && a.filledInLast == b.filledInLast && a.closed == b.closed && (a.filledInLast == 0 || a.open == b.open)
    }

    package func hash(into h: inout Hasher) {
        h.combine(sampleCount); h.combine(count); h.combine(bucketCount)
    }
}
