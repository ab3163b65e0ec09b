/// A tiny, fast, seeded random number generator (SplitMix64).
///
/// The same seed gives the same sequence on every machine, so simulated runs, generated benchmark logs
/// and randomized tests are reproducible. Not for anything that needs unpredictability.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<1.
    package mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Uniform in -1..<1.
    package mutating func nextSigned() -> Double { nextUnit() * 2 - 1 }

    /// Uniform in 0..<n (n > 0).
    package mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// One element of a non-empty array.
    package mutating func pick<T>(_ elements: [T]) -> T { elements[below(elements.count)] }
}
