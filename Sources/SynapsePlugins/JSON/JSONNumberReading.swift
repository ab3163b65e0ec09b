/// Decimal to Double without a String, correctly rounded, for the numbers Python writes most: `repr` of a
/// float (a loss, an accuracy, `time.time()`) has 16-17 significant digits, past the 2^53 that Clinger's
/// exact division covers, and went through `Double(String)` at ~10x the cost (docs/benchmarks.md, round 13).
enum JSONNumberReading {
    /// `w` × 10^`q` rounded to nearest, ties to even (the Eisel-Lemire method, with the 128-bit powers of
    /// five of `PowersOfFive.swift`). `w` must hold every significant digit of the number. nil where the
    /// answer would be zero, subnormal or infinite, or where 128 bits may not decide it: the caller's
    /// exact routine reads those. Out of line: the callers' short numbers must not carry its code.
    @inline(never)
    static func eiselLemire(_ w: UInt64, _ q: Int) -> Double? {
        let row = q &- smallestPowerOfFive
        guard w != 0, UInt(bitPattern: row) <= UInt(largestPowerOfFive &- smallestPowerOfFive) else { return nil }
        let zeros = w.leadingZeroBitCount
        let normalized = w << UInt64(zeros)
        let (high, low) = powersOfFive.withUnsafeBufferPointer { table in
            normalized.multipliedFullWidth(by: table[2 &* row])
        }
        // Kept bits that the next 64 bits of 5^q could carry into, a product this close to a carry, or
        // one that may lie exactly halfway (low 0 or 1): all rare, all the careful routine's.
        if high & 0x1FF == 0x1FF || low &+ 1 <= 2 { return eiselLemireCarefully(w, q) }
        let upper = Int(high >> 63)
        let power2 = biasedExponent(q, upper: upper, zeros: zeros)
        guard power2 > 0 else { return nil }
        return rounded(high >> UInt64(upper &+ 9), power2: power2)
    }

    /// ``eiselLemire(_:_:)`` with the second 64 bits of 5^q and the exact halfway case.
    @inline(never)
    static func eiselLemireCarefully(_ w: UInt64, _ q: Int) -> Double? {
        guard w != 0, q >= smallestPowerOfFive, q <= largestPowerOfFive else { return nil }
        let zeros = w.leadingZeroBitCount
        let normalized = w << UInt64(zeros)
        let index = 2 &* (q &- smallestPowerOfFive)
        var (high, low) = powersOfFive.withUnsafeBufferPointer { table in
            normalized.multipliedFullWidth(by: table[index])
        }
        // Only when the bits below the 55 kept are all ones can the next 64 bits of 5^q carry into them.
        if high & 0x1FF == 0x1FF {
            let next = powersOfFive.withUnsafeBufferPointer { table in
                normalized.multipliedFullWidth(by: table[index &+ 1]).high
            }
            let (sum, carried) = low.addingReportingOverflow(next)
            low = sum
            if carried { high &+= 1 }
        }
        // Outside q in -27...55 the table is not exact, and a product this close to a carry is left to
        // the exact routine (it never happens for the numbers of a log; the tests count it).
        if low == .max, q < -27 || q > 55 { return nil }
        let upper = Int(high >> 63)
        let shift = UInt64(upper &+ 9)  // keep 55 bits: 52 stored, the implicit one, a rounding bit, one spare
        var mantissa = high >> shift
        let power2 = biasedExponent(q, upper: upper, zeros: zeros)
        guard power2 > 0 else { return nil }
        // Exactly halfway between two doubles (only possible where 5^q is exact): round to even.
        if low <= 1, q >= -4, q <= 23, mantissa & 3 == 1, mantissa << shift == high {
            mantissa &= ~1
        }
        return rounded(mantissa, power2: power2)
    }

    /// The biased binary exponent of the product's top bit: floor(log2(5^q)) + q via a fixed-point
    /// log2(10) (exact for q in -400...350), the product's top bit (`upper`) and the normalizing shift.
    @inline(__always)
    private static func biasedExponent(_ q: Int, upper: Int, zeros: Int) -> Int {
        (((152_170 &+ 65_536) &* q) >> 16) &+ 63 &+ upper &- zeros &+ 1023
    }

    /// The double of a mantissa kept with one rounding bit, rounded half up (a tie already made even by the
    /// caller where it must be); nil where it overflows.
    @inline(__always)
    private static func rounded(_ kept: UInt64, power2: Int) -> Double? {
        var mantissa = (kept &+ (kept & 1)) >> 1
        var power2 = power2
        if mantissa >= 2 << 52 {
            mantissa = 1 << 52
            power2 &+= 1
        }
        guard power2 < 0x7FF else { return nil }
        return Double(bitPattern: UInt64(power2) << 52 | (mantissa & ~(1 << 52)))
    }

    /// `mantissa` × 10^-`fraction` (`mantissa` holding every significant digit): Clinger's exact quotient
    /// where both are exact doubles, else ``eiselLemire(_:_:)``. nil as there.
    @inline(__always)
    static func double(mantissa: UInt64, fraction: Int) -> Double? {
        if mantissa < 1 << 53, fraction <= 22 {
            return Double(mantissa) / JSONParser.exactPowersOfTen[fraction]
        }
        return eiselLemire(mantissa, -fraction)
    }

    /// `mantissa` × 10^`exponent`, as ``double(mantissa:fraction:)`` for any exponent (Clinger's exact
    /// product where 10^`exponent` is an exact double).
    static func double(mantissa: UInt64, exponent: Int) -> Double? {
        if exponent <= 0 { return double(mantissa: mantissa, fraction: -exponent) }
        if mantissa < 1 << 53, exponent <= 22 { return Double(mantissa) * JSONParser.exactPowersOfTen[exponent] }
        return eiselLemire(mantissa, exponent)
    }

    /// What ``JSONParser/parseNumber()`` makes of a plain number (see ``JSONParser/scanPlainNumber()``):
    /// an Int without a fraction, else the correctly rounded Double; nil where the general routine must
    /// read it.
    @inline(__always)
    static func number(mantissa: UInt64, fraction: Int, negative: Bool) -> JSONNumber? {
        if fraction == 0 { return .int(negative ? -Int(mantissa) : Int(mantissa)) }
        guard let d = double(mantissa: mantissa, fraction: fraction) else { return nil }
        return .double(negative ? -d : d)
    }
}
