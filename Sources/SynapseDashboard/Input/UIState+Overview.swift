extension UIState {
    /// `o` opens the overview (maximised over the body, focused) or closes it, giving back the focus and the
    /// maximised state it found; while it is focused, Esc closes it and End goes to its last row (the other
    /// scrolling keys scroll it as any pane). Returns `false` for keys it leaves to the dashboard.
    mutating func handleOverview(_ key: Key, state: DashboardState, context: KeyContext) -> Bool {
        switch key {
        case .char("o"):
            if showOverview { closeOverview() } else { openOverview() }
            return true
        case .escape where showOverview && focus == .overview:
            closeOverview()
            return true
        case .end where showOverview && focus == .overview:
            let layout = DashboardLayout.make(state: state, ui: self, size: context.screen)
            let rows = OverviewPane.contentRows(state: state, ui: self, width: layout.panes[.overview]?.width ?? 0)
            scroll[.overview] = Scroll(follow: false, top: max(0, rows - layout.contentHeight(.overview)))
            return true
        default:
            return false
        }
    }

    private mutating func openOverview() {
        focusBeforeOverview = focus
        maximisedBeforeOverview = maximised
        showOverview = true
        focus = .overview
        maximised = true
        scroll[.overview] = Scroll(follow: false, top: 0)
    }

    private mutating func closeOverview() {
        showOverview = false
        focus = focusBeforeOverview ?? .messages
        maximised = maximisedBeforeOverview
        focusBeforeOverview = nil
    }
}
