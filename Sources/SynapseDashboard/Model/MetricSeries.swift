/// The history of one numeric metric in bounded memory.
///
/// `min`, `max`, `first`, `last` and `count` are exact. The history itself is kept in at most
/// ``bucketCapacity`` buckets, each holding the minimum, maximum and last value of the samples it covers.
/// When the buckets are full, neighbouring pairs merge and every bucket covers twice as many samples, so
/// appending is O(1) amortised and a chart of ten million samples keeps its shape (spikes stay visible
/// because each bucket keeps its extremes).
public struct MetricSeries: Sendable, Hashable {
    /// The most buckets kept.
    public static let bucketCapacity = 256

    /// Finite samples seen.
    public private(set) var count = 0
    private var lowest = Double.infinity
    private var highest = -Double.infinity
    /// The first finite sample.
    public private(set) var first: Double?
    /// The most recent sample (may be NaN or infinite; those are not charted).
    public private(set) var last: Double?

    /// One bucket of history: the extremes and the last of the samples it covers.
    struct Bucket: Sendable, Hashable {
        var min: Double
        var max: Double
        var last: Double
    }

    /// The buckets before the newest, all full.
    private var closed: [Bucket] = []
    /// The newest bucket (meaningful once `filledInLast > 0`), kept apart from `closed`: most samples only
    /// update it, and a stored struct is updated without the checked array write a sample used to cost.
    private var open = Bucket(min: 0, max: 0, last: 0)
    /// Samples each full bucket covers (a power of two).
    public private(set) var samplesPerBucket = 1
    private var filledInLast = 0

    /// Creates an empty series.
    public init() {}

    /// The smallest finite sample, or `nil` before the first.
    public var min: Double? { count > 0 ? lowest : nil }
    /// The largest finite sample, or `nil` before the first.
    public var max: Double? { count > 0 ? highest : nil }
    /// Number of buckets holding history.
    public var bucketCount: Int { closed.count + (filledInLast > 0 ? 1 : 0) }
    /// Per bucket: the smallest sample.
    public var bucketMin: [Double] { buckets.map(\.min) }
    /// Per bucket: the largest sample.
    public var bucketMax: [Double] { buckets.map(\.max) }
    /// Per bucket: the last sample.
    public var bucketLast: [Double] { buckets.map(\.last) }

    /// Every bucket, oldest first.
    private var buckets: [Bucket] { filledInLast > 0 ? closed + [open] : closed }

    /// Records one sample. O(1) amortised.
    @inline(__always)
    public mutating func append(_ value: Double) {
        last = value
        guard value.isFinite else { return }
        if count == 0 { first = value }
        count += 1
        if value < lowest { lowest = value }
        if value > highest { highest = value }
        if filledInLast > 0, filledInLast < samplesPerBucket {
            if value < open.min { open.min = value }
            if value > open.max { open.max = value }
            open.last = value
            filledInLast += 1
        } else {
            startBucket(value)
        }
    }

    /// Closes the full newest bucket (halving the history first when it is at capacity) and opens one
    /// with `value`.
    private mutating func startBucket(_ value: Double) {
        if filledInLast > 0 {
            closed.append(open)
            if closed.count == Self.bucketCapacity { halve() }
        }
        open = Bucket(min: value, max: value, last: value)
        filledInLast = 1
    }

    /// Merges neighbouring buckets pairwise; called only when every bucket is full.
    private mutating func halve() {
        let half = closed.count / 2
        for i in 0..<half {
            let a = closed[2 * i], b = closed[2 * i + 1]
            closed[i] = Bucket(min: Swift.min(a.min, b.min), max: Swift.max(a.max, b.max), last: b.last)
        }
        closed.removeLast(closed.count - half)
        samplesPerBucket *= 2
    }

    /// The history resampled to `columns` points: for each, the min, max and last of the samples it covers.
    /// Fewer points are returned when there is less history than columns.
    public func resampled(to columns: Int) -> [(min: Double, max: Double, last: Double)] {
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
            var mn = buckets[lo].min, mx = buckets[lo].max
            for i in lo..<hi {
                if buckets[i].min < mn { mn = buckets[i].min }
                if buckets[i].max > mx { mx = buckets[i].max }
            }
            out.append((mn, mx, buckets[hi - 1].last))
        }
        return out
    }
}
