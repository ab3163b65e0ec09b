import SynapsePlugins

/// Draws the jobs browser into a ``Canvas`` (pure): a header, the table of jobs (the cursor row in the
/// selection colour with `▸`, marked rows with `●`), and a status line with the keys, the filter being typed
/// or the last notice; a y/n question or the metric picker in a box on top.
package enum JobBrowserRenderer {
    /// What the frame depends on besides the model.
    package struct Options: Sendable {
        package var ascii = false
        /// Seconds east of UTC for start times.
        package var utcOffset = 0
        /// The wall clock, to say a start time of today as `07:58:12` and older ones with their date.
        package var now: Double = 0

        /// Options.
        package init(ascii: Bool = false, utcOffset: Int = 0, now: Double = 0) {
            self.ascii = ascii
            self.utcOffset = utcOffset
            self.now = now
        }
    }

    private struct Column {
        var title: String
        var width: Int
        var alignRight = false
        /// May be cut down to this (the action and the metric's name give way first).
        var minimum: Int
    }

    /// The whole screen.
    package static func render(_ browser: JobBrowser, size: Size, options: Options = Options()) -> Canvas {
        var canvas = Canvas(width: size.width, height: size.height, asciiOnly: options.ascii)
        guard size.width > 0, size.height > 0 else { return canvas }
        let glyphs = options.ascii ? Glyphs.ascii : Glyphs.unicode
        let shown = browser.visible
        drawHeader(browser, shown: shown, into: &canvas, y: 0)
        let listTop = size.height >= 4 ? 2 : 1
        let listRows = max(0, size.height - listTop - (size.height >= 3 ? 1 : 0))
        let wide = size.width >= 120
        let cells = shown.isEmpty ? [] : rowCells(browser, shown: shown, wide: wide, fullIDs: size.width >= 240, glyphs: glyphs, options: options)
        let columns = layout(cells, width: size.width - 2, wide: wide)
        if listTop == 2 {
            var x = 2
            for (i, column) in columns.enumerated() where column.width > 0 {
                canvas.put(column.title, x: x, y: 1, width: column.width, style: Style(.tableHeader, .bold),
                           alignRight: column.alignRight)
                x += column.width + (i == columns.count - 1 ? 0 : 2)
            }
        }
        if shown.isEmpty {
            let text = browser.rows.isEmpty ? "No jobs in \(browser.sourceLabel)" : "No job matches \"\(browser.filter)\" (Esc clears the filter)"
            if listRows > 0 { canvas.put(text, x: 2, y: listTop, width: size.width - 2, style: Style(.muted)) }
        }
        let first = browser.firstRow(shown: shown, rows: listRows)
        let cursor = browser.cursorIndex(in: shown)
        for (r, i) in (first..<min(shown.count, first + listRows)).enumerated() {
            let y = listTop + r
            let row = shown[i]
            let isCursor = i == cursor
            if isCursor {
                canvas.fill(Rect(x: 0, y: y, width: size.width, height: 1), style: Style(.selection))
                canvas[0, y] = Cell(glyphs.activeMarker, style: Style(.selection, .bold))
            }
            if browser.marked.contains(row.id) {
                canvas[1, y] = Cell(options.ascii ? "*" : "●", style: Style(isCursor ? .selection : .accent, .bold))
            }
            var x = 2
            for (c, column) in columns.enumerated() where column.width > 0 {
                let (text, style) = cells[i][c]
                canvas.put(text, x: x, y: y, width: column.width, style: isCursor ? Style(.selection, style.attributes) : style,
                           ellipsis: glyphs.ellipsis, alignRight: column.alignRight)
                x += column.width + 2
            }
        }
        if size.height >= 3 { drawStatus(browser, into: &canvas, y: size.height - 1) }
        if let question = browser.question { drawQuestion(question, browser: browser, into: &canvas, glyphs: glyphs) }
        if let picker = browser.picker { drawPicker(picker, into: &canvas, glyphs: glyphs) }
        return canvas
    }

    private static func drawHeader(_ browser: JobBrowser, shown: [JobRow], into canvas: inout Canvas, y: Int) {
        var x = canvas.put(" Jobs ", x: 0, y: y, style: Style(.title, .bold))
        let live = browser.rows.filter(\.isLive).count
        let noun = browser.rows.count == 1 ? "job" : "jobs"
        var parts = [shown.count == browser.rows.count ? "\(browser.rows.count) \(noun)" : "\(shown.count) of \(browser.rows.count) \(noun)"]
        if live > 0 { parts.append("\(live) running") }
        if !browser.marked.isEmpty { parts.append("\(browser.marked.count) marked") }
        if browser.skipped > 0 { parts.append("\(browser.skipped) unreadable") }
        parts.append("sort \(browser.sort.rawValue) \(browser.descending ? (canvas.asciiOnly ? "v" : "↓") : (canvas.asciiOnly ? "^" : "↑"))")
        if !browser.filter.isEmpty, !browser.editingFilter { parts.append("filter \"\(browser.filter)\"") }
        x = canvas.put(" " + parts.joined(separator: "  "), x: x, y: y, width: max(0, canvas.width - x), style: Style(.muted))
        let label = browser.sourceLabel
        let room = canvas.width - x - 2
        if room >= 8 {
            let w = min(room, canvas.displayWidth(label))
            canvas.putTail(label, x: canvas.width - w - 1, y: y, width: w, style: Style(.muted))
        }
    }

    private static func drawStatus(_ browser: JobBrowser, into canvas: inout Canvas, y: Int) {
        if browser.editingFilter {
            let x = canvas.put("/", x: 0, y: y, style: Style(.accent, .bold))
            let end = canvas.put(browser.filter, x: x, y: y, width: canvas.width - x - 1, style: Style(.normal))
            canvas.put(canvas.asciiOnly ? "_" : "▏", x: end, y: y, style: Style(.accent))
            let hint = "Enter keep  Esc clear"
            if end + 4 + hint.count <= canvas.width {
                canvas.put(hint, x: canvas.width - hint.count, y: y, style: Style(.keyHint))
            }
            return
        }
        if let notice = browser.notice {
            canvas.put(notice, x: 0, y: y, width: canvas.width, style: Style(.warning, .bold))
            return
        }
        let keys = [("q", "quit"), ("Enter", "attach"), ("/", "filter"), ("s", "sort"), ("Space", "mark"),
                    ("C", "compare"), ("c", "cancel"), ("D", "delete"), ("m", "metric")]
        var x = 0
        for (key, what) in keys {
            let w = key.count + 1 + what.count
            guard x + w <= canvas.width else { break }
            x = canvas.put(key, x: x, y: y, style: Style(.keyHint, .bold))
            x = canvas.put(" " + what + "  ", x: x, y: y, width: canvas.width - x, style: Style(.keyHint))
        }
    }

    private static func drawQuestion(_ question: JobBrowser.Question, browser: JobBrowser, into canvas: inout Canvas, glyphs: Glyphs) {
        let text: String, title: String
        switch question {
        case .cancel(let id):
            title = "Cancel"
            text = "Cancel the running job \(browser.short(of: id)) (\(browser.rows.first { $0.id == id }?.action ?? "-"))?"
        case .delete(let id):
            title = "Delete"
            text = "Delete the folder of job \(browser.short(of: id)) and its log?"
        }
        let answer = "y yes   n no"
        let width = min(canvas.width, DisplayWidth.of(text) + 4)
        guard width >= 8, canvas.height >= 6 else {
            canvas.put(text + " (y/n)", x: 0, y: canvas.height - 1, width: canvas.width, style: Style(.warning, .bold))
            return
        }
        let box = Rect(x: (canvas.width - width) / 2, y: (canvas.height - 4) / 2, width: width, height: 4)
        let inner = Overlay.box(into: &canvas, box, title: title, glyphs: glyphs)
        canvas.put(text, x: inner.x + 1, y: inner.y, width: inner.width - 1, style: Style(.warning, .bold))
        canvas.put(answer, x: inner.x + 1, y: inner.y + 1, width: inner.width - 1, style: Style(.keyHint))
    }

    private static func drawPicker(_ picker: (action: String, metrics: [String], index: Int), into canvas: inout Canvas,
                                   glyphs: Glyphs) {
        let title = "Key metric of \(picker.action)"
        let longest = max(DisplayWidth.of(title) + 2, picker.metrics.map { DisplayWidth.of($0) }.max() ?? 0)
        let width = min(canvas.width, longest + 5)
        let height = min(canvas.height, picker.metrics.count + 2)
        guard width >= 8, height >= 3 else { return }
        let box = Rect(x: (canvas.width - width) / 2, y: (canvas.height - height) / 2, width: width, height: height)
        let inner = Overlay.box(into: &canvas, box, title: title, glyphs: glyphs)
        let rows = inner.height
        let first = max(0, min(picker.index - rows + 1, picker.metrics.count - rows)) > 0
            ? max(0, min(picker.index - rows / 2, picker.metrics.count - rows)) : 0
        for r in 0..<rows where first + r < picker.metrics.count {
            let i = first + r
            let selected = i == picker.index
            if selected {
                canvas.fill(Rect(x: inner.x, y: inner.y + r, width: inner.width, height: 1), style: Style(.selection))
                canvas[inner.x, inner.y + r] = Cell(glyphs.activeMarker, style: Style(.selection, .bold))
            }
            canvas.put(picker.metrics[i], x: inner.x + 2, y: inner.y + r, width: inner.width - 2,
                       style: selected ? Style(.selection) : Style(.normal))
        }
    }

    // MARK: cells

    private static func rowCells(_ browser: JobBrowser, shown: [JobRow], wide: Bool, fullIDs: Bool, glyphs: Glyphs,
                                 options: Options) -> [[(String, Style)]] {
        shown.map { row in
            let metric = browser.keyMetric(of: row)
            let metricName = metric.map { wide ? $0.name : shortName($0.name, among: row.metrics) } ?? "-"
            return [
                (fullIDs && row.id.count <= 40 ? row.id : browser.short(of: row.id), Style(.normal)),
                (row.action ?? "-", Style(.normal, .bold)),
                (row.status, statusStyle(row.status)),
                (progress(row, wide: wide, glyphs: glyphs), Style(.normal)),
                (metricName, Style(.muted)),
                (metric?.last.map(NumberFormat.number) ?? "-", Style(.normal)),
                (metric?.best.map(NumberFormat.number) ?? "-", Style(.success)),
                (row.started.map { startText($0, wide: wide, options: options) } ?? "-", Style(.muted)),
                (row.duration.map(NumberFormat.duration) ?? "-", Style(.normal)),
                (row.params ?? "", Style(.muted)),
            ]
        }
    }

    /// `loss` for `training/loss` when no other metric of the run is called `loss`: narrow tables keep the
    /// part that tells metrics apart.
    static func shortName(_ name: String, among metrics: [JobRow.Metric]) -> String {
        guard let slash = name.lastIndex(of: "/") else { return name }
        let tail = String(name[name.index(after: slash)...])
        let clashes = metrics.contains { $0.name != name && ($0.name == tail || $0.name.hasSuffix("/" + tail)) }
        return clashes ? name : tail
    }

    static func statusStyle(_ status: String) -> Style {
        switch status {
        case "running": return Style(.accent, .bold)
        case "completed", "succeeded": return Style(.success)
        case "failed", "lost": return Style(.danger, .bold)
        case "cancelled", "stopped": return Style(.warning)
        default: return Style(.muted)
        }
    }

    static func progress(_ row: JobRow, wide: Bool, glyphs: Glyphs) -> String {
        guard let fraction = row.fraction, fraction.isFinite else { return "-" }
        let f = max(0, min(1, fraction))
        let percent = "\(Int(saturating: (f * 100).rounded(.down)))%"
        guard wide else { return percent }
        let filled = Int((f * 8).rounded(.down))
        var text = String(repeating: glyphs.barFull, count: filled) + String(repeating: glyphs.barEmpty, count: 8 - filled)
        text += " " + String(repeating: " ", count: max(0, 4 - percent.count)) + percent
        if let current = row.current, let total = row.total { text += " \(current)/\(total)" }
        return text
    }

    /// A start time of the day `now` falls on as `07:58`, an older one as its day `12-01` (80 columns are
    /// short); wide: the full date and time.
    static func startText(_ t: Double, wide: Bool, options: Options) -> String {
        guard t.isFinite, abs(t) < 1e15 else { return "-" }
        let local = Int(saturating: t.rounded(.down)) + options.utcOffset
        let day = Int((Double(local) / 86_400).rounded(.down))
        let seconds = local - day * 86_400
        let (y, m, d) = NumberFormat.civil(fromDays: day)
        let clock = "\(NumberFormat.pad2(seconds / 3600)):\(NumberFormat.pad2(seconds / 60 % 60)):\(NumberFormat.pad2(seconds % 60))"
        if wide { return "\(y)-\(NumberFormat.pad2(m))-\(NumberFormat.pad2(d)) \(clock)" }
        let today = Int(((Double(Int(saturating: options.now.rounded(.down)) + options.utcOffset)) / 86_400).rounded(.down))
        return day == today ? String(clock.prefix(5)) : "\(NumberFormat.pad2(m))-\(NumberFormat.pad2(d))"
    }

    /// Column widths from the widest cell (and title); when they do not fit, the action and the metric's name
    /// give way first, then the best, the metric and the start time are left out.
    private static func layout(_ cells: [[(String, Style)]], width: Int, wide: Bool) -> [Column] {
        var columns = [
            Column(title: "JOB", width: 3, minimum: 8),
            Column(title: "ACTION", width: 6, minimum: 5),
            Column(title: "STATUS", width: 6, minimum: 6),
            Column(title: "PROGRESS", width: wide ? 8 : 4, alignRight: !wide, minimum: 4),
            Column(title: "METRIC", width: 6, minimum: 4),
            Column(title: "LAST", width: 4, alignRight: true, minimum: 4),
            Column(title: "BEST", width: 4, alignRight: true, minimum: 4),
            Column(title: "STARTED", width: 7, minimum: 5),
            Column(title: "DURATION", width: wide ? 8 : 4, alignRight: true, minimum: 4),
            Column(title: "PARAMS", width: 0, minimum: 0),
        ]
        if !wide { columns[3].title = "PROG"; columns[8].title = "TIME" }
        let caps = [40, 24, 10, 24, 32, 10, 10, 19, 9]
        for row in cells {
            for (i, cell) in row.enumerated() where i < caps.count {
                columns[i].width = max(columns[i].width, min(caps[i], DisplayWidth.of(cell.0)))
            }
        }
        func total() -> Int { columns.filter { $0.width > 0 }.reduce(0) { $0 + $1.width + 2 } - 2 }
        // Give way: the metric's name and the action down to their minimum, in turns.
        while total() > width {
            if columns[4].width > 12 { columns[4].width -= 1; continue }
            if columns[1].width > 6 { columns[1].width -= 1; continue }
            if columns[4].width > 8 { columns[4].width -= 1; continue }
            if columns[4].width > columns[4].minimum { columns[4].width -= 1; continue }
            if columns[1].width > columns[1].minimum { columns[1].width -= 1; continue }
            if let drop = [6, 7, 4, 5, 3].first(where: { columns[$0].width > 0 }) { columns[drop].width = 0; continue }
            break
        }
        // Wide screens give what is left to the params (secrets already masked), which tell runs apart.
        if wide, cells.contains(where: { !$0[9].0.isEmpty }) {
            let room = width - total() - 2
            if room >= 12 { columns[9].width = room }
        }
        return columns
    }
}
