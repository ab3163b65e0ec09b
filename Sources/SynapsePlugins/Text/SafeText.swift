/// Text from events is data, never terminal commands.
///
/// Everything an event says passes through here before it reaches a screen or a console: C0/C1 control
/// characters (ESC among them), DEL and bidirectional overrides are replaced by visible stand-ins, so an
/// escape sequence in a message shows as text instead of moving the cursor or changing colours.
package enum SafeText {
    /// A single-line, safe version of `text`.
    ///
    /// - Parameters:
    ///   - ascii: use `^X` stand-ins instead of Unicode control pictures.
    ///   - newlines: how line breaks appear (`⏎` by default; pass `" "` to join lines).
    package static func line(_ text: String, ascii: Bool = false, newline: String? = nil) -> String {
        if ascii ? isPlain(text) : isSafeUnicode(text) { return text }
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
    package static func lines(_ text: String, ascii: Bool = false) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line(String($0), ascii: ascii) }
    }

    /// `true` when ``line(_:ascii:newline:)`` (not in ASCII mode) would return `text` unchanged: no C0 or C1
    /// control, DEL, or bidirectional override. Checked on the bytes, so text in any script that needs no
    /// stand-in is not copied scalar by scalar.
    package static func isSafeUnicode(_ text: String) -> Bool {
        var text = text  // withUTF8 needs a mutable string (it would make a bridged one native first)
        return text.withUTF8 { bytes in
            let n = bytes.count
            var i = 0
            while i < n {
                let b = bytes[i]
                if b < 0x80 {
                    if b < 0x20 || b == 0x7F { return false }
                } else if b == 0xC2 {
                    if i + 1 < n, bytes[i + 1] < 0xA0 { return false }  // U+0080...U+009F, C1 controls
                } else if b == 0xE2, i + 2 < n {
                    let b1 = bytes[i + 1], b2 = bytes[i + 2]
                    if b1 == 0x80, b2 >= 0xAA, b2 <= 0xAE { return false }  // U+202A...U+202E
                    if b1 == 0x81, b2 >= 0xA6, b2 <= 0xA9 { return false }  // U+2066...U+2069
                }
                i += 1
            }
            return true
        }
    }

    /// `true` when every byte is printable ASCII (the common case): ``line(_:ascii:newline:)`` returns such
    /// text unchanged, and every character of it is one byte, one grapheme and one column.
    package static func isPlain(_ text: String) -> Bool {
        var text = text  // withUTF8 needs a mutable string (it would make a bridged one native first)
        return text.withUTF8 { bytes in
            // One unsigned comparison per byte (0x20...0x7E), no early exit: the loop vectorises, and texts
            // that are not plain are rare.
            var bad: UInt8 = 0
            for b in bytes { bad |= (b &- 0x20) >= 0x5F ? 1 : 0 }
            return bad == 0
        }
    }
}
