import SynapsePlugins

/// A moment of a run, as `show --at` takes it: `50%` of its duration, `+5m30s` since its start, a wall-clock
/// time (`12:03:41`, or a full ISO time), or `epoch=5` (the first record where a counter reached a value).
/// The run is then shown as it was at that moment: its events up to there reduced, nothing after.
package enum RunInstant: Sendable, Hashable {
    /// A share of the run's duration, 0...1.
    case fraction(Double)
    /// Seconds since the run started.
    case offset(Double)
    /// A time of day (seconds since midnight, local time): the first such moment at or after the start.
    case timeOfDay(Double)
    /// An absolute time, epoch seconds.
    case absolute(Double)
    /// The first record where counter `name` (a metric key: `epoch`, `step`, ...) reached `value`.
    case counter(name: String, value: Double)

    /// What a bad `--at` says: the forms it takes.
    package struct ParseError: Error, CustomStringConvertible, Sendable {
        package var text: String
        package var description: String {
            "--at '\(text)' is not a moment of the run; use 50% (of its duration), +5m30s (since its start), "
                + "12:03:41 or 2026-12-02T12:03:41 (wall clock; Z or +01:00 for another zone), or epoch=5 (when a counter reached a value)"
        }
    }

    /// Parses `--at`; `utcOffset` is the local zone's offset, for clock times without a zone.
    package init(parsing raw: String, utcOffset: Int = 0) throws(ParseError) {
        let text = raw.trimmingCharacters(in: .whitespaces)
        let error = ParseError(text: String(raw.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) }))
        if text.hasSuffix("%") {
            guard let p = Double(text.dropLast()), p.isFinite, p >= 0, p <= 100 else { throw error }
            self = .fraction(p / 100)
        } else if text.hasPrefix("+") {
            guard let s = Self.duration(text.dropFirst()) else { throw error }
            self = .offset(s)
        } else if let eq = text.firstIndex(of: "=") {
            let name = String(text[..<eq]), value = text[text.index(after: eq)...]
            guard !name.isEmpty, let v = Double(value), v.isFinite else { throw error }
            self = .counter(name: name, value: v)
        } else if text.count > 10, text.contains("-"), let t = Self.isoTime(text, utcOffset: utcOffset) {
            self = .absolute(t)
        } else if let s = Self.clock(Substring(text)) {
            self = .timeOfDay(s)
        } else {
            throw error
        }
    }

    /// `5m30s`, `90s`, `1h`, `1.5s`: at least one unit, each once, in h-m-s order.
    static func duration(_ s: Substring) -> Double? {
        var total = 0.0, number = "", seen = ""
        for c in s {
            if c.isNumber || c == "." {
                number.append(c)
            } else if let unit = ["h": 3600.0, "m": 60, "s": 1][String(c)] {
                guard let n = Double(number), n >= 0, !seen.contains(c) else { return nil }
                if let last = seen.last, "hms".firstIndex(of: last)! >= "hms".firstIndex(of: c)! { return nil }
                seen.append(c)
                total += n * unit
                number = ""
            } else {
                return nil
            }
        }
        return number.isEmpty && !seen.isEmpty && total.isFinite ? total : nil
    }

    /// `HH:MM` or `HH:MM:SS(.fff)` as seconds since midnight.
    static func clock(_ s: Substring) -> Double? {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h),
              (0..<60).contains(m), parts[0].count <= 2, parts[1].count == 2 else { return nil }
        var sec = 0.0
        if parts.count == 3 {
            guard parts[2].count >= 2, let v = Double(parts[2]), v >= 0, v < 61 else { return nil }
            sec = v
        }
        return Double(h * 3600 + m * 60) + sec
    }

    /// `YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z|±HH:MM]`; without a zone, local time (`utcOffset`).
    static func isoTime(_ s: String, utcOffset: Int) -> Double? {
        let chars = Array(s)
        guard chars.count >= 16, chars[4] == "-", chars[7] == "-", chars[10] == "T" || chars[10] == " ",
              let y = Int(String(chars[0..<4])), let mo = Int(String(chars[5..<7])), let d = Int(String(chars[8..<10])),
              (1...12).contains(mo), (1...31).contains(d) else { return nil }
        var rest = String(chars[11...])
        var offset = utcOffset
        if rest.hasSuffix("Z") || rest.hasSuffix("z") {
            offset = 0
            rest.removeLast()
        } else if rest.count > 6, case let sign = rest[rest.index(rest.endIndex, offsetBy: -6)], sign == "+" || sign == "-" {
            let zone = rest.suffix(5)
            guard zone.dropFirst(2).first == ":", let zh = Int(zone.prefix(2)), let zm = Int(zone.suffix(2)) else { return nil }
            offset = (sign == "+" ? 1 : -1) * (zh * 3600 + zm * 60)
            rest.removeLast(6)
        }
        guard let time = clock(Substring(rest)) else { return nil }
        return Double(days(year: y, month: mo, day: d) * 86_400) + time - Double(offset)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The moment as epoch seconds for a run from `start` to `end`, or `nil` for ``counter(name:value:)``
    /// (found while reading). A time of day is the first such moment at or after the start (a run past
    /// midnight); `utcOffset` is the local zone's.
    package func time(start: Double, end: Double, utcOffset: Int = 0) -> Double? {
        switch self {
        case .fraction(let f): return start + f * Swift.max(0, end - start)
        case .offset(let s): return start + s
        case .absolute(let t): return t
        case .timeOfDay(let s):
            let local = start + Double(utcOffset)
            let midnight = (local / 86_400).rounded(.down) * 86_400
            var t = midnight + s - Double(utcOffset)
            if t < start.rounded(.down) { t += 86_400 }
            return t
        case .counter: return nil
        }
    }

    /// Whether `event` is the first record where the counter reached the value (``counter(name:value:)``).
    package func reached(by event: Event) -> Bool {
        guard case .counter(let name, let value) = self else { return false }
        switch event.payload {
        case .metrics(let o):
            return (o[name]?.doubleValue).map { $0 >= value } ?? false
        case .metric(let r):
            if r.key == name, let v = r.value.doubleValue { return v >= value }
            return (r.metrics[name]?.doubleValue).map { $0 >= value } ?? false
        default:
            return false
        }
    }
}
