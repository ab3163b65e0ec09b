import SynapsePlugins

/// A scrolling list of log entries (Messages, Events, Output, Dev events): the newest at the bottom while
/// following, a fixed window when paused. Only the visible rows are looked at.
package struct LogPane: DashboardPane {
    /// Which log this pane shows.
    package var pane: PaneID
    /// The frame's state, UI and options.
    package var context: PaneContext
    /// Draw a title row (off in the compact layout).
    package var titled: Bool

    /// Creates the pane for a frame.
    package init(_ pane: PaneID, context: PaneContext, titled: Bool = true) {
        self.pane = pane
        self.context = context
        self.titled = titled
    }

    /// This pane's declaration.
    var spec: PaneSpec? { PaneRegistry.spec(pane) }

    package func draw(into canvas: inout Canvas, in rect: Rect) {
        guard let spec, let log = spec.log else { return }
        let ui = context.ui
        let scroll = ui.scroll(of: pane)
        var area = rect
        if titled {
            area = PaneFrame.draw(into: &canvas, in: rect, title: spec.title, detail: detail(scroll, log),
                                  focused: ui.focus == pane, glyphs: context.glyphs)
        }
        guard !area.isEmpty else { return }
        let window = log.window(context.state, ui)
        let rows = window.visible(height: area.height, follow: scroll.follow, top: scroll.top)
        if rows.isEmpty {
            canvas.put(spec.emptyText(context.state, ui), x: area.x + 1, y: area.y, width: area.width - 1, style: Style(.muted))
            return
        }
        let search = ui.search.flatMap { $0.pane == pane && !$0.query.isEmpty ? $0 : nil }
        let cursor = titled && ui.focus == pane ? UIState.logCursor(pane, rows: rows, ui: ui) : nil
        for (i, seq) in rows.enumerated() {
            let row = Rect(x: area.x, y: area.y + i, width: area.width, height: 1)
            if search?.current == seq { canvas.fill(row, style: Style(.selection)) }
            log.drawRow(context, seq, &canvas, row)
            if let search {
                if search.current == seq { canvas.restyle(row) { Style(.selection, $0.attributes) } }
                canvas.highlight(search.query, in: row, style: Style(.highlight, .bold))
            }
            if cursor == seq {
                // The entry Enter opens: a marker that reads without colour, on the row's first column.
                canvas[row.x, row.y] = Cell(context.glyphs.activeMarker, style: Style(.focus, .bold))
            }
        }
    }

    func detail(_ scroll: UIState.Scroll, _ log: LogSpec) -> String {
        let state = context.state
        var parts: [String] = []
        if pane == .messages, let level = context.ui.levelFilter { parts.append("\(level.rawValue)+") }
        if let search = context.ui.search, search.pane == pane, !search.isEditing { parts.append("/\(search.query)") }
        parts.append(NumberFormat.count(log.total(state)))
        if !scroll.follow { parts.append("PAUSED") }
        return parts.joined(separator: " · ")
    }

    static func drawDev(_ context: PaneContext, _ seq: Int, into canvas: inout Canvas, _ r: Rect) {
        guard let entry = context.state.devEvents[sequence: seq] else { return }
        var x = canvas.put(context.timeColumn(entry.time), x: r.x + 1, y: r.y, style: Style(.muted))
        x = canvas.put(entry.message, x: x, y: r.y, width: max(0, r.maxX - x), style: Style(.dev))
        if let data = entry.data, x + 2 < r.maxX {
            canvas.put(data.jsonText, x: x + 2, y: r.y, width: r.maxX - x - 2, style: Style(.muted))
        }
    }

    static func drawCustom(_ context: PaneContext, _ seq: Int, into canvas: inout Canvas, _ r: Rect) {
        guard let entry = context.state.customEvents[sequence: seq] else { return }
        var x = canvas.put(context.timeColumn(entry.time), x: r.x + 1, y: r.y, style: Style(.muted))
        x = canvas.put(entry.name, x: x, y: r.y, width: min(20, max(0, r.maxX - x)), style: Style(.accent, .bold))
        if let file = entry.file, x + 2 < r.maxX {
            // The file matters more than the data: it gets what it needs, up to two thirds of the rest (all of it
            // when the data would not fit anyway).
            let room = r.maxX - x - 2
            let fileWidth = canvas.displayWidth(file)
            let width = room - min(fileWidth, room) < 10 ? room : min(fileWidth, max(12, room * 2 / 3))
            x = canvas.putTail(file, x: x + 2, y: r.y, width: width, style: Style(.info))
        }
        if !entry.data.isNull, x + 8 < r.maxX {
            let text = entry.data.objectValue?.isEmpty == true ? "" : entry.data.jsonText
            canvas.put(text, x: x + 2, y: r.y, width: r.maxX - x - 2, style: Style(.normal))
        }
    }

    static func drawOutput(_ context: PaneContext, _ seq: Int, into canvas: inout Canvas, _ r: Rect) {
        guard let entry = context.state.output[sequence: seq] else { return }
        let x = canvas.put(context.timeColumn(entry.time), x: r.x + 1, y: r.y, style: Style(.muted))
        let style = entry.stream == .stderr ? Style(.warning) : Style(.normal)
        canvas.put(entry.text, x: x, y: r.y, width: max(0, r.maxX - x), style: style)
    }
}

/// One message row: `[time] TAG text`, coloured by level.
enum MessageRow {
    /// The role a level is drawn in.
    static func role(_ level: LogLevel) -> Role {
        switch level {
        case .debug: return .dev
        case .info: return .info
        case .success: return .success
        case .warning: return .warning
        case .danger, .error, .critical: return .danger
        }
    }

    static func draw(_ seq: Int, _ context: PaneContext, into canvas: inout Canvas, _ r: Rect) {
        guard let entry = context.state.messages[sequence: seq] else { return }
        var x = canvas.put(context.timeColumn(entry.time), x: r.x + 1, y: r.y, style: Style(.muted))
        let role = role(entry.level)
        x = canvas.put(entry.level.tag, x: x, y: r.y, style: Style(role, .bold))
        let textStyle: Style = entry.level.severity >= 2 ? Style(role) : Style(.normal)
        canvas.put(entry.text, x: x + 1, y: r.y, width: max(0, r.maxX - x - 1), style: textStyle)
    }
}

extension PaneSpec {
    /// Messages: `log_message`, coloured and tagged by level, with the level filter.
    package static let messages = PaneSpec(
        id: .messages, title: "Messages", placement: .bottom, priority: 1, weight: 2,
        contentRows: { state, ui, _ in LogSpec.messages.window(state, ui).count(upTo: 500) },
        emptyText: { _, ui in ui.levelFilter == nil ? "No messages yet" : "No messages at this level" },
        keys: [("Enter", "show the message whole, with its JSON")],
        log: .messages,
        draw: { context, canvas, rect, titled in LogPane(.messages, context: context, titled: titled).draw(into: &canvas, in: rect) })

    /// Dev events (`log_dev_event`), shown with `d`.
    package static let dev = PaneSpec(
        id: .dev, title: "Dev events", placement: .bottom, priority: 4,
        isShown: { _, ui in ui.showDev },
        contentRows: { state, ui, _ in LogSpec.dev.window(state, ui).count(upTo: 500) },
        emptyText: { _, _ in "No dev events" },
        keys: [("Enter", "show the event whole, with its JSON")],
        log: .dev,
        draw: { context, canvas, rect, titled in LogPane(.dev, context: context, titled: titled).draw(into: &canvas, in: rect) })

    /// Custom and unknown events, once there are any.
    package static let events = PaneSpec(
        id: .events, title: "Events", placement: .bottom, priority: 5,
        isShown: { state, _ in !state.customEvents.isEmpty },
        contentRows: { state, ui, _ in LogSpec.events.window(state, ui).count(upTo: 500) },
        emptyText: { _, _ in "No events" },
        keys: [("Enter", "show the event whole, with its JSON")],
        log: .events,
        draw: { context, canvas, rect, titled in LogPane(.events, context: context, titled: titled).draw(into: &canvas, in: rect) })

    /// Plain output lines of a child process or Ray job, once there are any.
    package static let output = PaneSpec(
        id: .output, title: "Output", placement: .bottom, priority: 6,
        isShown: { state, _ in !state.output.isEmpty },
        contentRows: { state, ui, _ in LogSpec.output.window(state, ui).count(upTo: 500) },
        emptyText: { _, _ in "No output" },
        keys: [("Enter", "show the line whole")],
        log: .output,
        draw: { context, canvas, rect, titled in LogPane(.output, context: context, titled: titled).draw(into: &canvas, in: rect) })
}

extension LogSpec {
    static func time(_ t: Double) -> String { NumberFormat.clock(t, utcOffset: 0) + " UTC" }

    /// The Messages log.
    package static let messages = LogSpec(
        window: { state, ui in
            let messages = state.messages
            let first = messages.firstSequence, last = messages.lastSequence
            guard let minimum = ui.levelFilter?.severity else { return LogWindow(first: first, last: last) }
            return LogWindow(first: first, last: last) { seq in (messages.packed(sequence: seq)?.level.severity ?? 0) >= minimum }
        },
        total: { $0.messages.totalAppended },
        searchText: { state, seq in state.messages[sequence: seq]?.text },
        drawRow: { context, seq, canvas, row in MessageRow.draw(seq, context, into: &canvas, row) },
        detail: { state, seq in state.messages[sequence: seq].map { messageDetail($0, seq: seq, logPath: nil) } })

    /// A message whole. A text cut in memory is read back from `logPath` (one record, on demand); when it
    /// cannot be, the view says that it shows a prefix only, and why.
    static func messageDetail(_ m: MessageEntry, seq: Int, logPath: String?) -> DetailText {
        var text = m.text
        var note: String?
        if let cut = m.cut {
            let size = "\(cut.bytes) bytes"
            let kept = "only the first \(DashboardState.maxMessageBytes >> 10) KiB of \(size) are kept in memory"
            switch cut.line == nil ? nil : logPath.map({ MessageRecordReader.read(m, path: $0) }) {
            case .whole(let whole)?:
                text = whole
                note = "[whole text, \(size), read back from \(logPath ?? ""): \(kept)]"
            case .unavailable(let why)?:
                note = "[PREFIX ONLY: \(kept) and \(why)]"
            case nil:
                // A run in this process: its events never went through a file reader, so no line is known.
                note = "[PREFIX ONLY: cut at \(DashboardState.maxMessageBytes >> 10) KiB of \(size); the whole text is in "
                    + (logPath ?? "the run's job log") + "]"
            }
        }
        // A cut text is not repeated in the JSON: once is enough to read, and the view wraps all of its body.
        var data: JSONObject = ["content": .string(m.cut.map { "(the text above, \($0.bytes) bytes)" } ?? text)]
        if let step = m.step { data["step"] = .string(step) }
        let json: JSONValue = ["event": "message", "level": .string(m.level.rawValue), "timestamp": .double(m.time), "data": .object(data)]
        let body = (note.map { $0 + "\n\n" } ?? "") + text + "\n\n" + PrettyJSON.text(json)
        let shown = m.cut == nil ? "" : text.utf8.count > m.text.utf8.count ? " · whole, read from log" : " · prefix only"
        return DetailText(title: "Message \(seq + 1) · \(m.level.rawValue) · \(time(m.time))" + shown, body: body)
    }

    /// The Dev events log.
    package static let dev = LogSpec(
        window: { state, _ in LogWindow(first: state.devEvents.firstSequence, last: state.devEvents.lastSequence) },
        total: { $0.devEvents.totalAppended },
        searchText: { state, seq in state.devEvents[sequence: seq].map { $0.message + " " + ($0.data?.jsonText ?? "") } },
        drawRow: { context, seq, canvas, row in LogPane.drawDev(context, seq, into: &canvas, row) },
        detail: { state, seq in
            guard let d = state.devEvents[sequence: seq] else { return nil }
            let json: JSONValue = ["event": "dev_event", "level": "debug", "timestamp": .double(d.time),
                                   "data": ["message": .string(d.message), "data": d.data ?? .null]]
            return DetailText(title: "Dev event \(seq + 1) · \(time(d.time))", body: d.message + "\n\n" + PrettyJSON.text(json))
        })

    /// The Events log.
    package static let events = LogSpec(
        window: { state, _ in LogWindow(first: state.customEvents.firstSequence, last: state.customEvents.lastSequence) },
        total: { $0.customEvents.totalAppended },
        searchText: { state, seq in state.customEvents[sequence: seq].map { "\($0.name) \($0.file ?? "") \($0.data.jsonText)" } },
        drawRow: { context, seq, canvas, row in LogPane.drawCustom(context, seq, into: &canvas, row) },
        detail: { state, seq in
            guard let e = state.customEvents[sequence: seq] else { return nil }
            var json: JSONObject = ["event": .string(e.name), "timestamp": .double(e.time), "data": e.data]
            if let file = e.file { json["file"] = .string(file) }
            if let step = e.step { json["step"] = .string(step) }
            return DetailText(title: "Event \(e.name) · \(time(e.time))", body: PrettyJSON.text(.object(json)))
        })

    /// The Output log.
    package static let output = LogSpec(
        window: { state, _ in LogWindow(first: state.output.firstSequence, last: state.output.lastSequence) },
        total: { $0.output.totalAppended },
        searchText: { state, seq in state.output[sequence: seq]?.text },
        drawRow: { context, seq, canvas, row in LogPane.drawOutput(context, seq, into: &canvas, row) },
        detail: { state, seq in
            guard let o = state.output[sequence: seq] else { return nil }
            return DetailText(title: "Output line \(seq + 1) · \(o.stream == .stderr ? "stderr" : "stdout") · \(time(o.time))", body: o.text)
        })
}
