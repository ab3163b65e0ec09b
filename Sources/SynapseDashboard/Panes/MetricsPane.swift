import SynapsePlugins

/// A table per step (`training`, `validation`, ...) and per `log_metric` category: each metric's last, min
/// and max value and a sparkline. The metric shown in the chart is marked; NaN and infinite samples are
/// counted beside the name (and `-inf` / `inf` show as the min / max), never hidden.
package struct MetricsPane: DashboardPane {
    /// The frame's state, UI and options.
    package var context: PaneContext

    /// Creates the pane for a frame.
    package init(context: PaneContext) { self.context = context }

    /// Rows of content: the column header, then per step a title row and one row per metric.
    package static func contentRows(state: DashboardState) -> Int {
        state.metrics.isEmpty ? 1 : 1 + state.metrics.reduce(0) { $0 + 1 + $1.entries.count }
    }

    /// The width at which the table shows every column with a full sparkline; wider is wasted.
    package static func preferredWidth(state: DashboardState) -> Int {
        let columns = Columns(state: state, width: 1000)
        return columns.name + 3 * (columns.value + 1) + 2 + columns.trend + 1
    }

    /// The metric the chart shows: the one selected, else the first numeric one.
    package static func chartMetric(state: DashboardState, ui: UIState) -> MetricID? {
        if let id = ui.selectedMetric, state.isChartable(id) { return id }
        let ids = state.chartableMetrics
        // A loss is what people watch; counters like epoch make a dull straight line.
        return ids.first { $0.name.lowercased().contains("loss") }
            ?? ids.first { !["epoch", "step", "iteration", "global_step"].contains($0.name.lowercased()) }
            ?? ids.first
    }

    package func draw(into canvas: inout Canvas, in rect: Rect) {
        let state = context.state
        let count = state.metrics.reduce(0) { $0 + $1.entries.count }
        var detail = state.metricRecordCount > 0 ? "\(count) metrics, \(state.metricRecordCount) record\(state.metricRecordCount == 1 ? "" : "s")" : count > 0 ? "\(count) metrics" : ""
        let nonFinite = state.metrics.reduce(0) { $0 + $1.entries.reduce(0) { $0 + ($1.series?.nonFiniteCount ?? 0) } }
        if nonFinite > 0 { detail += ", \(nonFinite) NaN/inf" }
        // Say when rows are out of view, so people know to scroll.
        let rows = Self.flatRows(state: state)
        let visible = max(0, rect.height - 2)
        let top = min(max(0, context.ui.scroll(of: .metrics).top), Self.maxTop(rows, height: visible))
        let above = top, below = max(0, rows.count - top - visible)
        if !state.metrics.isEmpty, above + below > 0 {
            let (up, down) = context.options.ascii ? ("^", "v") : ("↑", "↓")
            detail += (above > 0 ? " \(up)\(above)" : "") + (below > 0 ? " \(down)\(below)" : "")
        }
        let focused = context.ui.focus == .metrics
        let area = PaneFrame.draw(into: &canvas, in: rect, title: PaneID.metrics.title, detail: detail,
                                  focused: focused, glyphs: context.glyphs)
        guard !area.isEmpty else { return }
        guard !state.metrics.isEmpty else {
            canvas.put("No metrics yet", x: area.x + 1, y: area.y, width: area.width - 1, style: Style(.muted))
            return
        }
        let columns = Columns(state: state, width: area.width)
        columns.drawHeader(into: &canvas, x: area.x, y: area.y)
        let body = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
        let chosen = Self.chartMetric(state: state, ui: context.ui)
        let cursor = Self.cursorRow(rows, context.ui)

        var y = body.y
        // Scrolled into a step: its title stays on top, so a row never loses its group ("epoch" of which step?).
        if top < rows.count, rows[top].entry != nil, body.height >= 2 {
            drawTitle(state.metrics[rows[top].step], into: &canvas, x: body.x, y: y, width: body.width)
            y += 1
        }
        for (i, row) in rows.enumerated().dropFirst(top) {
            if y >= body.maxY { break }
            let step = state.metrics[row.step]
            if let e = row.entry {
                let entry = step.entries[e]
                let id = MetricID(step: step.step, name: entry.name, category: step.kind == .category)
                columns.drawRow(entry, selected: chosen == id, marked: context.ui.markedMetrics.contains(id),
                                glyphs: context.glyphs, into: &canvas, x: body.x, y: y)
                if focused, i == cursor {
                    // The cursor reads without colour: reversed, with the marker in the first column.
                    canvas.restyle(Rect(x: body.x, y: y, width: body.width, height: 1)) { $0.with(.reverse) }
                    canvas[body.x, y] = Cell(context.glyphs.activeMarker, style: Style(.focus, [.bold, .reverse]))
                }
            } else {
                drawTitle(step, into: &canvas, x: body.x, y: y, width: body.width)
            }
            y += 1
        }
    }

    func drawTitle(_ step: StepMetrics, into canvas: inout Canvas, x: Int, y: Int, width: Int) {
        let title = step.kind == .category ? "\(step.step) (log_metric)" : step.step
        canvas.put(title, x: x + 1, y: y, width: width - 1, style: Style(.title, .bold))
    }

    /// One row of the table below its column header: a step's title or one of its metrics.
    struct Row: Hashable {
        /// Index into `state.metrics`.
        var step: Int
        /// Index into that step's entries; `nil` for the title row.
        var entry: Int?
    }

    /// Every row of the table, in order (a few hundred at most: one per metric).
    static func flatRows(state: DashboardState) -> [Row] {
        var rows: [Row] = []
        for (s, step) in state.metrics.enumerated() {
            rows.append(Row(step: s, entry: nil))
            for e in step.entries.indices { rows.append(Row(step: s, entry: e)) }
        }
        return rows
    }

    /// The largest useful top row for `height` body rows (one more when the sticky title takes a row).
    static func maxTop(_ rows: [Row], height: Int) -> Int {
        var t = max(0, rows.count - height)
        if t > 0, t < rows.count, rows[t].entry != nil { t += 1 }
        return min(t, max(0, rows.count - 1))
    }

    /// The flat row of the cursor (``UIState/metricsCursor`` counts metric rows only).
    static func cursorRow(_ rows: [Row], _ ui: UIState) -> Int? {
        let metricRows = rows.indices.filter { rows[$0].entry != nil }
        guard !metricRows.isEmpty else { return nil }
        return metricRows[min(max(0, ui.metricsCursor), metricRows.count - 1)]
    }

    /// The metric under the cursor.
    package static func cursorMetric(state: DashboardState, ui: UIState) -> MetricID? {
        let rows = flatRows(state: state)
        guard let i = cursorRow(rows, ui), let e = rows[i].entry else { return nil }
        let step = state.metrics[rows[i].step]
        return MetricID(step: step.step, name: step.entries[e].name, category: step.kind == .category)
    }

    /// The min and max as shown: the infinities count (a `-inf` loss is the minimum), NaN does not.
    static func extremes(_ series: MetricSeries) -> (String, String) {
        let low = series.negativeInfinityCount > 0 ? "-inf" : series.min.map(NumberFormat.number) ?? "-"
        let high = series.positiveInfinityCount > 0 ? "inf" : series.max.map(NumberFormat.number) ?? "-"
        return (low, high)
    }

    /// `NaN×2`, `inf×1`, `NaN/inf×3`: how many samples were not finite, or `nil`.
    static func nonFiniteBadge(_ series: MetricSeries, ascii: Bool) -> String? {
        let n = series.nonFiniteCount
        guard n > 0 else { return nil }
        let inf = series.positiveInfinityCount + series.negativeInfinityCount
        let kind = series.nanCount == n ? "NaN" : inf == n ? "inf" : "NaN/inf"
        return "\(kind)\(ascii ? "x" : "×")\(n)"
    }

    /// Column widths for a table width.
    struct Columns {
        var name: Int
        var value = 9
        var showMinMax: Bool
        var trend: Int
        var width: Int

        init(state: DashboardState, width: Int) {
            self.width = width
            // A NaN/inf badge stands after the name: room for both.
            let longest = state.metrics.flatMap {
                $0.entries.map { e in DisplayWidth.of(e.name) + (e.series.flatMap { MetricsPane.nonFiniteBadge($0, ascii: false) }.map { $0.count + 1 } ?? 0) }
            }.max() ?? 6
            name = min(22, max(8, longest + 3))
            // What to drop first when narrow: min and max, then the sparkline; the last value always stays.
            showMinMax = width >= name + 3 * (value + 1) + 2 + 12
            let used = name + (showMinMax ? 3 : 1) * (value + 1)
            trend = min(32, max(0, width - used - 2))
            if trend < 6 { trend = 0 }
            if !showMinMax { name = max(8, min(name, width - value - 2)) }
        }

        func drawHeader(into canvas: inout Canvas, x: Int, y: Int) {
            let style = Style(.tableHeader, .bold)
            canvas.put("metric", x: x + 1, y: y, width: name - 1, style: style)
            var cx = x + name
            let heads = showMinMax ? ["last", "min", "max"] : ["last"]
            for h in heads {
                canvas.put(h, x: cx, y: y, width: value, style: style, alignRight: true)
                cx += value + 1
            }
            if trend > 0 { canvas.put("trend", x: cx + 1, y: y, width: trend, style: style) }
        }

        func drawRow(_ entry: MetricEntry, selected: Bool, marked: Bool = false, glyphs: Glyphs, into canvas: inout Canvas,
                     x: Int, y: Int) {
            let rowStyle = selected ? Style(.selection) : Style(.normal)
            if selected {
                canvas.fill(Rect(x: x, y: y, width: width, height: 1), style: rowStyle)
                canvas.put(String(glyphs.selectedMarker), x: x, y: y, style: Style(.selection, .bold))
            } else if marked {
                canvas.put("+", x: x, y: y, style: Style(.accent, .bold))
            }
            let badge = entry.series.flatMap { MetricsPane.nonFiniteBadge($0, ascii: !glyphs.useBraille) }
            let badgeWidth = badge.map { DisplayWidth.of($0) + 1 } ?? 0
            // When narrow the name gives way to the badge: a NaN in a loss matters more than its last letters.
            canvas.put(entry.name, x: x + 2, y: y, width: max(1, name - 3 - badgeWidth), style: rowStyle)
            if let badge, name - 3 > badgeWidth + 1 {
                canvas.put(badge, x: x + name - badgeWidth, y: y, style: Style(.danger, .bold))
            }
            var cx = x + name
            let last = NumberFormat.value(entry.value)
            if let series = entry.series, let lastValue = entry.value.doubleValue {
                let lastStyle = lastValue.isFinite ? (selected ? rowStyle.with(.bold) : Style(.normal, .bold)) : Style(.danger, .bold)
                canvas.put(last, x: cx, y: y, width: value, style: lastStyle, alignRight: true)
                cx += value + 1
                if showMinMax {
                    let plain = selected ? rowStyle : Style(.muted)
                    let (low, high) = MetricsPane.extremes(series)
                    canvas.put(low, x: cx, y: y, width: value, style: series.negativeInfinityCount > 0 ? Style(.danger) : plain, alignRight: true)
                    cx += value + 1
                    canvas.put(high, x: cx, y: y, width: value, style: series.positiveInfinityCount > 0 ? Style(.danger) : plain, alignRight: true)
                    cx += value + 1
                }
                if trend > 0 {
                    Sparkline.draw(series, width: trend, glyphs: glyphs, into: &canvas, x: cx + 1, y: y,
                                   style: selected ? rowStyle : Style(.chart))
                }
            } else {
                // Text values take the rest of the row, left-aligned.
                canvas.put(last, x: cx, y: y, width: max(0, x + width - cx), style: rowStyle)
            }
        }
    }
}

extension PaneSpec {
    /// Metrics: a table per step; a cursor (Up/Down) and Enter to chart a metric.
    package static let metrics = PaneSpec(
        id: .metrics, title: "Metrics", placement: .middle, priority: 2, weight: 2, minRows: 3,
        contentRows: { state, _, _ in MetricsPane.contentRows(state: state) },
        preferredWidth: { state, width in width < 100 ? width * 56 / 100 : min(MetricsPane.preferredWidth(state: state), width / 2) },
        emptyText: { _, _ in "No metrics yet" },
        keys: [("Up / Down, Enter", "move the cursor; chart the metric under it")],
        draw: { context, canvas, rect, _ in MetricsPane(context: context).draw(into: &canvas, in: rect) })
}
