import SynapsePlugins

/// Writing a line of text into cells: the one loop every pane's text goes through.
///
/// The rule is "each grapheme of the safe text, at its display width" (``putByGrapheme(_:x:y:style:end:)``
/// spells it out). Two faster paths give the same cells: text that is all printable ASCII is copied byte by
/// byte, and other text is walked with a ``GraphemeScanner`` so only its non-ASCII parts build `Character`s.
extension Canvas {
    /// Writes `text` on row `y` from column `x`, never past column `limit` (exclusive; default the right
    /// edge). Returns the column after the last one written.
    @discardableResult
    package mutating func put(_ text: String, x: Int, y: Int, style: Style = .normal, limit: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let end = min(limit ?? width, width)
        if SafeText.isPlain(text) { return putPlain(text, x: x, y: y, style: style, end: end) }
        return putSafe(SafeText.line(text, ascii: asciiOnly), x: x, y: y, style: style, end: end)
    }

    /// Writes printable-ASCII text (``SafeText/isPlain(_:)``): one cell per byte, from `x` up to `end`
    /// (exclusive, at most the width). `y` must be on the canvas.
    mutating func putPlain(_ text: String, x: Int, y: Int, style: Style, end: Int) -> Int {
        var text = text
        let width = self.width
        return text.withUTF8 { bytes in
            let stop = min(x + bytes.count, end)
            guard stop > x else { return x }
            let from = max(0, x)
            guard from < stop else { return stop }
            let row = y * width
            storage.withUnsafeMutableBufferPointer { cells in
                for column in from..<stop {
                    Self.setCell(in: cells, width: width, column, row + column,
                                 PackedCell(code: UInt32(bytes[column - x]), style: style))
                }
            }
            return stop
        }
    }

    /// Writes text that is already safe (``SafeText/line(_:ascii:newline:)``), any characters, from `x`
    /// up to `end` (exclusive, at most the width). `y` must be on the canvas.
    mutating func putSafe(_ safe: String, x: Int, y: Int, style: Style, end: Int) -> Int {
        var column = x
        guard column < end else { return column }
        GraphemeScanner.forEach(safe) { unit in
            putUnit(unit, &column, y: y, style: style, end: end) && column < end
        }
        return column
    }

    /// Writes every grapheme of safe text as a `Character`: the definition the faster paths of
    /// ``put(_:x:y:style:limit:)`` must match (tests compare them cell by cell).
    mutating func putByGrapheme(_ safe: String, x: Int, y: Int, style: Style, end: Int) -> Int {
        var column = x
        for character in safe {
            if column >= end { break }
            if !putUnit(.grapheme(character), &column, y: y, style: style, end: end) { break }
        }
        return column
    }

    /// Writes one grapheme at `column` (which must be before `end`) and advances it by the grapheme's width.
    /// Returns `false` when the line is full: a wide character that does not fit is shown as a space, never
    /// half, and ends the text.
    @inline(__always)
    mutating func putUnit(_ unit: GraphemeScanner.Unit, _ column: inout Int, y: Int, style: Style, end: Int) -> Bool {
        var w: Int
        var isASCII: Bool
        switch unit {
        case .scalar(let s): w = DisplayWidth.of(scalar: s); isASCII = s.isASCII
        case .grapheme(let c): w = DisplayWidth.of(c); isASCII = c.isASCII
        }
        if w == 0 { return true }  // combining marks and zero-width characters: dropped, never misalign columns
        let question = asciiOnly && !isASCII
        if question { w = 1 }
        if w == 2 && column + 1 >= end {
            if column >= 0 { setCell(column, y, .space(style)) }
            column += 1
            return false
        }
        if column >= 0 {
            let code: UInt32
            switch unit {
            case _ where question: code = 0x3F  // "?"
            case .scalar(let s): code = s.value
            case .grapheme(let c): code = self.code(for: c)
            }
            setCell(column, y, PackedCell(code: code, style: style))
            if w == 2 { setCell(column + 1, y, PackedCell(code: 0x20, style: style, isContinuation: true)) }
        }
        column += w
        return true
    }
}
