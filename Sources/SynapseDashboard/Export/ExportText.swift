import Foundation
import SynapsePlugins

/// Text helpers every export format shares: escaping for each format, times, numbers and masking.
package enum ExportText {
    /// Control characters (C0 but tab and newline, DEL, C1) as U+FFFD: an export printed to a terminal
    /// must not reach it raw, and HTML forbids most of them.
    package static func clean(_ s: String, keepNewlines: Bool = true) -> String {
        guard s.unicodeScalars.contains(where: { isControl($0, keepNewlines: keepNewlines) }) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if isControl(u, keepNewlines: keepNewlines) {
                out.append(!keepNewlines && (u == "\n" || u == "\r") ? " " : "\u{FFFD}")
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    private static func isControl(_ u: Unicode.Scalar, keepNewlines: Bool) -> Bool {
        let v = u.value
        if v == 0x09 { return false }
        if v == 0x0A { return !keepNewlines }
        return v < 0x20 || (v >= 0x7F && v < 0xA0)
    }

    /// A CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled. Text fields
    /// that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) get a leading `'`.
    package static func csvField(_ s: String, text: Bool = true) -> String {
        var s = clean(s)
        if text, let first = s.unicodeScalars.first, "=+-@".unicodeScalars.contains(first) { s = "'" + s }
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Text for HTML content and attribute values.
    package static func html(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in clean(s).unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Text for a Markdown table cell (or any inline Markdown): the characters GitHub-flavoured Markdown
    /// reads inline are backslash-escaped (so `|` never splits a cell and `<b>` is never HTML; `_` only at
    /// a word's edge, where it could start emphasis), line breaks become spaces.
    package static func markdown(_ s: String) -> String {
        var out = ""
        let scalars = Array(clean(s, keepNewlines: false).unicodeScalars)
        for (i, c) in scalars.enumerated() {
            if "\\`*[]<>|~&".unicodeScalars.contains(c) {
                out += "\\"
            } else if c == "_" {
                let before = i > 0 && isWordScalar(scalars[i - 1]), after = i + 1 < scalars.count && isWordScalar(scalars[i + 1])
                if !(before && after) { out += "\\" }
            }
            out.unicodeScalars.append(c)
        }
        return out
    }

    private static func isWordScalar(_ c: Unicode.Scalar) -> Bool {
        c.properties.isAlphabetic || ("0"..."9").contains(c)
    }

    /// A fenced Markdown code block whose fence is longer than any run of backticks in the text.
    package static func markdownCodeBlock(_ s: String) -> String {
        let text = clean(s)
        var longest = 0, run = 0
        for c in text { if c == "`" { run += 1; longest = Swift.max(longest, run) } else { run = 0 } }
        let fence = String(repeating: "`", count: Swift.max(3, longest + 1))
        return fence + "\n" + text + (text.hasSuffix("\n") ? "" : "\n") + fence + "\n"
    }

    /// A number as it is written in CSV and JSON-free text: shortest round-trip form, `NaN`, `inf`, `-inf`.
    package static func number(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "inf" : "-inf" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    /// Seconds rounded to the millisecond: differences of epoch times carry float noise (0.40000009536743164).
    package static func millis(_ d: Double) -> Double { d.isFinite ? (d * 1000).rounded() / 1000 : d }

    /// Counted words: `1 warning`, `2 warnings`.
    package static func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    /// An epoch time as ISO 8601 in UTC with milliseconds (`2026-12-02T05:04:56.123Z`); empty when unknown.
    package static func isoTime(_ t: Double) -> String {
        guard t.isFinite, t > 0, t < 1e13 else { return "" }
        let ms = Int64((t * 1000).rounded())
        let seconds = ms / 1000
        let days = seconds / 86_400, rest = Int(seconds % 86_400)
        let (y, m, d) = NumberFormat.civil(fromDays: Int(days))
        func p(_ n: Int, _ w: Int = 2) -> String { let s = String(n); return String(repeating: "0", count: Swift.max(0, w - s.count)) + s }
        return "\(p(y, 4))-\(p(m))-\(p(d))T\(p(rest / 3600)):\(p(rest % 3600 / 60)):\(p(rest % 60)).\(p(Int(ms % 1000), 3))Z"
    }
}
