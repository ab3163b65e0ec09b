import Foundation
import Testing
@testable import SynapsePlugins

/// The writer's fast double formatting must print exactly what Swift's `description` prints (the shortest
/// text that reads back), and every double must read back to itself.
@Suite struct JSONWriterNumberTests {
    static func written(_ d: Double) -> String {
        var w = JSONWriter()
        w.write(double: d)
        return w.string
    }

    static func expected(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        if d == d.rounded(.towardZero), abs(d) < 1e15 {
            if d == 0, d.sign == .minus { return "-0.0" }
            return "\(Int(d)).0"
        }
        return d.description
    }

    @Test func fastPathMatchesDescription() throws {
        var rng = SplitMix64(seed: 77)
        var values: [Double] = [0.1, 0.2, 0.3, 0.001, 0.0001, 0.00011, 0.00009999, 1.5, -1.5, 1764076801.512345,
                                1764076801.5, 3999999999.999999, 4e9 - 1e-6, 4e9 + 0.5, 0.30000000000000004,
                                123456.789, -0.000123, 1e-7, .leastNonzeroMagnitude, 1.7976931348623157e308, 2.5e-5, 0.05, 99.99]
        for _ in 0..<50_000 {
            let digits = rng.below(7)
            let scale = [1.0, 10, 100, 1e3, 1e4, 1e5, 1e6][digits]
            let integer = Double(rng.below(4_000_000_000))
            let frac = Double(rng.below(Int(scale))) / scale
            values.append((integer + frac) * (rng.below(2) == 0 ? 1 : -1))
            values.append(Double(rng.below(1_000_000)) / scale)
            values.append(Double(bitPattern: rng.next()))
            values.append(Double(rng.next() >> 11) / Double(1 << 53) * [1, 1e3, 1e9, 1e-3][rng.below(4)])
        }
        for d in values {
            let text = Self.written(d)
            #expect(text == Self.expected(d), "\(d)")
            let back = try JSONParser.parse(text)
            if d.isNaN { #expect(back.doubleValue?.isNaN == true) } else { #expect(back.doubleValue == d, "\(text)") }
        }
    }

    /// `ShortestDouble` against `description` where it applies: log-uniform values over 1e-10 ..< 1e15,
    /// their neighbours one ulp away, powers of two (the lopsided interval) and the range's edges.
    @Test func shortestMatchesDescription() throws {
        var rng = SplitMix64(seed: 79)
        var values: [Double] = [1e-4, 1e-4.nextUp, 1e15.nextDown, 1.0 / 3, 2.0 / 3, 0.1 + 0.2, 123456789012345.67,
                                999999999999999.9, Double.leastNonzeroMagnitude + 1e-4, 0.1.nextUp, 0.1.nextDown]
        values += [1e-10, 1e-10.nextUp, 1e-4.nextDown, 3e-7, 1e-5, 2.5e-5, 1.0 / 30_000]
        for k in -33...49 { let p = Double(sign: .plus, exponent: k, significand: 1); values += [p, p.nextUp, p.nextDown] }
        for _ in 0..<1_000_000 {
            let exponent = -10 + 25 * Double(rng.next() >> 11) / Double(1 << 53)
            let v = Foundation.pow(10, exponent)
            values.append(v)
            if rng.below(8) == 0 { values += [v.nextUp, v.nextDown] }
        }
        var handled = 0
        for v in values where v >= 1e-10 && v < 1e15 {
            guard let (digits, q) = ShortestDouble.decimal(of: v) else { continue }
            handled += 1
            var w = JSONWriter()
            if v >= 1e-4 {
                w.writeDecimal(digits, fractionDigits: q, negative: false)
            } else {
                w.writeScientific(digits, fractionDigits: q, negative: false)
            }
            #expect(w.string == v.description, "\(v.description)")
            #expect(Double(w.string) == v)
        }
        #expect(handled > 1_000_000)
    }

    /// Integers are written two digits at a time: every length, both signs and the extremes.
    @Test func integersMatchDescription() {
        var rng = SplitMix64(seed: 78)
        var values: [Int] = [0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, -1, -9, -10, -99, -100, Int.max, Int.min, Int.min + 1]
        var power = 1
        for _ in 0..<18 {
            power *= 10
            values += [power - 1, power, power + 1, -(power - 1), -power]
        }
        for _ in 0..<20_000 { values.append(Int(truncatingIfNeeded: rng.next()) >> rng.below(63)) }
        for i in values {
            var w = JSONWriter()
            w.write(int: i)
            #expect(w.string == String(i), "\(i)")
        }
    }

    /// Strings are scanned eight bytes at a time: an escape anywhere in a long run, at every offset.
    @Test func escapesAtEveryOffset() throws {
        for length in 0..<40 {
            for at in 0..<max(1, length) {
                for special in ["\"", "\\", "\n", "\u{01}", "\u{1F}", "é", "😀"] {
                    var chars = Array(repeating: "a", count: length)
                    if length > 0 { chars[at] = special }
                    let text = chars.joined()
                    var w = JSONWriter()
                    w.write(string: text)
                    #expect(try JSONParser.parse(w.string).stringValue == text, "\(text.debugDescription)")
                    #expect(!w.string.utf8.contains { $0 < 0x20 }, "raw control byte in \(w.string.debugDescription)")
                }
            }
        }
    }
}
