import Foundation
import SynapsePlugins

/// The one place numbers, durations, rates and times are turned into text for people.
///
/// Rules: at most four significant digits for fractional values (`0.0512`, `12.35`), thousands as `k`/`M`/`G`
/// past 100,000, scientific notation only for very small and very large values (`1.2e-05`, `1e300`), never a
/// 17-digit float. Integers come from `Double`s through `Int(saturating:)`: a value from a log can be anything.
package enum NumberFormat {
    /// A number for reading (`0.0512`, `12.35`, `1,234`, `2.35M`).
    package static func number(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "inf" : "-inf" }
        let a = abs(d)
        if a >= 100_000 { return suffixed(d) }
        if d == d.rounded(), a < 100_000 { return grouped(Int(d)) }
        if a >= 1000 { return grouped(Int(d.rounded())) }
        if a < 0.0001 { return trimmedExponent(String(format: "%.2e", d)) }
        let decimals = a >= 100 ? 1 : a >= 10 ? 2 : a >= 1 ? 3 : max(4, 3 - Int(floor(log10(a))))
        return trimZeros(FixedDecimal.format(d, decimals: min(decimals, 8)))
    }

    /// An integer with thousands separators (`12,345`), `k`/`M` past a million.
    package static func integer(_ i: Int) -> String {
        i.saturatingMagnitude >= 1_000_000 ? suffixed(Double(i)) : grouped(i)
    }

    /// Any JSON value as one short line: numbers as ``number(_:)``, strings as is, the rest as JSON.
    package static func value(_ v: JSONValue) -> String {
        switch v {
        case .int(let i): return integer(i)
        case .double(let d): return number(d)
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .null: return "-"
        case .array, .object: return v.jsonText
        }
    }

    /// A duration: `0:42`, `12:05`, `1:02:03`, `3d 4h`.
    package static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "-" }
        // Past 9999 days a figure says nothing (a time_remaining of 1e300 is a broken estimate).
        guard seconds < 86_400 * 10_000 else { return ">9999d" }
        let s = Int(seconds.rounded(.down))
        if s >= 86_400 * 2 { return "\(s / 86_400)d \((s % 86_400) / 3600)h" }
        let h = s / 3600, m = (s % 3600) / 60, sec = s % 60
        return h > 0 ? "\(h):\(pad2(m)):\(pad2(sec))" : "\(m):\(pad2(sec))"
    }

    /// A rate per second: `3.2/s`, `1.5k/s`, `12/min` below one per second.
    package static func rate(_ perSecond: Double) -> String {
        guard perSecond.isFinite, perSecond > 0 else { return "0/s" }
        if perSecond < 1 {
            let perMinute = perSecond * 60
            return (perMinute >= 10 ? String(Int(saturating: perMinute.rounded())) : trimZeros(FixedDecimal.format(perMinute, decimals: 1))) + "/min"
        }
        if perSecond >= 1000 { return suffixed(perSecond) + "/s" }
        return (perSecond >= 100 ? String(Int(perSecond.rounded())) : trimZeros(FixedDecimal.format(perSecond, decimals: 1))) + "/s"
    }

    /// A fraction as a percentage with one decimal (`42.5%`, `100%`).
    package static func percent(_ fraction: Double) -> String {
        let p = max(0, min(100, fraction * 100))
        return p == 100 || p == 0 ? "\(Int(p))%" : FixedDecimal.format(p, decimals: 1) + "%"
    }

    /// A count, compact (`987`, `12.3k`, `4.5M`).
    package static func count(_ n: Int) -> String {
        n < 10_000 ? String(n) : suffixed(Double(n))
    }

    /// Time of day `HH:MM:SS` of an epoch timestamp, shifted by `utcOffset` seconds.
    package static func clock(_ timestamp: Double, utcOffset: Int = 0) -> String {
        // Within ±1e15 s (30 million years) the sum cannot overflow; past it no clock time means anything.
        guard timestamp.isFinite, abs(timestamp) < 1e15 else { return "--:--:--" }
        let t = Int(timestamp.rounded(.down)) + utcOffset
        let day = ((t % 86_400) + 86_400) % 86_400
        return "\(pad2(day / 3600)):\(pad2((day % 3600) / 60)):\(pad2(day % 60))"
    }

    static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

    static func grouped(_ i: Int) -> String {
        let digits = String(i.magnitude).utf8
        guard digits.count > 3 else { return i < 0 ? "-" + String(i.magnitude) : String(i.magnitude) }
        var out: [UInt8] = i < 0 ? [UInt8(ascii: "-")] : []
        out.reserveCapacity(digits.count + digits.count / 3 + 1)
        for (n, c) in digits.enumerated() {
            if n > 0, (digits.count - n) % 3 == 0 { out.append(UInt8(ascii: ",")) }
            out.append(c)
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func suffixed(_ d: Double) -> String {
        let a = abs(d)
        // Past 1,000P a suffix would need more digits than the column has.
        if a >= 1e18 { return scientific(d) }
        let (value, suffix): (Double, String) =
            a >= 1e15 ? (d / 1e15, "P") : a >= 1e12 ? (d / 1e12, "T") : a >= 1e9 ? (d / 1e9, "G")
            : a >= 1e6 ? (d / 1e6, "M") : (d / 1e3, "k")
        let av = abs(value)
        // Four significant digits, like fractional values.
        let text = FixedDecimal.format(value, decimals: av >= 100 ? 1 : av >= 10 ? 2 : 3)
        return trimZeros(text) + suffix
    }

    /// `1e300`, `-2.5e18`, `1.235e20`: four significant digits, no `+`, no leading zeros in the exponent.
    static func scientific(_ d: Double) -> String {
        let text = String(format: "%.3e", d)
        guard let e = text.firstIndex(of: "e") else { return text }
        var exponent = text[text.index(after: e)...]
        let negative = exponent.first == "-"
        exponent = exponent.drop { $0 == "+" || $0 == "-" || $0 == "0" }
        return trimZeros(String(text[..<e])) + (negative ? "e-" : "e") + (exponent.isEmpty ? "0" : exponent)
    }

    static func trimZeros(_ s: String) -> String {
        // Bytes, not `contains(".")`: with Foundation imported that is NSString's range(of:), per number.
        let utf8 = s.utf8
        guard utf8.contains(UInt8(ascii: ".")) else { return s }
        var end = utf8.endIndex
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == UInt8(ascii: "0") { end = utf8.index(before: end) }
        if end > utf8.startIndex, utf8[utf8.index(before: end)] == UInt8(ascii: ".") { end = utf8.index(before: end) }
        return String(s[..<end])
    }

    static func trimmedExponent(_ s: String) -> String {
        // "1.20e-05" -> "1.2e-05"
        guard let e = s.firstIndex(of: "e") else { return s }
        return trimZeros(String(s[..<e])) + s[e...]
    }
}

extension NumberFormat {
    /// Date and time `2026-12-02 05:05:54` of an epoch timestamp, shifted by `utcOffset` seconds (no time
    /// zone database: the proleptic Gregorian calendar of the shifted time).
    package static func dateTime(_ timestamp: Double, utcOffset: Int = 0) -> String {
        guard timestamp.isFinite, abs(timestamp) < 1e15 else { return "----------" }
        let t = Int(timestamp.rounded(.down)) + utcOffset
        let days = t >= 0 ? t / 86_400 : (t - 86_399) / 86_400
        let (year, month, day) = civil(fromDays: days)
        return "\(year)-\(pad2(month))-\(pad2(day)) " + clock(timestamp, utcOffset: utcOffset)
    }

    /// Year, month and day of a day count since 1970-01-01 in the proleptic Gregorian calendar (Howard
    /// Hinnant's `civil_from_days`; no Foundation calendar, so the same on every machine and time zone).
    package static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
