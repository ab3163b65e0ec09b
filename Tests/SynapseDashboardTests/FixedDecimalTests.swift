import Foundation
import Testing
import SynapsePlugins
@testable import SynapseDashboard

@Suite struct FixedDecimalTests {
    func expectPrintf(_ value: Double, _ decimals: Int) {
        let expected = String(format: "%.\(decimals)f", value)
        #expect(FixedDecimal.format(value, decimals: decimals) == expected, "\(value) with \(decimals) decimals")
    }

    @Test func tiesRoundToEvenLikePrintf() {
        for value in [0.5, 1.5, 2.5, 0.125, 0.375, 2.675, 1.005, 0.045, 1e-9, 5e-10, 999_999.5, 0.25, -0.25, -2.5] {
            for decimals in 0...9 { expectPrintf(value, decimals) }
        }
    }

    @Test func signsZerosAndEdges() {
        for value in [0.0, -0.0, -0.01, -0.00001, Double.leastNormalMagnitude / 3, -Double.leastNormalMagnitude / 7, .leastNonzeroMagnitude, 123_456_789.987654321,
                      999_999_999.99, 1e9, 1e12, -1e15, .greatestFiniteMagnitude, .nan, .infinity, -.infinity] {
            for decimals in [0, 1, 2, 3, 8, 9, 12] { expectPrintf(value, decimals) }
        }
    }

    @Test func manyValues() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<20_000 {
            let bits = rng.next()
            // Random magnitudes from 1e-12 to 1e10, random signs, and raw bit patterns.
            let magnitude = pow(10, Double(bits % 23) - 12) * (Double(bits >> 11) / Double(1 << 53))
            let value = bits & 1 == 0 ? magnitude : -magnitude
            expectPrintf(value, Int(bits >> 7) % 10)
            expectPrintf(Double(bitPattern: bits), Int(bits >> 3) % 10)
        }
    }
}
