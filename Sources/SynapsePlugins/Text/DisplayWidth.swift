/// How many terminal columns a character takes: 0 (combining marks, zero-width), 1, or 2 (East Asian wide
/// and fullwidth, most emoji).
///
/// A table of our own instead of libc's `wcwidth`, so widths do not depend on the locale or the C library,
/// and the golden-text tests give the same result everywhere.
package enum DisplayWidth {
    /// Columns taken by one grapheme cluster.
    package static func of(_ character: Character) -> Int {
        // Walks the scalars with an iterator: indexing the scalar view validates every index, and this runs
        // for every non-ASCII character drawn.
        var scalars = character.unicodeScalars.makeIterator()
        guard let first = scalars.next() else { return 0 }
        guard var scalar = scalars.next() else { return of(scalar: first) }
        // An emoji presentation selector or a ZWJ sequence makes the cluster a wide emoji.
        if first.value == 0xFE0F || first.value == 0x200D { return 2 }
        while true {
            if scalar.value == 0xFE0F || scalar.value == 0x200D { return 2 }
            guard let following = scalars.next() else { break }
            scalar = following
        }
        return of(scalar: first)
    }

    /// Columns taken by one scalar on its own.
    package static func of(scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x7F { return v >= 0x20 ? 1 : 0 }
        if v < 0xA0 { return 0 }
        if v < 0x300 { return 1 }
        if isZeroWidth(v) { return 0 }
        if isWide(v) { return 2 }
        return 1
    }

    /// Columns taken by a string (sum over its grapheme clusters).
    package static func of(_ text: some StringProtocol) -> Int {
        var total = 0
        for c in text { total += ofASCIIAware(c) }
        return total
    }

    /// Columns taken by a string (sum over its grapheme clusters). Text that is all ASCII, most of what a
    /// dashboard shows, is measured from its bytes.
    package static func of(_ text: String) -> Int {
        of(text, stoppingAfter: .max)
    }

    /// Columns taken by `text`, measuring no further than needed to know it is wider than `limit`: the
    /// exact width when it is at most `limit`, else some number greater than `limit`. For "does it fit?"
    /// on texts that may be long (JSON data shown in one row).
    package static func of(_ text: String, stoppingAfter limit: Int) -> Int {
        if let ascii = asciiWidth(text) { return ascii }
        var total = 0
        GraphemeScanner.forEach(text) { unit in
            switch unit {
            case .scalar(let s): total += s.value == 0x09 ? 1 : of(scalar: s)
            case .grapheme(let c): total += ofASCIIAware(c)
            }
            return total <= limit
        }
        return total
    }

    /// The width of an all-ASCII text from its bytes (each byte a grapheme, CR LF a zero-width pair), or
    /// `nil` when the text is not all ASCII.
    static func asciiWidth(_ text: String) -> Int? {
        var text = text  // withUTF8 needs a mutable string (it would make a bridged one native first)
        return text.withUTF8 { bytes -> Int? in
            var total = 0
            for b in bytes {
                if b >= 0x80 { return nil }
                total += asciiWidth(b)
            }
            return total
        }
    }

    /// Columns of an ASCII character: printable ones and tab (shown as a space) take one.
    @inline(__always)
    static func asciiWidth(_ byte: UInt8) -> Int {
        byte == 0x09 || (byte >= 0x20 && byte < 0x7F) ? 1 : 0
    }

    /// A character's width inside a string: as ``of(_:)-(Character)``, except that a tab counts one column
    /// (text is drawn with tabs as spaces). CR LF is one ASCII character whose value is LF: zero columns.
    @inline(__always)
    static func ofASCIIAware(_ c: Character) -> Int {
        if let a = c.asciiValue { return asciiWidth(a) }
        return of(c)
    }

    static func isZeroWidth(_ v: UInt32) -> Bool {
        switch v {
        case 0x0300...0x036F, 0x0483...0x0489, 0x0591...0x05BD, 0x0610...0x061A, 0x064B...0x065F,
             0x0E31, 0x0E34...0x0E3A, 0x0E47...0x0E4E, 0x1AB0...0x1AFF, 0x1DC0...0x1DFF,
             0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2064, 0x20D0...0x20FF,
             0xFE00...0xFE0F, 0xFE20...0xFE2F, 0xFEFF, 0xE0100...0xE01EF:
            return true
        default:
            return false
        }
    }

    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
             0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB,
             0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA,
             0x26FD, 0x2705, 0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757,
             0x2795...0x2797, 0x27B0, 0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55,
             0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18AFF, 0x1B000...0x1B2FF,
             0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F320,
             0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393, 0x1F3A0...0x1F3CA,
             0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440,
             0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A,
             0x1F595...0x1F596, 0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC,
             0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF, 0x1F6EB...0x1F6EC,
             0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB, 0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945,
             0x1F947...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
