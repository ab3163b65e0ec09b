import SynapsePlugins

/// A pane's title row: `─ Title ───────── detail ─`, highlighted when the pane has focus.
package enum PaneFrame {
    /// Draws the title row at the top of `rect` and returns the rectangle left for content.
    package static func draw(into canvas: inout Canvas, in rect: Rect, title: String, detail: String = "",
                            focused: Bool, glyphs: Glyphs) -> Rect {
        guard !rect.isEmpty else { return rect }
        let (row, content) = rect.splitTop(1)
        let ruleStyle = focused ? Style(.focus) : Style(.border)
        // Focus reads in every theme, monochrome included: a heavier rule and a reversed title, not only a colour.
        canvas.repeatCharacter(focused ? glyphs.focusHorizontal : glyphs.horizontal, count: row.width, x: row.x, y: row.y, style: ruleStyle)
        guard row.width > 4 else { return content }
        let titleText = " \(title) "
        let titleStyle = focused ? Style(.focus, [.bold, .reverse]) : Style(.title, .bold)
        let afterTitle = canvas.put(titleText, x: row.x + 1, y: row.y, width: row.width - 2, style: titleStyle)
        if !detail.isEmpty {
            let d = " \(detail) "
            let w = canvas.displayWidth(d)
            let x = row.maxX - 1 - w
            if x > afterTitle + 1 { canvas.put(d, x: x, y: row.y, style: Style(.muted)) }
        }
        return content
    }
}
