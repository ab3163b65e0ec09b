extension UIState {
    /// `o` opens or closes the overview; while it is open, the scrolling keys scroll it and Esc closes it.
    /// Returns `false` for a key the overview leaves to the dashboard (`q`, `c`, `t`, ...).
    mutating func handleOverview(_ key: Key, state: DashboardState, context: KeyContext) -> Bool {
        if key == .char("o") {
            showOverview.toggle()
            overviewTop = 0
            return true
        }
        guard showOverview else { return false }
        let layout = DashboardLayout.make(state: state, ui: self, size: context.screen)
        guard let rect = layout.overview else { return false }
        let rows = max(1, rect.height - 1)
        let paneContext = PaneContext(state: state, ui: self, options: RenderOptions(ascii: context.ascii))
        let maxTop = max(0, OverviewPane.contentRows(paneContext, width: rect.width) - rows)
        switch key {
        case .up: overviewTop -= 1
        case .wheelUp: overviewTop -= 3
        case .down: overviewTop += 1
        case .wheelDown: overviewTop += 3
        case .pageUp: overviewTop -= max(1, rows - 1)
        case .pageDown: overviewTop += max(1, rows - 1)
        case .home: overviewTop = 0
        case .end: overviewTop = maxTop
        case .escape: showOverview = false
        default: return false
        }
        overviewTop = min(max(0, overviewTop), maxTop)
        return true
    }
}
