/// The one place a `Double` from outside (a log, a child, a user) becomes an integer.
///
/// `Int(someDouble)` traps on NaN, the infinities and anything past ±9.2e18, and a log line may hold any of
/// them (`"timestamp":1e19`, `"time_remaining":1e300`): one such record used to crash every reader. Code
/// that turns a number it did not compute itself into an integer goes through here.
extension Int {
    /// `value` rounded toward zero and held to `Int.min...Int.max`; NaN becomes 0.
    @inline(__always)
    package init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 9_223_372_036_854_775_807.0 {  // 2^63: the first Double past Int.max
            self = .max
        } else if value <= -9_223_372_036_854_775_808.0 {
            self = .min
        } else {
            self = Int(value)
        }
    }

    /// The magnitude as an `Int`, `Int.max` for `Int.min` (whose magnitude does not fit): `abs` traps there.
    @inline(__always)
    package var saturatingMagnitude: Int {
        self == .min ? .max : Swift.abs(self)
    }
}
