import SynapsePlugins

/// A scrolling list of log entries (Messages, Events, Output, Dev events): the newest at the bottom while
/// following, a fixed window when paused. Only the visible rows are looked at.
public struct LogPane: DashboardPane {
    /// Which log this pane shows.
    public var pane: PaneID
    /// The frame's state, UI and options.
    public var context: PaneContext
    /// Draw a title row (off in the compact layout).
    public var titled: Bool

    /// Creates the pane for a frame.
    public init(_ pane: PaneID, context: PaneContext, titled: Bool = true) {
        self.pane = pane
        self.context = context
        self.titled = titled
    }

    public func draw(into canvas: inout Canvas, in rect: Rect) {
        let ui = context.ui
        let scroll = ui.scroll(of: pane)
        var area = rect
        if titled {
            area = PaneFrame.draw(into: &canvas, in: rect, title: pane.title, detail: detail(scroll),
                                  focused: ui.focus == pane, glyphs: context.glyphs)
        }
        guard !area.isEmpty else { return }
        let window = LogPaneSource.window(pane, context.state, ui)
        let rows = window.visible(height: area.height, follow: scroll.follow, top: scroll.top)
        if rows.isEmpty {
            canvas.put(emptyText, x: area.x + 1, y: area.y, width: area.width - 1, style: Style(.muted))
            return
        }
        let search = ui.search.flatMap { $0.pane == pane && !$0.query.isEmpty ? $0 : nil }
        for (i, seq) in rows.enumerated() {
            let row = Rect(x: area.x, y: area.y + i, width: area.width, height: 1)
            if search?.current == seq { canvas.fill(row, style: Style(.selection)) }
            switch pane {
            case .messages: MessageRow.draw(seq, context, into: &canvas, row)
            case .dev: drawDev(seq, into: &canvas, row)
            case .events: drawCustom(seq, into: &canvas, row)
            case .output: drawOutput(seq, into: &canvas, row)
            case .progress, .metrics: break
            }
            if let search {
                if search.current == seq { canvas.restyle(row) { Style(.selection, $0.attributes) } }
                canvas.highlight(search.query, in: row, style: Style(.highlight, .bold))
            }
        }
    }

    var emptyText: String {
        switch pane {
        case .messages: return context.ui.levelFilter == nil ? "No messages yet" : "No messages at this level"
        case .dev: return "No dev events"
        case .events: return "No events"
        case .output: return "No output"
        case .progress, .metrics: return ""
        }
    }

    func detail(_ scroll: UIState.Scroll) -> String {
        let state = context.state
        var parts: [String] = []
        let total: Int
        switch pane {
        case .messages: total = state.messages.totalAppended
        case .dev: total = state.devEvents.totalAppended
        case .events: total = state.customEvents.totalAppended
        case .output: total = state.output.totalAppended
        case .progress, .metrics: total = 0
        }
        if pane == .messages, let level = context.ui.levelFilter { parts.append("\(level.rawValue)+") }
        if let search = context.ui.search, search.pane == pane, !search.isEditing { parts.append("/\(search.query)") }
        parts.append(NumberFormat.count(total))
        if !scroll.follow { parts.append("PAUSED") }
        return parts.joined(separator: " · ")
    }

    func drawDev(_ seq: Int, into canvas: inout Canvas, _ r: Rect) {
        guard let entry = context.state.devEvents[sequence: seq] else { return }
        var x = canvas.put(context.timeColumn(entry.time), x: r.x + 1, y: r.y, style: Style(.muted))
        x = canvas.put(entry.message, x: x, y: r.y, width: max(0, r.maxX - x), style: Style(.dev))
        if let data = entry.data, x + 2 < r.maxX {
            canvas.put(data.jsonText, x: x + 2, y: r.y, width: r.maxX - x - 2, style: Style(.muted))
        }
    }

    func drawCustom(_ seq: Int, into canvas: inout Canvas, _ r: Rect) {
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

    func drawOutput(_ seq: Int, into canvas: inout Canvas, _ r: Rect) {
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
