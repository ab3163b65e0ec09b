import SynapsePlugins

/// A text to read whole: its title and body (an entry's text, then its full JSON).
package struct DetailText: Sendable, Hashable {
    /// What the text is (`Message 12 · warning`).
    package var title: String
    /// The text, any length, newlines kept; wrapped to the screen when shown.
    package var body: String

    /// Creates a text.
    package init(title: String, body: String) {
        self.title = title
        self.body = body
    }
}

/// The detail view's state: the text and how far it is scrolled (Enter opens it, Esc or q closes it).
///
/// Any pane or command can show text whole through ``UIState/open(_:)`` — a log entry, the run's error, an
/// overview's long line.
package struct DetailView: Sendable, Hashable {
    /// The text shown.
    package var text: DetailText
    /// The first wrapped line shown.
    package var top = 0

    /// Creates a view at the top of `text`.
    package init(_ text: DetailText) { self.text = text }
}

extension UIState {
    /// Opens the detail view on `text` (the generic entry point: any pane or overlay may call it).
    package mutating func open(_ text: DetailText) { detail = DetailView(text) }
}

/// Draws the detail view over the whole screen but its last row: a titled frame, the text wrapped to the
/// width (control characters made visible), a scroll position, and the keys.
package struct DetailOverlay: DashboardPane {
    /// The view.
    package var view: DetailView
    /// The character set.
    package var glyphs: Glyphs

    /// Creates the overlay.
    package init(view: DetailView, glyphs: Glyphs) {
        self.view = view
        self.glyphs = glyphs
    }

    /// The text's lines wrapped to `width` columns.
    package static func lines(_ text: DetailText, width: Int) -> [String] {
        TextWrap.wrap(text.body, width: max(1, width))
    }

    /// Rows of text visible in a screen of `size` (the frame, the hint row and the key line excluded; End
    /// must reach the text's last line).
    package static func visibleRows(_ size: Size) -> Int { max(1, size.height - 4) }
    /// Columns of text in a screen of `size`.
    package static func textWidth(_ size: Size) -> Int { max(1, size.width - 4) }

    package func draw(into canvas: inout Canvas, in rect: Rect) {
        guard rect.width >= 6, rect.height >= 3 else { return }
        let inner = Overlay.box(into: &canvas, rect, title: view.text.title, glyphs: glyphs)
        let lines = Self.lines(view.text, width: max(1, inner.width - 2))
        let rows = max(0, inner.height - 1)
        let top = min(max(0, view.top), max(0, lines.count - rows))
        for (i, line) in lines.dropFirst(top).prefix(rows).enumerated() {
            canvas.put(line, x: inner.x + 1, y: inner.y + i, width: inner.width - 2)
        }
        let position = lines.count <= rows ? "all \(lines.count) lines"
            : "lines \(top + 1)-\(min(lines.count, top + rows)) of \(lines.count)"
        let hint = "Up/Down PgUp/PgDn Home/End scroll · y copy · Esc close · \(position)"
        canvas.put(hint, x: inner.x + 1, y: inner.maxY - 1, width: inner.width - 2, style: Style(.muted))
    }
}

/// Wraps text to a width in display columns: at spaces where it can, mid-word where a word is longer than
/// the line; newlines start new lines; tabs become spaces and other control characters `␀`-style pictures.
package enum TextWrap {
    /// The wrapped lines (at least one).
    package static func wrap(_ text: String, width: Int) -> [String] {
        let width = max(1, width)
        var out: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = "", lineWidth = 0
            var lastSpace: (index: String.Index, width: Int)?
            for ch in paragraph {
                let c: Character = ch == "\t" ? " " : visible(ch)
                let w = max(0, DisplayWidth.of(c))
                if lineWidth + w > width {
                    if c == " " { out.append(line); line = ""; lineWidth = 0; lastSpace = nil; continue }
                    if let space = lastSpace, space.width > 0 {
                        let head = String(line[..<space.index])
                        let tail = String(line[line.index(after: space.index)...])
                        out.append(head)
                        line = tail
                        lineWidth = DisplayWidth.of(tail)
                    } else {
                        out.append(line)
                        line = ""
                        lineWidth = 0
                    }
                    lastSpace = nil
                }
                if c == " " { lastSpace = (line.endIndex, lineWidth) }
                line.append(c)
                lineWidth += w
            }
            out.append(line)
        }
        return out.isEmpty ? [""] : out
    }

    /// Control characters as their Unicode pictures (never raw to the terminal).
    static func visible(_ ch: Character) -> Character {
        guard let scalar = ch.unicodeScalars.first, ch.unicodeScalars.count == 1 else { return ch }
        if scalar.value < 0x20 { return Character(Unicode.Scalar(0x2400 + scalar.value)!) }
        if scalar.value == 0x7F { return "\u{2421}" }
        if (0x80..<0xA0).contains(scalar.value) { return "?" }
        return ch
    }
}
