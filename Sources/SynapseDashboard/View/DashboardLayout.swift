import SynapsePlugins

/// Where everything goes on a screen of a given size: a pure function of the size, the state and the UI.
///
/// - At least 40x10: header, then the registered panes (``PaneRegistry``) in their bands — Progress on top,
///   Metrics beside the Chart, the log panes at the bottom (side by side from 120 columns) — and a status
///   line. Rows go to what has content (``RowAllocator``): an empty pane keeps its title and one row, the
///   chart takes what is left. The maximise key gives the focused pane the whole body.
/// - Smaller: a compact layout without pane titles: header, the active step's bar, the system strip, the
///   newest messages and the status line, as far as rows allow.
package struct DashboardLayout: Sendable, Hashable {
    /// The run's header line.
    package var header: Rect?
    /// The key-hint line at the bottom.
    package var status: Rect?
    /// Each visible pane's rectangle (title row included unless ``isCompact``).
    package var panes: [PaneID: Rect] = [:]
    /// The system strip (one row) or, expanded with `S`, the System pane; only once `system` records arrived.
    package var system: Rect?
    /// One-column separators between side-by-side panes.
    package var separators: [Rect] = []
    /// The compact layout (no titles, fewer panes).
    package var isCompact = false

    /// The chart's rectangle, when shown.
    package var chart: Rect? { panes[.chart] }

    /// Visible panes in focus order.
    package var focusOrder: [PaneID] { PaneID.allCases.filter { panes[$0] != nil } }

    /// Rows of content a pane shows (its height minus the title row).
    package func contentHeight(_ pane: PaneID) -> Int {
        guard let r = panes[pane] else { return 0 }
        return isCompact ? r.height : max(0, r.height - 1)
    }

    /// The pane under a screen cell, if any.
    package func pane(at x: Int, _ y: Int) -> PaneID? {
        panes.first { $0.value.contains(x, y) }?.key
    }

    /// Screens smaller than this get the compact layout.
    static let compactBelow = Size(width: 40, height: 10)

    /// Lays out a screen.
    package static func make(state: DashboardState, ui: UIState, size: Size) -> DashboardLayout {
        var layout = DashboardLayout()
        let screen = Rect(x: 0, y: 0, width: size.width, height: size.height)
        guard !screen.isEmpty else { layout.isCompact = true; return layout }
        if size.width < compactBelow.width || size.height < compactBelow.height {
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
        let shown = PaneRegistry.all.filter { $0.isShown(state, ui) }
        if ui.maximised, let focused = shown.first(where: { $0.id == ui.focus }) {
            layout.panes[focused.id] = body
            return layout
        }
        let bands = makeBands(shown, width: body.width)
        let demands = bands.map { band -> RowAllocator.Demand in
            let content = band.map { max(1, $0.contentRows(state, ui, band.count > 1 ? body.width / 2 : body.width)) }
            var want = 1 + (content.max() ?? 0)
            let weight = band.map(\.weight).max() ?? 0
            if weight == 0 { want = min(want, max(3, body.height / 3)) }
            let minimum = 1 + (zip(band, content).map { min($0.minRows, $1) }.max() ?? 1)
            return RowAllocator.Demand(min: minimum, want: want, weight: weight,
                                       priority: band.map(\.priority).min() ?? 0,
                                       absorbsSpare: band.contains { $0.id == .messages })
        }
        let heights = RowAllocator.allocate(demands, rows: body.height)
        var y = body.y
        for (band, height) in zip(bands, heights) where height > 0 {
            let row = Rect(x: body.x, y: y, width: body.width, height: height)
            y += height
            placeSideBySide(band, in: row, state: state, &layout)
        }
        return layout
    }

    /// Groups the shown panes into bands: a placement's panes share one band when the screen is wide
    /// enough for them side by side (Metrics and Chart from 60 columns, log panes from 120), else each
    /// pane is its own band.
    static func makeBands(_ shown: [PaneSpec], width: Int) -> [[PaneSpec]] {
        var bands: [[PaneSpec]] = []
        for placement in [PaneSpec.Placement.top, .middle, .bottom] {
            let group = shown.filter { $0.placement == placement }
            guard !group.isEmpty else { continue }
            let sideBySide = group.count > 1 && width >= (placement == .middle ? 60 : 120)
            if sideBySide { bands.append(group) } else { bands += group.map { [$0] } }
        }
        return bands
    }

    /// Divides a band's width: the first pane takes its preferred width (else half), the others share the rest.
    static func placeSideBySide(_ band: [PaneSpec], in row: Rect, state: DashboardState, _ layout: inout DashboardLayout) {
        guard let first = band.first else { return }
        guard band.count > 1 else { layout.panes[first.id] = row; return }
        let others = band.count - 1
        let firstWidth = first.preferredWidth?(state, row.width) ?? row.width / 2
        var (pane, rest) = row.splitLeft(min(max(10, firstWidth), row.width - 11 * others))
        layout.panes[first.id] = pane
        for (i, spec) in band.dropFirst().enumerated() {
            let (separator, r) = rest.splitLeft(1)
            layout.separators.append(separator)
            let remaining = others - i
            (pane, rest) = r.splitLeft(i == others - 1 ? r.width : (r.width - (remaining - 1)) / remaining)
            layout.panes[spec.id] = pane
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
        // The system strip, once records arrived, when a row is left for the newest message below it.
        if state.system.sampleCount > 0, rest.height >= 2 {
            let (strip, r) = rest.splitTop(1)
            layout.system = strip
            rest = r
        }
        if !rest.isEmpty { layout.panes[.messages] = rest }
    }
}
