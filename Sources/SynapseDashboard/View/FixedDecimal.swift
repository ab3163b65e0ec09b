import Foundation

/// `String(format: "%.Nf", value)` without Foundation's formatter, digit for digit.
///
/// The metrics table formats dozens of numbers per frame, and `String(format:)` costs microseconds each
/// (a CFString, a varargs list, a locale lookup). This computes the same text exactly: the double is an
/// integer times a power of two, so `value * 10^N` is an exact 128-bit integer times a power of two, and it
/// is rounded to the nearest integer with ties to even, as glibc's printf rounds. Values out of its range
/// (huge, non-finite, many decimals) still go through `String(format:)`; tests compare both on many values.
enum FixedDecimal {
    /// Powers of five up to the most decimals handled here.
    static let powersOfFive: [UInt64] = [1, 5, 25, 125, 625, 3125, 15625, 78125, 390_625, 1_953_125]

    /// `value` with exactly `decimals` digits after the point (none and no point when 0).
    static func format(_ value: Double, decimals: Int) -> String {
        let magnitude = abs(value)
        guard value.isFinite, decimals >= 0, decimals < powersOfFive.count, magnitude < 1e9 else {
            return String(format: "%.\(decimals)f", value)
        }
        // magnitude = significand * 2^exponent, significand an integer below 2^53.
        let significand = magnitude.significandBitPattern | (magnitude.isNormal ? 1 << 52 : 0)
        let exponent = (magnitude.isNormal ? Int(magnitude.exponent) : -1022) - 52
        // magnitude * 10^decimals = significand * 5^decimals * 2^(exponent + decimals), exactly.
        let scaled = UInt128(significand) * UInt128(powersOfFive[decimals])
        let shift = exponent + decimals
        var digits: UInt128
        if shift >= 0 {
            digits = scaled << shift  // below 1e9 * 10^9: fits
        } else if -shift >= 100 {
            digits = 0  // scaled < 2^75: far below half a unit
        } else {
            let k = -shift
            digits = scaled >> k
            let remainder = scaled & ((1 << k) - 1)
            let half: UInt128 = 1 << (k - 1)
            if remainder > half || (remainder == half && digits & 1 == 1) { digits += 1 }
        }
        var text = String(UInt64(digits))
        if decimals > 0 {
            if text.utf8.count <= decimals {
                text = String(repeating: "0", count: decimals + 1 - text.utf8.count) + text
            }
            let point = text.utf8.index(text.utf8.endIndex, offsetBy: -decimals)
            text = String(text[..<point]) + "." + String(text[point...])
        }
        // printf keeps the sign of negative values that round to zero ("-0.0").
        return value.sign == .minus ? "-" + text : text
    }
}
