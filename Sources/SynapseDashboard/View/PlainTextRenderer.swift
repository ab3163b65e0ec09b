/// Turns a ``Canvas`` into text for `synapse-tui show`: plain (the default, for CI logs and bug reports) or
/// with ANSI colours from a ``Theme`` (only when asked).
package enum PlainTextRenderer {
    /// How many colours the ANSI output uses.
    package enum ColorDepth: Sendable, Hashable {
        /// The 256-colour palette (`ESC[38;5;Nm`).
        case palette256
        /// The 16 basic colours (the theme's fallbacks).
        case basic16
    }

    /// `text` without the blank lines at its end (a printed screen's rows nothing was drawn in), ending with a newline.
    package static func trimmingTrailingBlankLines(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        while let last = lines.last, last.allSatisfy({ $0 == " " }) || last == "\u{1B}[0m" { lines.removeLast() }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// The canvas as lines of text, trailing spaces removed, ending with a newline.
    package static func text(_ canvas: Canvas) -> String {
        canvas.height == 0 ? "" : canvas.text + "\n"
    }

    /// The canvas as text with ANSI SGR sequences for each run of cells with the same look; every line
    /// ends reset. Trailing blank cells with the default look are left out.
    package static func ansi(_ canvas: Canvas, theme: Theme, depth: ColorDepth = .palette256) -> String {
        var out = ""
        for y in 0..<canvas.height {
            var end = canvas.width
            while end > 0 {
                let cell = canvas[end - 1, y]
                let look = theme.style(for: cell.style.role)
                guard cell.character == " ", !cell.isContinuation, look.background == .default,
                      !cell.style.attributes.union(look.attributes).contains(.reverse) else { break }
                end -= 1
            }
            var current: String?
            for x in 0..<end {
                let cell = canvas[x, y]
                if cell.isContinuation { continue }
                let sgr = self.sgr(cell.style, theme: theme, depth: depth)
                if sgr != current {
                    out += "\u{1B}[0" + sgr + "m"
                    current = sgr
                }
                out.append(cell.character)
            }
            out += current == nil ? "\n" : "\u{1B}[0m\n"
        }
        return out
    }

    /// The SGR parameters (after the reset `0`) for a cell style, each prefixed with `;`.
    static func sgr(_ style: Style, theme: Theme, depth: ColorDepth) -> String {
        let look = theme.style(for: style.role)
        let attributes = look.attributes.union(style.attributes)
        var s = ""
        if attributes.contains(.bold) { s += ";1" }
        if attributes.contains(.dim) { s += ";2" }
        if attributes.contains(.underline) { s += ";4" }
        if attributes.contains(.reverse) { s += ";7" }
        let (fg, bg) = depth == .palette256 ? (look.foreground, look.background) : (look.foreground16, look.background16)
        s += code(fg, foreground: true, depth: depth)
        s += code(bg, foreground: false, depth: depth)
        return s
    }

    static func code(_ color: ThemeColor, foreground: Bool, depth: ColorDepth) -> String {
        guard let i = color.index else { return "" }
        if depth == .basic16 || i < 16 {
            let base = foreground ? (i < 8 ? 30 : 90) : (i < 8 ? 40 : 100)
            return ";\(base + i % 8)"
        }
        return foreground ? ";38;5;\(i)" : ";48;5;\(i)"
    }
}
