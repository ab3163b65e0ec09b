/// Walks a string grapheme by grapheme, handing out the common single-scalar graphemes as scalars, so
/// most text builds no `Character` and runs no grapheme-break rules.
///
/// A scalar from ``isIsolated(_:)`` (printable ASCII, Latin, Greek, Cyrillic, punctuation, symbols, box
/// drawing, blocks, braille, kana, CJK ideographs, fullwidth forms) never joins a neighbour that is also
/// one: none of them extends, joins, prepends or is a regional indicator or Hangul jamo, so Unicode's
/// grapheme-break rules (GB3-GB13) put a break between any two of them. Such a scalar followed by another
/// (or by the end) is therefore a grapheme of its own. Everything else (a combining mark, an emoji
/// sequence, the scalar before one, controls) goes through `String`'s own grapheme breaking from a
/// grapheme boundary. So the units are exactly `for character in text`, in order; tests check this over
/// every isolated scalar and on mixed text.
package enum GraphemeScanner {
    /// One grapheme of the text.
    package enum Unit: Equatable {
        /// A grapheme that is one scalar.
        case scalar(Unicode.Scalar)
        /// Any other grapheme (it may also be a single scalar).
        case grapheme(Character)
    }

    /// Calls `body` with each grapheme of `text`, in order, until it returns `false`.
    @inlinable
    package static func forEach(_ text: String, _ body: (Unit) -> Bool) {
        let scanned: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            let n = bytes.count
            var i = 0
            guard n > 0 else { return }
            var (value, length) = decode(bytes, 0)
            while i < n {
                let j = i + length
                if isIsolated(value) {
                    if j == n {
                        _ = body(.scalar(Unicode.Scalar(value).unsafelyUnwrapped))
                        return
                    }
                    let (nextValue, nextLength) = decode(bytes, j)
                    if isIsolated(nextValue) {
                        guard body(.scalar(Unicode.Scalar(value).unsafelyUnwrapped)) else { return }
                        (i, value, length) = (j, nextValue, nextLength)
                        continue
                    }
                }
                // `i` is a grapheme boundary and a scalar boundary: let String find where this grapheme ends.
                let character = text[text.utf8.index(text.utf8.startIndex, offsetBy: i)]
                i += character.utf8.count
                guard body(.grapheme(character)) else { return }
                if i < n { (value, length) = decode(bytes, i) }
            }
        }
        if scanned == nil {
            for character in text where !body(.grapheme(character)) { break }
        }
    }

    /// `true` for scalars that never join a neighbouring grapheme of this set (see the type's comment).
    /// Deliberately a few plain ranges: anything outside them simply takes the general path.
    @inlinable
    package static func isIsolated(_ v: UInt32) -> Bool {
        if v < 0x7F { return v >= 0x20 }
        if v < 0x2010 {
            // Latin-1 (without C1 controls), Latin Extended, IPA, spacing modifiers; Greek, Cyrillic.
            return (v >= 0xA0 && v < 0x300) || (v >= 0x370 && v < 0x483)
        }
        if v < 0x3000 {
            // General punctuation, super/subscripts, currency; letterlike symbols through braille and the
            // supplemental arrows and symbols (0x2100-0x2BFF), no combining marks among them.
            return (v < 0x2028) || (v >= 0x2030 && v < 0x205F) || (v >= 0x2070 && v < 0x20D0)
                || (v >= 0x2100 && v < 0x2C00)
        }
        // CJK symbols (before the tone marks), kana (without the combining voiced marks), CJK ideographs,
        // fullwidth forms.
        return (v < 0x302A) || (v >= 0x3041 && v < 0x3097) || (v >= 0x309B && v < 0x3100)
            || (v >= 0x3400 && v < 0x4DC0) || (v >= 0x4E00 && v < 0xA000) || (v >= 0xFF01 && v < 0xFF61)
    }

    /// The scalar value and byte length of the UTF-8 sequence at `i` (the bytes are a `String`'s, so valid).
    @inlinable @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
        let b0 = UInt32(bytes[i])
        if b0 < 0x80 { return (b0, 1) }
        let b1 = UInt32(bytes[i + 1]) & 0x3F
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | b1, 2) }
        let b2 = UInt32(bytes[i + 2]) & 0x3F
        if b0 < 0xF0 { return ((b0 & 0x0F) << 12 | b1 << 6 | b2, 3) }
        let b3 = UInt32(bytes[i + 3]) & 0x3F
        return ((b0 & 0x07) << 18 | b1 << 12 | b2 << 6 | b3, 4)
    }
}
