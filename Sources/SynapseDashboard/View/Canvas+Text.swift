import SynapsePlugins

/// Text layout helpers for panes: truncation with an ellipsis, right alignment, padding.
extension Canvas {
    /// Writes `text` within `width` columns from `x`; text that does not fit ends with `ellipsis`.
    /// Returns the column after the last written.
    @discardableResult
    package mutating func put(_ text: String, x: Int, y: Int, width: Int, style: Style = .normal,
                             ellipsis: Character = "…", alignRight: Bool = false) -> Int {
        guard width > 0 else { return x }
        let plain = SafeText.isPlain(text)
        let safe = plain ? text : SafeText.line(text, ascii: asciiOnly)
        // Only whether it fits matters: a long text (JSON data in one row) is measured no further than that.
        let w = plain ? text.utf8.count : DisplayWidth.of(safe, stoppingAfter: width)
        if w <= width {
            let start = alignRight ? x + width - w : x
            return putSafeText(safe, plain: plain, x: start, y: y, style: style, limit: x + width)
        }
        let end = putSafeText(safe, plain: plain, x: x, y: y, style: style, limit: x + width - 1)
        let mark: Character = asciiOnly && !ellipsis.isASCII ? "~" : ellipsis
        self[min(end, x + width - 1), y] = Cell(mark, style: style)
        return x + width
    }

    /// Writes `text` within `width` columns, keeping its end when it does not fit (`…/img_0001.jpg`): for
    /// paths, whose last part says the most. Returns the column after the last written.
    @discardableResult
    package mutating func putTail(_ text: String, x: Int, y: Int, width: Int, style: Style = .normal) -> Int {
        guard width > 0 else { return x }
        if SafeText.isPlain(text) {
            // One column per byte: the tail is the last `width - 1` bytes.
            let w = text.utf8.count
            if w <= width { return putSafeText(text, plain: true, x: x, y: y, style: style, limit: x + width) }
            self[x, y] = Cell(asciiOnly ? "~" : "…", style: style)
            let tail = String(Substring(text.utf8.suffix(width - 1)))
            return putSafeText(tail, plain: true, x: x + 1, y: y, style: style, limit: x + width)
        }
        let safe = SafeText.line(text, ascii: asciiOnly)
        var w = DisplayWidth.of(safe)
        if w <= width { return putSafeText(safe, plain: false, x: x, y: y, style: style, limit: x + width) }
        var tail = Substring(safe)
        while w > width - 1, let first = tail.first {
            w -= DisplayWidth.of(first)
            tail.removeFirst()
        }
        self[x, y] = Cell(asciiOnly ? "~" : "…", style: style)
        return putSafeText(String(tail), plain: false, x: x + 1, y: y, style: style, limit: x + width)
    }

    /// Columns `text` takes once made safe.
    package func displayWidth(_ text: String) -> Int {
        SafeText.isPlain(text) ? text.utf8.count : DisplayWidth.of(SafeText.line(text, ascii: asciiOnly))
    }

    /// ``put(_:x:y:style:limit:)`` for text already made safe (`plain`: printable ASCII), so it is neither
    /// sanitised nor scanned twice.
    mutating func putSafeText(_ safe: String, plain: Bool, x: Int, y: Int, style: Style, limit: Int) -> Int {
        guard y >= 0, y < height else { return x }
        let end = min(limit, width)
        return plain ? putPlain(safe, x: x, y: y, style: style, end: end) : putSafe(safe, x: x, y: y, style: style, end: end)
    }

    /// Restyles every case-insensitive occurrence of `query` in the text drawn in `rect` (one row or more),
    /// so a search highlights what is on screen, whatever the pane drew there.
    package mutating func highlight(_ query: String, in rect: Rect, style: Style) {
        let needle = Array(query.lowercased())
        guard !needle.isEmpty else { return }
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            var columns: [Int] = []
            var characters: [Character] = []
            for x in max(0, rect.x)..<min(width, rect.maxX) where !self[x, y].isContinuation {
                columns.append(x)
                characters.append(Character(self[x, y].character.lowercased()))
            }
            guard characters.count >= needle.count else { continue }
            var i = 0
            while i + needle.count <= characters.count {
                if characters[i] == needle[0], Array(characters[i..<(i + needle.count)]) == needle {
                    for j in i..<(i + needle.count) {
                        let x = columns[j]
                        let wide = x + 1 < width && self[x + 1, y].isContinuation
                        restyle(Rect(x: x, y: y, width: wide ? 2 : 1, height: 1)) { _ in style }
                    }
                    i += needle.count
                } else {
                    i += 1
                }
            }
        }
    }
}
