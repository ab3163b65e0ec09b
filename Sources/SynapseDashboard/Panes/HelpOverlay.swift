import SynapsePlugins

/// A box in the middle of the screen listing every key.
package struct HelpOverlay: DashboardPane {
    /// The character set.
    package var glyphs: Glyphs
    /// The first entry shown (Up/Down scroll the help when it does not fit).
    package var top: Int

    /// Creates the overlay.
    package init(glyphs: Glyphs, top: Int = 0) {
        self.glyphs = glyphs
        self.top = top
    }

    /// Lines of help: one per key.
    package static var lineCount: Int { KeyHelp.entries.count }

    /// Entries visible at once on a screen of `size` (the frame and the last line excluded).
    package static func visibleRows(_ size: Size) -> Int { max(1, min(size.height, lineCount + 3) - 3) }

    package func draw(into canvas: inout Canvas, in rect: Rect) {
        let entries = KeyHelp.entries
        let keyWidth = min(entries.map { DisplayWidth.of($0.keys) }.max() ?? 0, max(4, rect.width / 3))
        let textWidth = entries.map { DisplayWidth.of($0.action) }.max() ?? 0
        let width = min(rect.width, keyWidth + textWidth + 7)
        let height = min(rect.height, entries.count + 3)
        guard width >= 6, height >= 3 else { return }
        let box = Rect(x: rect.x + (rect.width - width) / 2, y: rect.y + (rect.height - height) / 2, width: width, height: height)
        let inner = Overlay.box(into: &canvas, box, title: "Keys", glyphs: glyphs)
        let rows = max(0, inner.height - 1)
        let first = min(max(0, top), max(0, entries.count - rows))
        for (i, entry) in entries.dropFirst(first).prefix(rows).enumerated() {
            let y = inner.y + i
            canvas.put(entry.keys, x: inner.x + 1, y: y, width: keyWidth, style: Style(.keyHint, .bold))
            canvas.put(entry.action, x: inner.x + keyWidth + 3, y: y, width: inner.maxX - inner.x - keyWidth - 3)
        }
        let more = entries.count > rows ? "\(first + 1)-\(first + min(rows, entries.count - first)) of \(entries.count), Up/Down scroll, " : ""
        canvas.put(more + "any other key closes", x: inner.x + 1, y: inner.maxY - 1, width: inner.width - 1, style: Style(.muted))
    }
}

/// Boxes drawn on top of the dashboard (help, questions).
enum Overlay {
    /// Clears `box`, draws its border and title, and returns the inside.
    static func box(into canvas: inout Canvas, _ box: Rect, title: String, glyphs: Glyphs) -> Rect {
        canvas.fill(box, style: Style(.normal))
        let ascii = !glyphs.useBraille
        let (tl, tr, bl, br): (Character, Character, Character, Character) = ascii ? ("+", "+", "+", "+") : ("┌", "┐", "└", "┘")
        let style = Style(.focus)
        canvas.repeatCharacter(glyphs.horizontal, count: box.width, x: box.x, y: box.y, style: style)
        canvas.repeatCharacter(glyphs.horizontal, count: box.width, x: box.x, y: box.maxY - 1, style: style)
        for y in box.y..<box.maxY {
            canvas[box.x, y] = Cell(glyphs.vertical, style: style)
            canvas[box.maxX - 1, y] = Cell(glyphs.vertical, style: style)
        }
        canvas[box.x, box.y] = Cell(tl, style: style)
        canvas[box.maxX - 1, box.y] = Cell(tr, style: style)
        canvas[box.x, box.maxY - 1] = Cell(bl, style: style)
        canvas[box.maxX - 1, box.maxY - 1] = Cell(br, style: style)
        canvas.put(" \(title) ", x: box.x + 2, y: box.y, width: max(0, box.width - 4), style: Style(.focus, .bold))
        return Rect(x: box.x + 1, y: box.y + 1, width: box.width - 2, height: box.height - 2)
    }
}
