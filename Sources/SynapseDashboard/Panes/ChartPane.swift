import Foundation
import SynapsePlugins

/// A line chart of the charted metric and its companions (its validation twin, the same metric in other
/// steps, metrics marked in the table), on the run's own x axis (see ``ChartData``).
///
/// Braille dots give 2x4 points per cell; ASCII mode plots one point per cell. Each series has a theme
/// role and, after the first, a mark that reads without colour. Where a column covers several samples the
/// series is drawn as a faint min–max envelope with its mean line; with smoothing, the raw curve is faint
/// behind the moving average. NaN and infinite samples break the line and are marked (`×`, `▲`, `▼`).
package struct ChartPane: DashboardPane {
    /// The frame's state, UI and options.
    package var context: PaneContext

    /// Creates the pane for a frame.
    package init(context: PaneContext) { self.context = context }

    package func draw(into canvas: inout Canvas, in rect: Rect) {
        let state = context.state, ui = context.ui
        let data = ChartData.make(state: state, ui: ui, utcOffset: context.options.utcOffset)
        let primary = data?.lines.first
        let title = primary.map { "Chart \($0.id)" } ?? "Chart"
        let area = PaneFrame.draw(into: &canvas, in: rect, title: title, detail: data.map { detail($0, state) } ?? "",
                                  focused: ui.focus == .chart, glyphs: context.glyphs)
        guard let data, area.height >= 2, area.width >= 12 else {
            if data == nil, !area.isEmpty {
                canvas.put("No numeric metrics yet", x: area.x + 1, y: area.y, width: area.width - 1, style: Style(.muted))
            }
            return
        }
        ChartDrawing(glyphs: context.glyphs, smoothing: context.ui.chartSmoothing).drawBody(data, in: area, into: &canvas)
    }

    /// The frame's detail: the last value, the non-finite count, the toggles in effect.
    func detail(_ data: ChartData, _ state: DashboardState) -> String {
        var parts: [String] = []
        if let line = data.lines.first, let series = state.chartSeries(line.id)?.series, let last = series.last {
            parts.append("last \(NumberFormat.number(last))")
        }
        let bad = data.lines.first.map { $0.nanCount + $0.infinityCount } ?? 0
        if bad > 0 { parts.append("\(bad) NaN/inf") }
        if data.log { parts.append("log") }
        let ascii = !context.glyphs.useBraille
        if data.logRefused { parts.append(ascii ? "log: values <= 0" : "log: values ≤ 0") }
        if context.ui.chartSmoothing { parts.append("EMA \(ChartData.smoothingWeight)") }
        if let n = context.ui.chartZoom { parts.append("last \(n)") }
        return parts.joined(separator: ascii ? ", " : " · ")
    }
}

extension PaneSpec {
    /// The chart of the charted metric; it takes the rows nobody else can fill.
    package static let chart = PaneSpec(
        id: .chart, title: "Chart", placement: .middle, priority: 3, weight: 3, minRows: 4,
        isShown: { state, _ in !state.chartableMetrics.isEmpty },
        contentRows: { _, _, _ in 10_000 },
        keys: [("Up / Down", "chart the previous / next metric (when the chart is focused)")],
        draw: { context, canvas, rect, _ in ChartPane(context: context).draw(into: &canvas, in: rect) })
}

/// Draws a ``ChartData`` into a rectangle: legend, axes, and each series as braille (or ASCII) points in its
/// slot's colour role with its slot's mark. The dashboard's chart pane and the comparison view share it.
struct ChartDrawing {
    var glyphs: Glyphs
    /// The moving average is drawn strong and the raw curve faint.
    var smoothing: Bool
    /// Draw the legend for a single series too (a comparison names its run).
    var alwaysLegend = false

    /// The role of each slot, in order: the chart's colour, then the theme's other distinct ones.
    static let lineRoles: [Role] = [.chart, .accent, .info, .success, .dev, .warning, .focus, .keyHint]

    /// The legend glyph of each slot; after the first, also the mark drawn along it.
    static func marks(ascii: Bool) -> [Character] {
        ascii ? ["*", "o", "+", "#", "@", "%", "&", "="] : ["━", "◆", "■", "●", "◇", "□", "○", "★"]
    }

    /// The role of a slot (slots past the list's end reuse it).
    static func role(_ slot: Int) -> Role { lineRoles[slot % lineRoles.count] }
    /// The mark of a slot.
    static func mark(_ slot: Int, ascii: Bool) -> Character { let m = marks(ascii: ascii); return m[slot % m.count] }

    /// The legend, axes and series in `area` (below the pane's title).
    func drawBody(_ data: ChartData, in area: Rect, into canvas: inout Canvas) {
        let ascii = !glyphs.useBraille
        var body = area
        if data.lines.count > 1 || alwaysLegend, area.height >= 5 {
            drawLegend(data, ascii: ascii, into: &canvas, x: area.x + 1, y: area.y, width: area.width - 1)
            body = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
        }
        // A fixed label width (it depends on the pane, not the data), so the plot never shifts.
        let labelWidth = body.width >= 30 ? 7 : 5
        let plot = Rect(x: body.x + labelWidth + 1, y: body.y, width: body.width - labelWidth - 1, height: body.height - 1)
        drawAxes(data, plot: plot, labelWidth: labelWidth, into: &canvas)

        if !data.lines.contains(where: { $0.points.contains { $0.finite > 0 } }) {
            let n = data.lines.reduce(0) { $0 + $1.nanCount + $1.infinityCount }
            canvas.put("no finite values (\(n) NaN/inf)", x: plot.x + 1, y: plot.y, width: plot.width - 1, style: Style(.danger, .bold))
        }
        var grid = Grid(width: plot.width, height: plot.height, braille: !ascii)
        var overlays: [(x: Int, y: Int, char: Character, style: Style)] = []
        // The first series drawn last, so it wins the cells it shares.
        for k in data.lines.indices.reversed() {
            plotLine(data, k, ascii: ascii, into: &grid, overlays: &overlays)
        }
        grid.render(into: &canvas, at: plot, asciiOnly: ascii)
        // Series marks first, then NaN/inf marks on top: those must never be hidden.
        for o in overlays.sorted(by: { $0.style.role != .danger && $1.style.role == .danger })
        where o.x >= 0 && o.x < plot.width && o.y >= 0 && o.y < plot.height {
            canvas[plot.x + o.x, plot.y + o.y] = Cell(o.char, style: o.style)
        }
    }

    func drawLegend(_ data: ChartData, ascii: Bool, into canvas: inout Canvas, x: Int, y: Int, width: Int) {
        let texts = data.lines.map { "\(Self.mark($0.slot, ascii: ascii)) \($0.label)" }
        let total = texts.reduce(0) { $0 + DisplayWidth.of($1) } + 2 * Swift.max(0, texts.count - 1)
        // When the labels do not all fit (long run labels), each gets an equal share, cut with an ellipsis:
        // every series stays named.
        let share = total <= width ? Int.max : Swift.max(4, (width - 2 * (texts.count - 1)) / Swift.max(1, texts.count))
        var cx = x
        for (line, text) in zip(data.lines, texts) {
            let w = Swift.min(DisplayWidth.of(text), share)
            guard cx + w <= x + width else { break }
            if w < DisplayWidth.of(text) {
                // Cut: the mark, then the label's end (`…rate=0.001`), which tells runs and metrics apart.
                canvas[cx, y] = Cell(Self.mark(line.slot, ascii: ascii), style: Style(Self.role(line.slot)))
                canvas.putTail(line.label, x: cx + 2, y: y, width: w - 2, style: Style(Self.role(line.slot)))
            } else {
                canvas.put(text, x: cx, y: y, width: w, style: Style(Self.role(line.slot)))
            }
            cx += w + 2
        }
    }

    func drawAxes(_ data: ChartData, plot: Rect, labelWidth: Int, into canvas: inout Canvas) {
        for y in plot.y..<plot.maxY { canvas[plot.x - 1, y] = Cell(glyphs.vertical, style: Style(.border)) }
        let sy = glyphs.useBraille ? 4 : 1
        let levels = plot.height * sy
        for row in Self.tickRows(plot.height) {
            let level = row == 0 ? 0 : row == plot.height - 1 ? levels - 1 : row * sy + sy / 2
            var v = data.yHigh - (data.yHigh - data.yLow) * Double(level) / Double(max(1, levels - 1))
            if data.log { v = pow(10, v) }
            canvas.put(Self.label(v, width: labelWidth), x: plot.x - 1 - labelWidth, y: plot.y + row, width: labelWidth,
                       style: Style(.muted), alignRight: true)
            canvas[plot.x - 1, plot.y + row] = Cell(glyphs.axisTick, style: Style(.border))
        }
        let axisY = plot.maxY
        canvas[plot.x - 1, axisY] = Cell(glyphs.axisCorner, style: Style(.border))
        canvas.repeatCharacter(glyphs.horizontal, count: plot.width, x: plot.x, y: axisY, style: Style(.border))
        let low = " \(data.xLowLabel) ", high = " \(data.xHighLabel) ", name = " \(data.axisName) "
        let lw = DisplayWidth.of(low), hw = DisplayWidth.of(high), nw = DisplayWidth.of(name)
        if plot.width >= lw + hw + 2 {
            // Each end label stands under its value (a counter's whole values may sit inside the range).
            func cell(_ x: Double) -> Int { Int(saturating: (data.fraction(x) * Double(plot.width - 1)).rounded()) }
            let lowX = min(max(0, cell(data.xLowTick) - lw / 2), plot.width - lw - hw)
            let highX = max(min(plot.width - hw, cell(data.xHighTick) - hw / 2), lowX + lw)
            canvas.put(low, x: plot.x + lowX, y: axisY, style: Style(.muted))
            canvas.put(high, x: plot.x + highX, y: axisY, style: Style(.muted))
            if plot.width >= lw + hw + nw + 4 {
                canvas.put(name, x: plot.x + lw + (plot.width - lw - hw - nw) / 2, y: axisY, style: Style(.title))
            }
        } else if plot.width >= nw {
            canvas.put(name, x: plot.x, y: axisY, style: Style(.title))
        }
    }

    /// The rows that get a y label: the top, the bottom and evenly between.
    static func tickRows(_ height: Int) -> [Int] {
        guard height > 1 else { return [0] }
        let step = height <= 4 ? max(1, height - 1) : height <= 10 ? 3 : 4
        var rows = Array(stride(from: 0, to: height - 1, by: step))
        if let last = rows.last, height - 1 - last < 2, rows.count > 1 { rows.removeLast() }
        return rows + [height - 1]
    }

    /// A y label of at most `width` columns: the usual number, else shorter scientific forms.
    static func label(_ v: Double, width: Int) -> String {
        let plain = NumberFormat.number(v)
        if plain.count <= width { return plain }
        for decimals in stride(from: 2, through: 0, by: -1) {
            var s = String(format: "%.\(decimals)e", v)
            s = s.replacingOccurrences(of: "e+0", with: "e").replacingOccurrences(of: "e-0", with: "e-")
                .replacingOccurrences(of: "e+", with: "e")
            if s.count <= width { return s }
        }
        return String(plain.prefix(width))
    }

    /// One series into the grid: envelope and raw curve faint, its line strong, its marks and its NaN/inf
    /// marks as overlays.
    func plotLine(_ data: ChartData, _ k: Int, ascii: Bool, into grid: inout Grid,
                  overlays: inout [(x: Int, y: Int, char: Character, style: Style)]) {
        let line = data.lines[k]
        let cols = grid.columns, rows = grid.rows
        guard cols > 0, rows > 0 else { return }
        func column(_ x: Double) -> Int {
            min(cols - 1, max(0, Int(saturating: (data.fraction(x) * Double(cols - 1)).rounded())))
        }
        func level(_ v: Double) -> Int {
            let t = data.log ? log10(v) : v
            let f = (t - data.yLow) / (data.yHigh - data.yLow)
            guard f.isFinite else { return rows / 2 }
            return min(rows - 1, max(0, Int(saturating: (Double(rows - 1) * (1 - f)).rounded())))
        }
        // Per grid column: the samples' extremes, mean, smoothed value and non-finite kinds.
        struct Column {
            var lo = Double.infinity, hi = -Double.infinity, sum = 0.0, finite = 0, smoothed = Double.nan
            var nonFinite: MetricSeries.NonFinite = []
            var used = false
            var mean: Double { sum / Double(finite) }
        }
        var columns = [Column](repeating: Column(), count: cols)
        for p in line.points {
            let c = column(p.x)
            columns[c].used = true
            columns[c].nonFinite.formUnion(p.nonFinite)
            if p.finite > 0 {
                columns[c].lo = min(columns[c].lo, p.min)
                columns[c].hi = max(columns[c].hi, p.max)
                columns[c].sum += p.mean * Double(p.finite)
                columns[c].finite += p.finite
                columns[c].smoothed = p.smoothed
            }
        }
        let role = Self.role(line.slot)
        let strong = Style(role), faint = Style(role, .dim)
        let strongRank = 100 - k, faintRank = 10 - k
        let markChar = Self.mark(line.slot, ascii: ascii)
        let pointChar: Character = line.slot == 0 ? glyphs.chartPoint : markChar

        // Envelopes: where a column covers samples that differ.
        for c in 0..<cols where columns[c].finite > 1 && columns[c].hi > columns[c].lo {
            for y in level(columns[c].hi)...level(columns[c].lo) { grid.set(c, y, rank: faintRank, style: faint, char: ":") }
        }
        // Lines through the means (and the moving average), broken where a column has only NaN/inf.
        func trace(_ value: (Column) -> Double, rank: Int, style: Style, char: Character) {
            var previous: (c: Int, y: Int)?
            for c in 0..<cols where columns[c].used {
                guard columns[c].finite > 0 else { previous = nil; continue }
                let y = level(value(columns[c]))
                if let p = previous {
                    var py = p.y
                    for x in (p.c + 1)...c {
                        let target = p.y + Int((Double(y - p.y) * Double(x - p.c) / Double(c - p.c)).rounded())
                        let range = target > py ? (py + 1)...target : target < py ? target...(py - 1) : target...target
                        for yy in range { grid.set(x, yy, rank: rank, style: style, char: char) }
                        py = target
                    }
                } else {
                    grid.set(c, y, rank: rank, style: style, char: char)
                }
                previous = (c, y)
            }
        }
        if smoothing {
            trace({ $0.mean }, rank: faintRank, style: faint, char: ".")
            trace({ $0.smoothed }, rank: strongRank, style: strong, char: pointChar)
        } else {
            trace({ $0.mean }, rank: strongRank, style: strong, char: pointChar)
        }

        // Marks that read without colour: at each point when sparse, else every few cells.
        let sx = grid.dotsPerCellX, sy = grid.dotsPerCellY
        if line.slot > 0, !ascii {
            let used = (0..<cols).filter { columns[$0].finite > 0 }
            let sparse = used.count * 2 <= grid.width
            var lastCell: Int?
            for c in used where sparse || lastCell.map({ c / sx - $0 >= 6 }) ?? true {
                let v = smoothing ? columns[c].smoothed : columns[c].mean
                overlays.append((c / sx, level(v) / sy, markChar, strong))
                lastCell = c / sx
            }
        }
        // NaN where the line breaks; +inf at the top, -inf at the bottom.
        let danger = Style(.danger, .bold)
        var lastLevel = rows / 2
        for c in 0..<cols where columns[c].used {
            if columns[c].finite > 0 { lastLevel = level(columns[c].mean) }
            let f = columns[c].nonFinite
            if f.contains(.nan) { overlays.append((c / sx, lastLevel / sy, ascii ? "x" : "×", danger)) }
            if f.contains(.positiveInfinity) { overlays.append((c / sx, 0, ascii ? "^" : "▲", danger)) }
            if f.contains(.negativeInfinity) { overlays.append((c / sx, grid.height - 1, ascii ? "v" : "▼", danger)) }
        }
    }

    /// The plot's points: braille dots (2x4 per cell) or one character per cell, each cell keeping the
    /// style of the most important layer that touched it (a series' line over envelopes and raw curves,
    /// the first series over the others).
    struct Grid {
        let width: Int, height: Int
        let dotsPerCellX: Int, dotsPerCellY: Int
        var dots: [UInt8]
        var rank: [Int]
        var styles: [Style]
        // Scalars, not Characters: a frame's grid is freed without a release per cell.
        var chars: [Unicode.Scalar]

        init(width: Int, height: Int, braille: Bool) {
            self.width = max(0, width)
            self.height = max(0, height)
            dotsPerCellX = braille ? 2 : 1
            dotsPerCellY = braille ? 4 : 1
            let n = self.width * self.height
            dots = [UInt8](repeating: 0, count: n)
            rank = [Int](repeating: Int.min, count: n)
            styles = [Style](repeating: Style(.chart), count: n)
            chars = [Unicode.Scalar](repeating: " ", count: n)
        }

        var columns: Int { width * dotsPerCellX }
        var rows: Int { height * dotsPerCellY }

        static let bits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

        mutating func set(_ x: Int, _ y: Int, rank r: Int, style: Style, char: Character) {
            let col = x / dotsPerCellX, row = y / dotsPerCellY
            guard x >= 0, y >= 0, col < width, row < height else { return }
            let i = row * width + col
            if dotsPerCellX == 2 { dots[i] |= Self.bits[x % 2][y % 4] } else { dots[i] = 1 }
            if r > rank[i] {
                rank[i] = r
                styles[i] = style
                chars[i] = char.unicodeScalars.first ?? " "
            }
        }

        func render(into canvas: inout Canvas, at plot: Rect, asciiOnly: Bool) {
            for row in 0..<height {
                for col in 0..<width where dots[row * width + col] != 0 {
                    let i = row * width + col
                    if dotsPerCellX == 2 {
                        // Straight to the cell: a braille pattern is one scalar, no `Character` needed.
                        canvas.setScalar(Unicode.Scalar(0x2800 + UInt32(dots[i]))!, x: plot.x + col, y: plot.y + row, style: styles[i])
                    } else {
                        canvas.setScalar(chars[i], x: plot.x + col, y: plot.y + row, style: styles[i])
                    }
                }
            }
        }
    }
}
