import Foundation

/// Exponential backoff for reconnecting: `initial`, `initial*factor`, ... capped at `maximum`; `reset()` after
/// a success. Deterministic (no jitter): there is one follower per dashboard, no herd to spread.
package struct Backoff: Sendable, Hashable {
    package var initial: Double
    package var factor: Double
    package var maximum: Double
    /// Failures since the last success.
    package private(set) var attempts = 0

    package init(initial: Double = 0.5, factor: Double = 2, maximum: Double = 10) {
        precondition(initial > 0 && factor >= 1 && maximum >= initial)
        self.initial = initial
        self.factor = factor
        self.maximum = maximum
    }

    /// The delay before the next attempt; counts one failure.
    package mutating func next() -> Double {
        let delay = min(maximum, initial * pow(factor, Double(min(attempts, 60))))
        attempts += 1
        return delay
    }

    /// The delay before the next attempt when the server asked for `retryAfter` seconds: never shorter than
    /// the server asked (capped at `cap`, so a bogus header cannot stall the dashboard for hours).
    package mutating func next(honouring retryAfter: Double?, cap: Double = 300) -> Double {
        let own = next()
        guard let retryAfter else { return own }
        return min(max(own, retryAfter), max(cap, own))
    }

    package mutating func reset() { attempts = 0 }
}

/// Parses an HTTP `Retry-After` value (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date.
package enum RetryAfter {
    /// Seconds to wait (≥ 0), or `nil` when the value is neither form.
    package static func parse(_ value: String, now: Date = Date()) -> Double? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return nil }
        if text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return Double(text)  // digits only: delay-seconds
        }
        for format in formats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) {
                return max(0, date.timeIntervalSince(now))
            }
        }
        return nil
    }

    /// IMF-fixdate, the obsolete RFC 850 form, and asctime.
    static let formats = ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"]
}
