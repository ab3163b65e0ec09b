import SynapsePlugins

/// What the comparison view's keys change: the charted metric (the table's cursor), the table's first
/// row, the first run column shown when not all fit, and the chart's x axis.
package struct CompareUI: Sendable, Hashable {
    /// The charted metric: an index into the summary's metrics (the table's cursor).
    package var selected = 0
    /// The table's first metric row shown.
    package var scroll = 0
    /// The first run whose columns the table shows (←/→ when the runs do not all fit).
    package var firstRun = 0
    /// The chart's x axis: the runs' shared counter, or time since each run's start.
    package var xAxis: ChartXAxis = .counter

    /// A view with the first metric charted.
    package init() {}

    /// Selects the metric named like `name` (`training/loss`, or `loss`: the first such); returns whether
    /// one was found.
    package mutating func select(metric name: String, in summary: RunComparison.Summary) -> Bool {
        let ids = summary.metrics.map(\.id)
        guard let i = ids.firstIndex(where: { $0.description == name }) ?? ids.firstIndex(where: { $0.name == name }) else {
            return false
        }
        selected = i
        return true
    }

    /// Handles a key; returns `true` when it asks to leave the view (`q`, Esc).
    package mutating func handle(_ key: Key, metrics: Int, runs: Int) -> Bool {
        switch key {
        case .char("q"), .escape: return true
        case .up, .char("k"), .wheelUp: selected -= 1
        case .down, .char("j"), .wheelDown: selected += 1
        case .pageUp: selected -= 10
        case .pageDown: selected += 10
        case .home, .char("g"): selected = 0
        case .end, .char("G"): selected = metrics - 1
        case .left, .char("h"): firstRun -= 1
        case .right, .char("l"): firstRun += 1
        case .char("x"): xAxis = xAxis == .counter ? .relativeTime : .counter
        default: break
        }
        selected = Swift.max(0, Swift.min(selected, metrics - 1))
        firstRun = Swift.max(0, Swift.min(firstRun, runs - 1))
        return false
    }
}

/// The comparison view, drawn into a ``Canvas`` (pure): a header; the runs with their status, duration,
/// short id and the params that tell them apart; a chart of the selected metric with a line per run on a
/// shared x axis; and a table of every metric's last and best value per run, the best run's marked.
/// Runs are named by their labels everywhere, and drawn in their slot's colour role with their slot's
/// mark, so they read without colour too.
package enum CompareView {
    /// The screen for `comparison` at `size`. `options.interactive` adds the key hints and the cursor;
    /// `options.now` is the clock for running runs (`nil`: their latest event).
    package static func render(_ comparison: RunComparison, ui: CompareUI, size: Size, options: RenderOptions) -> Canvas {
        render(comparison, summary: comparison.summary(now: options.now), ui: ui, size: size, options: options)
    }

    /// ``render(_:ui:size:options:)`` with the summary already derived.
    package static func render(_ comparison: RunComparison, summary: RunComparison.Summary, ui: CompareUI, size: Size,
                              options: RenderOptions) -> Canvas {
        var canvas = Canvas(width: Swift.max(0, size.width), height: Swift.max(0, size.height), asciiOnly: options.ascii)
        guard canvas.width > 0, canvas.height > 0 else { return canvas }
        let layout = Layout(size: Size(width: canvas.width, height: canvas.height), runs: summary.runs.count,
                            metrics: summary.metrics.count, interactive: options.interactive)
        var ui = ui
        ui.selected = Swift.max(0, Swift.min(ui.selected, summary.metrics.count - 1))
        let drawer = Drawer(comparison: comparison, summary: summary, ui: ui, options: options)
        drawer.header(into: &canvas, layout.header)
        drawer.runs(into: &canvas, layout.runs)
        drawer.chart(into: &canvas, layout.chart)
        drawer.table(into: &canvas, layout.table)
        if let hints = layout.hints { drawer.hints(into: &canvas, hints) }
        return canvas
    }

    /// Where each part goes.
    struct Layout {
        var header: Rect
        var runs: Rect
        var chart: Rect
        var table: Rect
        var hints: Rect?

        init(size: Size, runs n: Int, metrics m: Int, interactive: Bool) {
            var rest = Rect(x: 0, y: 0, width: size.width, height: size.height)
            (header, rest) = rest.splitTop(1)
            if interactive, rest.height > 1 {
                hints = Rect(x: 0, y: rest.maxY - 1, width: size.width, height: 1)
                rest.height -= 1
            }
            // The runs: title, column names, a row each (never more than a third of the screen).
            let runRows = Swift.min(2 + n, Swift.max(2, rest.height / 3))
            (runs, rest) = rest.splitTop(runRows)
            let tableWanted = 3 + Swift.max(1, m)
            if size.width >= 150 {
                // Wide: the chart and the table side by side, the chart the wider.
                let chartWidth = size.width * 11 / 20
                chart = Rect(x: 0, y: rest.y, width: chartWidth, height: rest.height)
                table = Rect(x: chartWidth + 1, y: rest.y, width: size.width - chartWidth - 1, height: rest.height)
            } else {
                // Stacked: the table takes what it needs up to half, the chart at least 8 rows when there are.
                let tableRows = Swift.max(Swift.min(4, rest.height), Swift.min(tableWanted, rest.height - Swift.min(8, rest.height / 2)))
                let (top, bottom) = rest.splitTop(rest.height - tableRows)
                chart = top
                table = bottom
            }
        }
    }

    /// One frame's drawing, with what every part needs.
    struct Drawer {
        var comparison: RunComparison
        var summary: RunComparison.Summary
        var ui: CompareUI
        var options: RenderOptions
        var glyphs: Glyphs { options.glyphs }
        var ascii: Bool { options.ascii }

        func role(_ run: Int) -> Role { ChartDrawing.role(run) }
        func mark(_ run: Int) -> Character { ChartDrawing.mark(run, ascii: ascii) }

        func header(into canvas: inout Canvas, _ rect: Rect) {
            guard !rect.isEmpty else { return }
            var x = canvas.put(" compare ", x: rect.x, y: rect.y, style: Style(.title, [.bold, .reverse]))
            let n = summary.runs.count
            x = canvas.put(" \(n) run\(n == 1 ? "" : "s")", x: x, y: rect.y, width: Swift.max(0, rect.maxX - x), style: Style(.title, .bold))
            // How many are in each state, in the order a reader cares: what still runs, then what went wrong.
            var counts: [(RunSummary.Outcome, Int)] = []
            for outcome in [RunSummary.Outcome.running, .lost, .failed, .cancelled, .completed, .pending, .waiting] {
                let k = summary.runs.filter { $0.outcome == outcome }.count
                if k > 0 { counts.append((outcome, k)) }
            }
            for (outcome, k) in counts where x < rect.maxX - 2 {
                let sample = summary.runs.first { $0.outcome == outcome }!
                x = canvas.put("  \(k) \(outcome.rawValue)", x: x, y: rect.y, width: rect.maxX - x, style: Style(sample.role, .bold))
            }
            if comparison.isLive, options.interactive {
                let live = " LIVE "
                let w = DisplayWidth.of(live)
                if rect.maxX - w > x + 1 { canvas.put(live, x: rect.maxX - w, y: rect.y, style: Style(.info, [.bold, .reverse])) }
            }
        }

        /// Each run's label, status, duration, short id and (when its label is not them) its differing params.
        func runs(into canvas: inout Canvas, _ rect: Rect) {
            let differing = summary.differingParams.isEmpty ? "no params differ"
                : "params that differ: " + summary.differingParams.joined(separator: ", ")
            let area = PaneFrame.draw(into: &canvas, in: rect, title: "Runs", detail: differing, focused: false, glyphs: glyphs)
            guard area.height >= 1, area.width >= 10 else { return }
            let labelWidth = Swift.min(Swift.max(8, summary.labels.map { DisplayWidth.of($0) }.max() ?? 0), Swift.max(8, area.width / 3))
            let idWidth = Swift.max(8, summary.shortIDs.map { DisplayWidth.of($0) }.max() ?? 8)
            // The params column only when some label is a short id but the run has differing params.
            let paramTexts = summary.paramValues.map { values in
                zip(summary.differingParams, values).compactMap { name, v in v.map { "\(name)=\($0)" } }.joined(separator: " ")
            }
            let showParams = summary.labels.indices.contains { summary.labels[$0] != paramTexts[$0] && !paramTexts[$0].isEmpty }
            let columns: [(String, Int)] = [("run", labelWidth + 2), ("status", 12), ("duration", 9), ("job", idWidth + 1)]
                + (showParams ? [("params", 0)] : [])
            var x = area.x + 1
            for (name, width) in columns {
                let w = width == 0 ? area.maxX - x : Swift.min(width, area.maxX - x)
                guard w > 0 else { break }
                canvas.put(name, x: x, y: area.y, width: w, style: Style(.tableHeader))
                x += width + 1
            }
            let rows = Swift.max(0, area.height - 1)
            for (i, run) in summary.runs.enumerated() {
                let y = area.y + 1 + i
                guard i < rows else {
                    // Rows ran out: say how many are not shown rather than drop them silently.
                    canvas.put(" +\(summary.runs.count - i) more", x: area.maxX - 10, y: area.maxY - 1, width: 10, style: Style(.muted))
                    break
                }
                var x = area.x + 1
                canvas[x, y] = Cell(mark(i), style: Style(role(i), .bold))
                canvas.putTail(summary.labels[i], x: x + 2, y: y, width: Swift.min(labelWidth, area.maxX - x - 2), style: Style(role(i), .bold))
                x += labelWidth + 3
                var status = run.statusWord
                if run.outcome == .running, let p = run.progress { status += " " + NumberFormat.percent(p) }
                canvas.put(status, x: x, y: y, width: Swift.min(12, area.maxX - x), style: Style(run.role))
                x += 13
                canvas.put(run.duration.map(NumberFormat.duration) ?? "-", x: x, y: y, width: Swift.min(9, area.maxX - x), style: Style(.normal))
                x += 10
                canvas.put(summary.shortIDs[i], x: x, y: y, width: Swift.min(idWidth, area.maxX - x), style: Style(.muted))
                x += idWidth + 2
                if showParams, x < area.maxX {
                    canvas.put(paramTexts[i], x: x, y: y, width: area.maxX - x, style: Style(.normal))
                }
            }
        }

        /// The selected metric's chart: a line per run that logged it.
        func chart(into canvas: inout Canvas, _ rect: Rect) {
            guard !rect.isEmpty else { return }
            let row = summary.metrics.indices.contains(ui.selected) ? summary.metrics[ui.selected] : nil
            var inputs: [ChartData.Input] = []
            if let row {
                for (i, run) in comparison.runs.enumerated() {
                    // A system figure has no counter: its lines fall back to the runs' relative time.
                    guard let chart = run.state.chartSeries(row.id), chart.series.sampleCount > 0 else { continue }
                    let start = run.state.run.startedAt ?? run.state.firstTimestamp ?? 0
                    inputs.append(ChartData.Input(id: row.id, label: summary.labels[i], series: chart.series,
                                                  counterName: chart.counter, start: start, slot: i))
                }
            }
            let data = ChartData.make(inputs: inputs, xAxis: ui.xAxis, zoom: nil, smoothing: false, logScale: false,
                                      utcOffset: options.utcOffset)
            var detail = ""
            if let data {
                let missing = summary.runs.count - data.lines.count
                detail = "x: \(data.axisName)" + (missing > 0 ? (ascii ? ", " : " · ") + "\(missing) run\(missing == 1 ? "" : "s") without it" : "")
            }
            let area = PaneFrame.draw(into: &canvas, in: rect, title: row.map { "Chart \($0.id)" } ?? "Chart", detail: detail,
                                      focused: false, glyphs: glyphs)
            guard let data, area.height >= 2, area.width >= 12 else {
                if !area.isEmpty {
                    canvas.put(row == nil ? "No numeric metrics yet" : "No samples yet", x: area.x + 1, y: area.y,
                               width: area.width - 1, style: Style(.muted))
                }
                return
            }
            ChartDrawing(glyphs: glyphs, smoothing: false, alwaysLegend: true).drawBody(data, in: area, into: &canvas)
        }

        /// Width of one value column.
        static let valueWidth = 9

        /// Every metric's last and best per run; the cursor row is the charted metric.
        func table(into canvas: inout Canvas, _ rect: Rect) {
            let rows = summary.metrics
            let n = summary.runs.count
            let group = 2 * Self.valueWidth + 3
            let nameWidth = Swift.max(10, Swift.min(28, rect.width - 2 - n * group, (rows.map { DisplayWidth.of($0.id.description) }.max() ?? 6) + 2))
            let fit = Swift.max(1, (rect.width - 2 - nameWidth) / group)
            let first = Swift.min(ui.firstRun, Swift.max(0, n - fit))
            let shown = first..<Swift.min(n, first + fit)
            var detail = "\(rows.count) metric\(rows.count == 1 ? "" : "s")"
            if rows.contains(where: { !$0.bestRuns.isEmpty }) { detail += (ascii ? ", " : " · ") + "* best" }
            if shown.count < n { detail += (ascii ? ", " : " · ") + "runs \(shown.lowerBound + 1)-\(shown.upperBound) of \(n)" }
            let area = PaneFrame.draw(into: &canvas, in: rect, title: "Metrics", detail: detail, focused: false, glyphs: glyphs)
            guard area.height >= 1, area.width >= 10 else { return }
            if rows.isEmpty {
                canvas.put("No numeric metrics yet", x: area.x + 1, y: area.y, width: area.width - 1, style: Style(.muted))
                return
            }
            // Two header rows: each run's mark and label over its pair of columns, then last / best.
            let x0 = area.x + 1 + nameWidth
            canvas.put(shown.lowerBound > 0 ? (ascii ? "< metric" : "← metric") : "metric", x: area.x + 1, y: area.y,
                       width: nameWidth, style: Style(.tableHeader))
            for (k, r) in shown.enumerated() {
                let x = x0 + k * group + 1
                canvas[x, area.y] = Cell(mark(r), style: Style(role(r), .bold))
                // Cut from the start: `…rate=0.001` keeps the value that tells the runs apart.
                canvas.putTail(summary.labels[r], x: x + 2, y: area.y, width: group - 3, style: Style(role(r), .bold))
                if area.height >= 2 {
                    canvas.put("last", x: x, y: area.y + 1, width: Self.valueWidth, style: Style(.tableHeader), alignRight: true)
                    canvas.put("best", x: x + Self.valueWidth + 1, y: area.y + 1, width: Self.valueWidth, style: Style(.tableHeader), alignRight: true)
                }
            }
            if shown.upperBound < n {
                canvas.put(ascii ? ">" : "→", x: area.maxX - 1, y: area.y, width: 1, style: Style(.muted))
            }
            let top = area.y + Swift.min(2, area.height)
            let visible = area.maxY - top
            guard visible > 0 else { return }
            // Keep the cursor in view: the table scrolls to it.
            var scroll = Swift.max(0, Swift.min(ui.scroll, rows.count - visible))
            if ui.selected < scroll { scroll = ui.selected }
            if ui.selected >= scroll + visible { scroll = ui.selected - visible + 1 }
            for (line, index) in (scroll..<Swift.min(rows.count, scroll + visible)).enumerated() {
                let y = top + line
                let row = rows[index]
                let isCursor = index == ui.selected && options.interactive
                if isCursor {
                    canvas.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: Style(.selection))
                    canvas[area.x, y] = Cell(glyphs.activeMarker, style: Style(.selection, .bold))
                }
                let base: Style = isCursor ? Style(.selection) : Style(.normal)
                let name = row.id.category ? "\(row.id.step)[metric]/\(row.id.name)" : row.id.description
                canvas.put(name, x: area.x + 1, y: y, width: nameWidth - 1, style: isCursor ? Style(.selection, .bold) : base)
                for (k, r) in shown.enumerated() {
                    let x = x0 + k * group + 1
                    guard let m = row.values[r] else {
                        canvas.put("-", x: x, y: y, width: Self.valueWidth, style: isCursor ? base : Style(.muted), alignRight: true)
                        continue
                    }
                    let last = m.last.map(NumberFormat.number) ?? "-"
                    let lastStyle: Style = m.last.map { $0.isFinite } == false ? Style(.danger, .bold) : base
                    canvas.put(last, x: x, y: y, width: Self.valueWidth, style: lastStyle, alignRight: true)
                    guard let best = m.best else {
                        canvas.put("-", x: x + Self.valueWidth + 1, y: y, width: Self.valueWidth, style: isCursor ? base : Style(.muted),
                                   alignRight: true)
                        continue
                    }
                    if row.bestRuns.contains(r) {
                        // The best of the runs: highlighted, and starred for a screen without colour.
                        canvas.put(NumberFormat.number(best) + "*", x: x + Self.valueWidth + 1, y: y, width: Self.valueWidth + 1,
                                   style: Style(.highlight, .bold), alignRight: true)
                    } else {
                        canvas.put(NumberFormat.number(best), x: x + Self.valueWidth + 1, y: y, width: Self.valueWidth, style: base,
                                   alignRight: true)
                    }
                }
            }
        }

        func hints(into canvas: inout Canvas, _ rect: Rect) {
            canvas.fill(rect, style: Style(.muted))
            var h: [(String, String)] = [("q", "quit"), (ascii ? "Up/Down" : "↑/↓", "metric")]
            if summary.runs.count > 1 { h.append((ascii ? "Left/Right" : "←/→", "runs")) }
            h.append(("x", ui.xAxis == .counter ? "time axis" : "counter axis"))
            var x = rect.x
            for (key, action) in h {
                let w = DisplayWidth.of(key) + 1 + DisplayWidth.of(action)
                if x + w > rect.maxX { break }
                x = canvas.put(key, x: x, y: rect.y, style: Style(.keyHint, .bold))
                x = canvas.put(" " + action, x: x, y: rect.y, style: Style(.muted)) + 2
            }
        }
    }
}
