import SynapsePlugins

/// A horizontal bar filled to a fraction, with eighth-cell precision in Unicode.
package enum ProgressBar {
    /// Draws a bar of `width` cells at (`x`, `y`).
    package static func draw(into canvas: inout Canvas, x: Int, y: Int, width: Int, fraction: Double, glyphs: Glyphs,
                            doneStyle: Style = Style(.barDone), todoStyle: Style = Style(.barTodo)) {
        guard width > 0 else { return }
        let f = fraction.isFinite ? min(1, max(0, fraction)) : 0
        let eighths = Int((f * Double(width * 8)).rounded(.down))
        let full = eighths / 8
        let partial = eighths % 8
        canvas.repeatCharacter(glyphs.barFull, count: full, x: x, y: y, style: doneStyle)
        var rest = width - full
        if partial > 0, !glyphs.barPartials.isEmpty, rest > 0 {
            canvas[x + full, y] = Cell(glyphs.barPartials[partial - 1], style: doneStyle)
            rest -= 1
        }
        canvas.repeatCharacter(glyphs.barEmpty, count: rest, x: x + width - rest, y: y, style: todoStyle)
    }
}
