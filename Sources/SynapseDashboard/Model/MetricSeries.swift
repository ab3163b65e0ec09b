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
    /// The smallest finite sample, or `nil` before the first.
    public private(set) var min: Double?
    /// The largest finite sample, or `nil` before the first.
    public private(set) var max: Double?
    /// The first finite sample.
    public private(set) var first: Double?
    /// The most recent sample (may be NaN or infinite; those are not charted).
    public private(set) var last: Double?

    /// Per bucket: the smallest sample.
    public private(set) var bucketMin: [Double] = []
    /// Per bucket: the largest sample.
    public private(set) var bucketMax: [Double] = []
    /// Per bucket: the last sample.
    public private(set) var bucketLast: [Double] = []
    /// Samples each full bucket covers (a power of two).
    public private(set) var samplesPerBucket = 1
    private var filledInLast = 0

    /// Creates an empty series.
    public init() {}

    /// Number of buckets holding history.
    public var bucketCount: Int { bucketLast.count }

    /// Records one sample. O(1) amortised.
    public mutating func append(_ value: Double) {
        last = value
        guard value.isFinite else { return }
        count += 1
        if first == nil { first = value }
        if let m = min { if value < m { min = value } } else { min = value }
        if let m = max { if value > m { max = value } } else { max = value }
        if filledInLast == 0 || filledInLast == samplesPerBucket {
            if bucketLast.count == Self.bucketCapacity { halve() }
            bucketMin.append(value)
            bucketMax.append(value)
            bucketLast.append(value)
            filledInLast = 1
        } else {
            let i = bucketLast.count - 1
            if value < bucketMin[i] { bucketMin[i] = value }
            if value > bucketMax[i] { bucketMax[i] = value }
            bucketLast[i] = value
            filledInLast += 1
        }
    }

    /// Merges neighbouring buckets pairwise; called only when every bucket is full.
    private mutating func halve() {
        let half = bucketLast.count / 2
        for i in 0..<half {
            bucketMin[i] = Swift.min(bucketMin[2 * i], bucketMin[2 * i + 1])
            bucketMax[i] = Swift.max(bucketMax[2 * i], bucketMax[2 * i + 1])
            bucketLast[i] = bucketLast[2 * i + 1]
        }
        bucketMin.removeLast(bucketMin.count - half)
        bucketMax.removeLast(bucketMax.count - half)
        bucketLast.removeLast(bucketLast.count - half)
        samplesPerBucket *= 2
    }

    /// The history resampled to `columns` points: for each, the min, max and last of the samples it covers.
    /// Fewer points are returned when there is less history than columns.
    public func resampled(to columns: Int) -> [(min: Double, max: Double, last: Double)] {
        let n = bucketLast.count
        guard columns > 0, n > 0 else { return [] }
        if n <= columns {
            return (0..<n).map { (bucketMin[$0], bucketMax[$0], bucketLast[$0]) }
        }
        var out: [(min: Double, max: Double, last: Double)] = []
        out.reserveCapacity(columns)
        for c in 0..<columns {
            let lo = c * n / columns
            let hi = Swift.max(lo + 1, (c + 1) * n / columns)
            var mn = bucketMin[lo], mx = bucketMax[lo]
            for i in lo..<hi {
                if bucketMin[i] < mn { mn = bucketMin[i] }
                if bucketMax[i] > mx { mx = bucketMax[i] }
            }
            out.append((mn, mx, bucketLast[hi - 1]))
        }
        return out
    }
}
