/// The shortest decimal that reads back to a double, for the doubles a run logs most that are not short
/// decimals already (a loss like 1/3, a mean over a batch, a learning rate like 3e-07): finite,
/// 1e-10 <= |value| < 1e15. Exact integer arithmetic (128-bit products), no String: cheaper than
/// `description`, which allocates one (docs/benchmarks.md, "The figures behind the code").
///
/// The method is the rounding-interval one of Ryu and Schubfach, made simple by the range: every decimal
/// in the interval of doubles that round to `value` reads back to it, so the shortest is the one with the
/// fewest fraction digits that has an integer multiple inside the interval, and among those the one
/// closest to `value` (what `description` picks). `JSONWriterNumberTests` compares it with `description`
/// on a million values.
enum ShortestDouble {
    /// The digits of the shortest decimal: `digits` × 10^-`fractionDigits`. `nil` outside the range this
    /// handles (the caller falls back to `description`).
    static func decimal(of magnitude: Double) -> (digits: UInt64, fractionDigits: Int)? {
        guard magnitude >= 1e-10, magnitude < 1e15 else { return nil }
        let bits = magnitude.bitPattern
        let fraction = bits & ((1 << 52) - 1)
        let m = fraction | (1 << 52)
        let e = Int(bits >> 52) - 1075  // magnitude = m × 2^e, with e in -86 ... -3 here
        let even = m & 1 == 0
        // The interval of reals that round to this double, and the double itself, in units of 2^(e-2).
        // Below a power of two the gap to the next smaller double is half as wide.
        let upper = 4 * m + 2
        let lower = fraction == 0 ? 4 * m - 1 : 4 * m - 2
        let middle = 4 * m
        // Scaled by 10^q the interval becomes B × 5^q / 2^s with s = 2 - e - q.
        // Start at the first q where it is wider than 1 (so it holds an integer), then drop digits
        // while an integer is still inside.
        var q = max(1, (-e * 78_913) >> 18)  // about -e × log10(2), never above the answer
        while q < maxQ, !wider(than: upper - lower, q: q, e: e) { q += 1 }
        guard q <= maxQ, var best = candidate(lower: lower, upper: upper, middle: middle, even: even, q: q, e: e) else {
            return nil
        }
        var bestQ = q
        while q > 1 {
            q -= 1
            guard let shorter = candidate(lower: lower, upper: upper, middle: middle, even: even, q: q, e: e) else { break }
            best = shorter
            bestQ = q
        }
        if bestQ == 1, candidate(lower: lower, upper: upper, middle: middle, even: even, q: 0, e: e) != nil {
            return nil  // an integer reads back: not in this range, but leave it to `description`
        }
        return (best, bestQ)
    }

    /// 5^27 still fits beside a 55-bit bound in 128 bits, and 1e-10 needs at most 27 fraction digits.
    static let maxQ = 27

    private static let powersOf5: [UInt64] = (0...27).map { n in (0..<n).reduce(1) { r, _ in r * 5 } }

    /// Whether `width` units of 2^(e-2), scaled by 10^q, exceed 1: width × 5^q > 2^(2 - e - q).
    @inline(__always)
    private static func wider(than width: UInt64, q: Int, e: Int) -> Bool {
        let product = width.multipliedFullWidth(by: powersOf5[q])
        let s = 2 - e - q
        return shiftRight(product, s) > 0 && !(shiftRight(product, s) == 1 && isExact(product, s))
    }

    /// The integer closest to `middle` (scaled by 10^q) inside the scaled interval, if there is one.
    @inline(__always)
    private static func candidate(lower: UInt64, upper: UInt64, middle: UInt64, even: Bool, q: Int, e: Int) -> UInt64? {
        let p5 = powersOf5[q]
        let s = 2 - e - q
        let lowProduct = lower.multipliedFullWidth(by: p5)
        var low = shiftRight(lowProduct, s)
        if !(isExact(lowProduct, s) && even) { low += 1 }  // strictly above a bound a tie would not reach
        let highProduct = upper.multipliedFullWidth(by: p5)
        var high = shiftRight(highProduct, s)
        if isExact(highProduct, s) && !even { high -= 1 }
        guard low <= high else { return nil }
        // Round half to even the exact scaled value, then keep it inside the interval.
        let midProduct = middle.multipliedFullWidth(by: p5)
        var nearest = shiftRight(midProduct, s)
        let remainder = lowBits(midProduct, s)
        let half = halfOf(s)
        if remainder.high > half.high || (remainder.high == half.high && remainder.low > half.low)
            || (remainder == half && nearest & 1 == 1) {
            nearest += 1
        }
        return min(max(nearest, low), high)
    }

    private typealias Wide = (high: UInt64, low: UInt64)

    /// `value` >> `s` for 0 < s < 128, when the result fits 64 bits.
    @inline(__always)
    private static func shiftRight(_ value: Wide, _ s: Int) -> UInt64 {
        if s >= 64 { return value.high >> UInt64(s - 64) }
        return (value.low >> UInt64(s)) | (value.high << UInt64(64 - s))
    }

    /// The low `s` bits of `value`.
    @inline(__always)
    private static func lowBits(_ value: Wide, _ s: Int) -> Wide {
        if s >= 64 { return (value.high & ((1 << UInt64(s - 64)) &- 1), value.low) }
        return (0, value.low & ((1 << UInt64(s)) &- 1))
    }

    @inline(__always)
    private static func isExact(_ value: Wide, _ s: Int) -> Bool {
        let rest = lowBits(value, s)
        return rest.high == 0 && rest.low == 0
    }

    /// 2^(s-1) as a wide number.
    @inline(__always)
    private static func halfOf(_ s: Int) -> Wide {
        s - 1 >= 64 ? (1 << UInt64(s - 65), 0) : (0, 1 << UInt64(s - 1))
    }
}
