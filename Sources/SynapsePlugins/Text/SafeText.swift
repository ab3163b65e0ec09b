/// Text from events is data, never terminal commands.
///
/// Everything an event says passes through here before it reaches a screen or a console: C0/C1 control
/// characters (ESC among them), DEL and bidirectional overrides are replaced by visible stand-ins, so an
/// escape sequence in a message shows as text instead of moving the cursor or changing colours.
public enum SafeText {
    /// A single-line, safe version of `text`.
    ///
    /// - Parameters:
    ///   - ascii: use `^X` stand-ins instead of Unicode control pictures.
    ///   - newlines: how line breaks appear (`⏎` by default; pass `" "` to join lines).
    public static func line(_ text: String, ascii: Bool = false, newline: String? = nil) -> String {
        if isPlain(text) { return text }
        var out = String()
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x0A:
                out += newline ?? (ascii ? "|" : "\u{23CE}")
            case 0x09:
                out += " "
            case 0x0D:
                continue  // carriage returns of CRLF text, and \r progress rewrites, add nothing readable
            case 0x00..<0x20:
                out += ascii ? "^" + String(UnicodeScalar(UInt8(v + 0x40))) : String(UnicodeScalar(0x2400 + v)!)
            case 0x7F:
                out += ascii ? "^?" : "\u{2421}"
            case 0x80..<0xA0:
                out += ascii ? "?" : "\u{FFFD}"
            case 0x202A...0x202E, 0x2066...0x2069:
                continue  // bidi overrides could reorder what the user reads
            default:
                if ascii, v >= 0x80 {
                    out += "?"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Splits text into safe lines (for panes that wrap messages over several rows).
    public static func lines(_ text: String, ascii: Bool = false) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line(String($0), ascii: ascii) }
    }

    /// `true` when every byte is printable ASCII (the common case; nothing to do).
    @inline(__always)
    static func isPlain(_ text: String) -> Bool {
        for b in text.utf8 where b < 0x20 || b >= 0x7F { return false }
        return true
    }
}
