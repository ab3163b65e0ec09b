import SynapsePlugins

/// A one-row chart of a metric's history in block characters. A cell whose samples were all NaN or
/// infinite shows ``gap`` instead of a level: the sample is there, it has no height.
package enum Sparkline {
    /// Drawn where every sample of a cell is NaN or infinite.
    package static let gap: Character = "!"

    /// The sparkline of `series` in `width` cells (shorter when the history is shorter).
    package static func text(_ series: MetricSeries, width: Int, glyphs: Glyphs) -> String {
        var out = ""
        for level in levels(series, width: width, glyphs: glyphs) { out.append(level < 0 ? gap : glyphs.spark[level]) }
        return out
    }

    /// Draws the sparkline at (`x`, `y`): the same cells as `canvas.put(text(...), x: x, y: y, style: style)`.
    package static func draw(_ series: MetricSeries, width: Int, glyphs: Glyphs, into canvas: inout Canvas,
                            x: Int, y: Int, style: Style) {
        guard let scalars = cellScalars(glyphs, asciiOnly: canvas.asciiOnly), y >= 0, y < canvas.height else {
            canvas.put(text(series, width: width, glyphs: glyphs), x: x, y: y, style: style)
            return
        }
        // Every glyph is one cell that joins no neighbour: one cell per level, as `put` would write them,
        // without building and re-reading a string.
        var column = x
        for level in levels(series, width: width, glyphs: glyphs) {
            if column >= canvas.width { break }
            if column >= 0 {
                let code = level < 0 ? UInt32(UInt8(ascii: "!")) : scalars[level].value
                canvas.setCell(column, y, PackedCell(code: code, style: style))
            }
            column += 1
        }
    }

    /// The glyph index of each cell (-1: ``gap``).
    static func levels(_ series: MetricSeries, width: Int, glyphs: Glyphs) -> [Int] {
        guard width > 0, series.sampleCount > 0 else { return [] }
        let lo = series.min ?? 0, hi = series.max ?? 0
        let points = series.resampled(to: width)
        let levels = glyphs.spark.count
        return points.map { p in
            let v = p.last
            guard v.isFinite else { return -1 }
            // A range too wide for a Double (-1e308 ... 1e308) gives NaN here: the middle level, not a trap.
            let f = (v - lo) / (hi - lo)
            guard f.isFinite else { return levels / 2 }
            let level = hi > lo ? Int(saturating: (f * Double(levels - 1)).rounded()) : levels / 2
            return min(levels - 1, max(0, level))
        }
    }

    /// The glyphs as scalars when each is drawn as itself in one cell (a single scalar that text drawing
    /// keeps as is, one column wide, never joined to its neighbours), else `nil` and text drawing decides.
    static func cellScalars(_ glyphs: Glyphs, asciiOnly: Bool) -> [Unicode.Scalar]? {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(glyphs.spark.count)
        for glyph in glyphs.spark {
            var it = glyph.unicodeScalars.makeIterator()
            guard let s = it.next(), it.next() == nil, GraphemeScanner.isIsolated(s.value),
                  DisplayWidth.of(scalar: s) == 1, !asciiOnly || s.isASCII else { return nil }
            scalars.append(s)
        }
        return scalars
    }
}
