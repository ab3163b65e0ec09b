/// Terminal escape sequences in captured output (synapse-sdk's ConsoleLogger colours every line).
package enum ANSI {
    /// `text` without escape sequences: CSI (`ESC [ ... final`, colours and cursor moves), OSC
    /// (`ESC ] ... BEL` or `ESC ] ... ESC \`), and other two-byte `ESC x` sequences. Other text is kept as is.
    package static func strip(_ text: String) -> String {
        guard text.utf8.contains(0x1B) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        let bytes = Array(text.utf8)
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            guard b == 0x1B else { out.append(b); i += 1; continue }
            i += 1
            guard i < n else { break }
            let kind = bytes[i]
            i += 1
            if kind == UInt8(ascii: "[") {
                // parameters and intermediates 0x20-0x3F, final byte 0x40-0x7E
                while i < n, bytes[i] >= 0x20, bytes[i] <= 0x3F { i += 1 }
                if i < n, bytes[i] >= 0x40, bytes[i] <= 0x7E { i += 1 }
            } else if kind == UInt8(ascii: "]") {
                while i < n {
                    if bytes[i] == 0x07 { i += 1; break }
                    if bytes[i] == 0x1B, i + 1 < n, bytes[i + 1] == UInt8(ascii: "\\") { i += 2; break }
                    i += 1
                }
            }
            // any other ESC x: both bytes dropped
        }
        return String(decoding: out, as: UTF8.self)
    }
}
