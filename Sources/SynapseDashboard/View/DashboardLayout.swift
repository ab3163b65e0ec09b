import SynapsePlugins

/// Where everything goes on a screen of a given size: a pure function of the size, the state and the UI.
///
/// - At least 60x15: header, Progress, Metrics beside the Chart, then the log panes (Messages, and Events,
///   Output and Dev events when they have something or are toggled on), and a status line. From 120
///   columns the log panes sit side by side; taller screens give the chart more rows.
/// - Smaller: a compact layout without pane titles: header, the active step's bar, the newest messages
///   and the status line, as far as rows allow.
public struct DashboardLayout: Sendable, Hashable {
    /// The run's header line.
    public var header: Rect?
    /// The key-hint line at the bottom.
    public var status: Rect?
    /// Each visible pane's rectangle (title row included unless ``isCompact``).
    public var panes: [PaneID: Rect] = [:]
    /// The chart's rectangle, when shown.
    public var chart: Rect?
    /// The system strip (one row) or, expanded with `S`, the System pane; only once `system` records arrived.
    public var system: Rect?
    /// One-column separators between side-by-side panes.
    public var separators: [Rect] = []
    /// The compact layout (no titles, fewer panes).
    public var isCompact = false

    /// Visible panes in focus order.
    public var focusOrder: [PaneID] { PaneID.allCases.filter { panes[$0] != nil } }

    /// Rows of content a pane shows (its height minus the title row).
    public func contentHeight(_ pane: PaneID) -> Int {
        guard let r = panes[pane] else { return 0 }
        return isCompact ? r.height : max(0, r.height - 1)
    }

    /// Lays out a screen.
    public static func make(state: DashboardState, ui: UIState, size: Size) -> DashboardLayout {
        var layout = DashboardLayout()
        let screen = Rect(x: 0, y: 0, width: size.width, height: size.height)
        guard !screen.isEmpty else { layout.isCompact = true; return layout }
        if size.width < 60 || size.height < 15 {
            layout.isCompact = true
            layoutCompact(&layout, screen, state)
            return layout
        }
        let (header, rest) = screen.splitTop(1)
        var (body, status) = rest.splitBottom(1)
        layout.header = header
        layout.status = status
        if state.system.sampleCount > 0 {
            let rows = ui.showSystem ? min(SystemPane.expandedRows(state: state), max(2, body.height / 3)) : 1
            let (system, below) = body.splitTop(rows)
            layout.system = system
            body = below
        }

        let progressWanted = 1 + ProgressPane.contentRows(state: state, width: size.width)
        let (progress, afterProgress) = body.splitTop(min(progressWanted, max(3, body.height / 3)))
        layout.panes[.progress] = progress

        let hasChart = !state.chartableMetrics.isEmpty
        let metricsWanted = 1 + MetricsPane.contentRows(state: state)
        let chartWanted = hasChart ? (size.height >= 40 ? afterProgress.height * 2 / 5 : 7) : 0
        let maxMiddle = max(3, afterProgress.height - max(4, afterProgress.height * 2 / 5))
        let middleHeight = min(maxMiddle, max(min(metricsWanted, afterProgress.height / 2 + 2), chartWanted))
        let (middle, logs) = afterProgress.splitTop(middleHeight)
        if hasChart, middle.width >= 60, middle.height >= 5 {
            let metricsWidth = size.width < 100 ? middle.width * 56 / 100 : min(MetricsPane.preferredWidth(state: state), middle.width / 2)
            let (m, rest) = middle.splitLeft(metricsWidth)
            let (sep, chart) = rest.splitLeft(1)
            layout.panes[.metrics] = m
            layout.separators.append(sep)
            layout.chart = chart
        } else {
            layout.panes[.metrics] = middle
        }
        layoutLogs(&layout, logs, state: state, ui: ui)
        return layout
    }

    static func logPanes(state: DashboardState, ui: UIState) -> [PaneID] {
        var panes: [PaneID] = [.messages]
        if !state.customEvents.isEmpty { panes.append(.events) }
        if !state.output.isEmpty { panes.append(.output) }
        if ui.showDev { panes.append(.dev) }
        return panes
    }

    static func layoutLogs(_ layout: inout DashboardLayout, _ area: Rect, state: DashboardState, ui: UIState) {
        var panes = logPanes(state: state, ui: ui)
        guard !area.isEmpty else { return }
        let others = panes.count - 1
        if others == 0 { layout.panes[.messages] = area; return }
        let stackedFits = area.height >= 6 + 4 * others
        if area.width >= 120 || (!stackedFits && area.width >= 30 * others + 40) {
            // Side by side: messages take half (more on narrower screens) when others share the row.
            var rest = area
            let messagesWidth = area.width >= 120 ? area.width / 2 : area.width - 30 * others - others
            var (m, r) = rest.splitLeft(messagesWidth)
            layout.panes[.messages] = m
            rest = r
            for (i, pane) in panes.dropFirst().enumerated() {
                let (sep, r2) = rest.splitLeft(1)
                layout.separators.append(sep)
                let remaining = others - i
                let w = i == others - 1 ? r2.width : (r2.width - (remaining - 1)) / remaining
                (m, r) = r2.splitLeft(w)
                layout.panes[pane] = m
                rest = r
            }
            return
        }
        // Stacked: messages keep at least half; drop the lowest-priority panes that do not fit (3 rows each).
        while panes.count > 1, (area.height - area.height / 2) / (panes.count - 1) < 3 {
            if let i = panes.lastIndex(where: { $0 == .output || $0 == .events }), panes.count > 2 || !ui.showDev {
                panes.remove(at: i)
            } else {
                panes.removeLast()
            }
        }
        if panes.count == 1 { layout.panes[.messages] = area; return }
        let othersHeight = area.height / 2
        let (m, rest) = area.splitTop(area.height - othersHeight)
        layout.panes[.messages] = m
        let stacked = Array(panes.dropFirst())
        var r = rest
        for (i, pane) in stacked.enumerated() {
            let h = i == stacked.count - 1 ? r.height : r.height / (stacked.count - i)
            let (p, r2) = r.splitTop(h)
            layout.panes[pane] = p
            r = r2
        }
    }

    static func layoutCompact(_ layout: inout DashboardLayout, _ screen: Rect, _ state: DashboardState) {
        var rest = screen
        if rest.height >= 1 {
            let (h, r) = rest.splitTop(1)
            layout.header = h
            rest = r
        }
        if rest.height >= 3 {
            let (r, s) = rest.splitBottom(1)
            layout.status = s
            rest = r
        }
        let progressRows = min(state.steps.count > 1 || !state.actions.isEmpty || state.run.error != nil ? 2 : 1, max(0, rest.height - 1))
        if progressRows > 0 || rest.height == 1 {
            let (p, r) = rest.splitTop(max(progressRows, rest.height == 1 ? 1 : 0))
            layout.panes[.progress] = p
            rest = r
        }
        if !rest.isEmpty { layout.panes[.messages] = rest }
    }
}
