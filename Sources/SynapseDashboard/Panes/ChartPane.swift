import SynapsePlugins

/// A line chart of the selected metric's history with a y axis (max, middle, min) and an x axis
/// (samples). Braille dots give 2x4 points per cell; ASCII mode plots one point per cell.
public struct ChartPane: DashboardPane {
    /// The frame's state, UI and options.
    public var context: PaneContext

    /// Creates the pane for a frame.
    public init(context: PaneContext) { self.context = context }

    public func draw(into canvas: inout Canvas, in rect: Rect) {
        let state = context.state
        let id = MetricsPane.chartMetric(state: state, ui: context.ui)
        let entry = id.flatMap { state.metric($0) }
        let title = id.map { "Chart \($0)" } ?? "Chart"
        let detail = entry?.series.map { "last \(NumberFormat.number($0.last ?? .nan))" } ?? ""
        let area = PaneFrame.draw(into: &canvas, in: rect, title: title, detail: detail, focused: false,
                                  glyphs: context.glyphs)
        guard area.height >= 2, area.width >= 8 else { return }
        guard let series = entry?.series, let lo = series.min, let hi = series.max else {
            canvas.put("No numeric metrics yet", x: area.x + 1, y: area.y, width: area.width - 1, style: Style(.muted))
            return
        }
        let (low, high) = Self.range(lo, hi)
        let labels = [NumberFormat.number(high), NumberFormat.number((low + high) / 2), NumberFormat.number(low)]
        let labelWidth = min(10, labels.map { DisplayWidth.of($0) }.max() ?? 1)
        let plotHeight = area.height - 1
        let plot = Rect(x: area.x + labelWidth + 1, y: area.y, width: area.width - labelWidth - 1, height: plotHeight)
        let glyphs = context.glyphs

        // Axes and labels.
        for y in plot.y..<plot.maxY {
            canvas[plot.x - 1, y] = Cell(glyphs.vertical, style: Style(.border))
        }
        let labelRows = plotHeight >= 3 ? [plot.y, plot.y + (plotHeight - 1) / 2, plot.maxY - 1] : [plot.y, plot.maxY - 1]
        let labelTexts = plotHeight >= 3 ? labels : [labels[0], labels[2]]
        for (row, text) in zip(labelRows, labelTexts) {
            canvas.put(text, x: area.x, y: row, width: labelWidth, style: Style(.muted), alignRight: true)
            canvas[plot.x - 1, row] = Cell(glyphs.axisTick, style: Style(.border))
        }
        let axisY = plot.maxY
        canvas[plot.x - 1, axisY] = Cell(glyphs.axisCorner, style: Style(.border))
        canvas.repeatCharacter(glyphs.horizontal, count: plot.width, x: plot.x, y: axisY, style: Style(.border))
        let countText = " \(NumberFormat.integer(series.count)) samples "
        if plot.width > DisplayWidth.of(countText) + 4 {
            canvas.put(countText, x: plot.maxX - DisplayWidth.of(countText), y: axisY, style: Style(.muted))
            canvas.put(" 1 ", x: plot.x, y: axisY, style: Style(.muted))
        }

        if glyphs.useBraille {
            drawBraille(series, low: low, high: high, into: &canvas, plot)
        } else {
            drawPoints(series, low: low, high: high, into: &canvas, plot, glyphs: glyphs)
        }
    }

    /// The plotted range: the data's, widened when flat so the line sits in the middle.
    static func range(_ lo: Double, _ hi: Double) -> (Double, Double) {
        if hi > lo { return (lo, hi) }
        let pad = lo == 0 ? 1 : abs(lo) * 0.1
        return (lo - pad, hi + pad)
    }

    func drawBraille(_ series: MetricSeries, low: Double, high: Double, into canvas: inout Canvas, _ plot: Rect) {
        let xs = plot.width * 2, ys = plot.height * 4
        guard xs > 0, ys > 0 else { return }
        var dots = [UInt8](repeating: 0, count: plot.width * plot.height)
        Self.plot(series, columns: xs, levels: ys, low: low, high: high) { x, y in setDot(&dots, x, y, plot.width) }
        for row in 0..<plot.height {
            for col in 0..<plot.width where dots[row * plot.width + col] != 0 {
                // Straight to the cell: a braille pattern is one scalar, no `Character` needed.
                let dot = Unicode.Scalar(0x2800 + UInt32(dots[row * plot.width + col]))!
                canvas.setScalar(dot, x: plot.x + col, y: plot.y + row, style: Style(.chart))
            }
        }
    }

    /// Plots a series on a `columns` x `levels` grid (level 0 at the top) as a connected line: each column
    /// covers its samples' range and joins the previous column's last value. Short histories are stretched
    /// over the width by linear interpolation.
    static func plot(_ series: MetricSeries, columns: Int, levels: Int, low: Double, high: Double,
                     set: (Int, Int) -> Void) {
        func level(_ v: Double) -> Int {
            let f = (v - low) / (high - low)
            return min(levels - 1, max(0, Int((Double(levels - 1) * (1 - f)).rounded())))
        }
        var spans: [(top: Int, bottom: Int, last: Int)] = []
        let points = series.resampled(to: columns)
        if points.count >= columns || points.count < 2 {
            spans = points.map { (level($0.max), level($0.min), level($0.last)) }
        } else {
            spans.reserveCapacity(columns)
            let n = points.count
            for x in 0..<columns {
                let u = Double(x) * Double(n - 1) / Double(columns - 1)
                let i = min(n - 2, Int(u))
                let f = u - Double(i)
                let v = points[i].last + (points[i + 1].last - points[i].last) * f
                let l = level(v)
                spans.append((l, l, l))
            }
        }
        var previous: Int?
        for (x, span) in spans.enumerated() {
            var top = span.top, bottom = span.bottom
            if let p = previous {
                if p < top { top = p + 1 }
                if p > bottom { bottom = p - 1 }
            }
            for y in min(top, bottom)...max(top, bottom) { set(x, y) }
            previous = span.last
        }
    }

    func setDot(_ dots: inout [UInt8], _ x: Int, _ y: Int, _ width: Int) {
        let col = x / 2, row = y / 4
        guard col >= 0, col < width, row >= 0, row * width + col < dots.count else { return }
        let bits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
        dots[row * width + col] |= bits[x % 2][y % 4]
    }

    func drawPoints(_ series: MetricSeries, low: Double, high: Double, into canvas: inout Canvas, _ plot: Rect,
                    glyphs: Glyphs) {
        Self.plot(series, columns: plot.width, levels: plot.height, low: low, high: high) { x, y in
            canvas[plot.x + x, plot.y + y] = Cell(glyphs.chartPoint, style: Style(.chart))
        }
    }
}
