#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one clock for intervals, deadlines and pacing: `CLOCK_MONOTONIC`, which never jumps when the wall
/// clock is set. Record timestamps are wall-clock time (``Event/now()``); everything that measures a wait
/// uses this.
package enum MonotonicClock {
    /// Seconds since an arbitrary start.
    @inline(__always)
    package static func now() -> Double {
        Double(nanoseconds()) / 1e9
    }

    /// Nanoseconds since an arbitrary start.
    @inline(__always)
    package static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
