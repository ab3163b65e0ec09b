import Foundation
import SynapsePlugins

extension UIState {
    /// Handles one key: updates the UI state and returns what the app loop must do. Pure.
    ///
    /// `state` is read to scroll and search (how many entries there are); `context` says whether the run is
    /// live in this process (so `q` asks before cancelling it) and how big the screen is.
    @discardableResult
    package mutating func handle(_ key: Key, state: DashboardState, context: KeyContext) -> [DashboardCommand] {
        notice = nil
        if key == .resize { return [] }
        if let dialog { return answer(dialog, key) }
        if detail != nil { return handleDetail(key, context: context) }
        if showHelp {
            // Scrolling keys move through the help (it may not fit a small screen); any other key closes it.
            let rows = HelpOverlay.visibleRows(context.screen)
            let maxTop = max(0, HelpOverlay.lineCount - rows)
            switch key {
            case .up, .wheelUp, .wheel(up: true, _, _): helpTop = max(0, helpTop - 1); return []
            case .down, .wheelDown, .wheel(up: false, _, _): helpTop = min(maxTop, helpTop + 1); return []
            case .pageUp: helpTop = max(0, helpTop - rows); return []
            case .pageDown: helpTop = min(maxTop, helpTop + rows); return []
            case .home: helpTop = 0; return []
            case .end: helpTop = maxTop; return []
            default: break
            }
            showHelp = false
            helpTop = 0
            return key == .char("q") ? handle(key, state: state, context: context) : []
        }
        if let search, search.isEditing { editSearch(key, state: state, context: context); return [] }
        if handleOverview(key, state: state, context: context) { return [] }

        let layout = DashboardLayout.make(state: state, ui: self, size: context.screen)
        switch key {
        case .click(let x, let y):
            if let pane = layout.pane(at: x, y) { focus = pane }
        case .wheel(let up, let x, let y):
            // The pane under the pointer scrolls, as in every other program; the focus stays.
            guard let pane = layout.pane(at: x, y) else { break }
            scroll(pane, by: up ? 3 : -3, state, layout)
        case .enter: enter(state, layout)
        case .char("+"), .char("Z"):
            maximised.toggle()
            notice = maximised ? "\(focus.title) maximised (+ or Z restores)" : nil
        case .up where focus == .metrics || focus == .chart || focus.isLog: moveCursor(by: -1, state, layout)
        case .down where focus == .metrics || focus == .chart || focus.isLog: moveCursor(by: 1, state, layout)
        case .char("q"):
            if context.isLiveInProcess, state.run.status?.isFinal != true {
                dialog = .confirmQuit
                return []
            }
            return [.quit]
        case .char("c"):
            guard context.canCancel else { notice = "This run cannot be cancelled from here"; return [] }
            guard state.run.status?.isFinal != true else { notice = "The run has already finished"; return [] }
            dialog = .confirmCancel
        case .tab: moveFocus(by: 1, layout)
        case .backTab: moveFocus(by: -1, layout)
        case .up, .wheelUp: scrollFocused(by: key == .wheelUp ? 3 : 1, state, layout)
        case .down, .wheelDown: scrollFocused(by: key == .wheelDown ? -3 : -1, state, layout)
        case .pageUp: scrollFocused(by: max(1, layout.contentHeight(focus) - 1), state, layout)
        case .pageDown: scrollFocused(by: -max(1, layout.contentHeight(focus) - 1), state, layout)
        case .home:
            scrollHome(state)
            if focus.isLog { logCursor[focus] = scroll(of: focus).top }
            if focus == .metrics { metricsCursor = 0 }
        case .end:
            scroll[focus] = Scroll(follow: true, top: 0)
            logCursor[focus] = nil
            if focus == .metrics {
                metricsCursor = max(0, state.metrics.reduce(0) { $0 + $1.entries.count } - 1)
                scroll[.metrics] = Scroll(follow: false, top: MetricsPane.maxTop(MetricsPane.flatRows(state: state), height: layout.contentHeight(.metrics) - 1))
            }
        case .char("f"):
            var s = scroll(of: focus)
            s.follow.toggle()
            if !s.follow, focus.isLog {
                s.top = LogPaneSource.window(focus, state, self).visible(
                    height: layout.contentHeight(focus), follow: true, top: 0).first ?? 0
            }
            scroll[focus] = s
            notice = s.follow ? "Following \(focus.title)" : "Paused \(focus.title)"
        case .char("/"):
            search = Search(query: "", isEditing: true, pane: focus.isLog ? focus : .messages)
            focus = search!.pane
        case .char("n"): jumpToMatch(older: true, state, layout)
        case .char("N"): jumpToMatch(older: false, state, layout)
        case .char("d"):
            // Showing the pane does not take the focus (so `/` still searches messages); hiding it gives it back.
            showDev.toggle()
            if !showDev, focus == .dev { focus = .messages }
        case .char("m"): cycleMetric(state, by: 1)
        case .char("M"): cycleMetric(state, by: -1)
        case .char(" "): markChartedMetric(state)
        case .char("x"):
            let all = ChartXAxis.allCases
            chartXAxis = all[((all.firstIndex(of: chartXAxis) ?? 0) + 1) % all.count]
            notice = "Chart x axis: " + [.counter: "the run's counter", .relativeTime: "time since start",
                                          .wallTime: "time of day"][chartXAxis, default: ""]
        case .char("L"):
            chartLogScale.toggle()
            notice = chartLogScale ? "Chart: log scale" : "Chart: linear scale"
        case .char("s"):
            chartSmoothing.toggle()
            notice = chartSmoothing ? "Chart: smoothed (EMA \(ChartData.smoothingWeight)), raw faint" : "Chart: raw values"
        case .char("z"):
            let steps = ChartData.zoomSteps
            chartZoom = steps[((steps.firstIndex(of: chartZoom) ?? 0) + 1) % steps.count]
            notice = chartZoom.map { "Chart: last \($0) samples" } ?? "Chart: the whole run"
        case .char("t"):
            let next = Theme.nextBuiltinName(after: themeName)
            themeName = next
            notice = "Theme: \(next)"
            return [.themeChanged(next)]
        case .char("l"):
            let cycle = Self.levelFilterCycle
            let i = cycle.firstIndex(of: levelFilter) ?? 0
            levelFilter = cycle[(i + 1) % cycle.count]
            notice = levelFilter.map { "Messages: \($0.rawValue) and above" } ?? "Messages: all levels"
        case .char("T"): showTimestamps.toggle()
        case .char("S"):
            showSystem.toggle()
            if state.system.sampleCount == 0 {
                // Only local runs write them; Ray's Jobs API reports no per-job CPU or memory to follow.
                notice = "System: no system records (local runs write them; not available for Ray jobs)"
            }
        case .char("?"), .char("h"): showHelp = true
        case .char("["), .char("]"), .char("{"), .char("}"):
            guard let span = context.runSpan, span.upperBound > span.lowerBound else {
                notice = "Time travel: the run has no duration yet"
                break
            }
            let share: Double = [.char("["): -0.01, .char("]"): 0.01, .char("{"): -0.1, .char("}"): 0.1][key] ?? 0
            timeCursor = TimeTravel.step(timeCursor, by: share, span: span)
            if timeCursor == nil { notice = "Back at the end of the run" }
        case .char("="):
            if timeCursor != nil { notice = "Back at the end of the run" }
            timeCursor = nil
        case .escape:
            if search != nil { search = nil } else if maximised { maximised = false }
        default: break
        }
        return []
    }

    private mutating func answer(_ dialog: Dialog, _ key: Key) -> [DashboardCommand] {
        switch key {
        case .char("y"), .char("Y"):
            self.dialog = nil
            return dialog == .confirmQuit ? [.cancelRun, .quit] : [.cancelRun]
        case .char("n"), .char("N"), .escape, .char("q"):
            self.dialog = nil
        default: break
        }
        return []
    }

    private mutating func editSearch(_ key: Key, state: DashboardState, context: KeyContext) {
        switch key {
        case .char(let c): search?.query.append(c)
        case .backspace: if search?.query.isEmpty == false { search?.query.removeLast() }
        case .escape: search = nil
        case .enter:
            search?.isEditing = false
            if search?.query.isEmpty ?? true { search = nil; return }
            search?.current = nil
            let layout = DashboardLayout.make(state: state, ui: self, size: context.screen)
            jumpToMatch(older: true, state, layout)
        default: break
        }
    }

    private mutating func moveFocus(by step: Int, _ layout: DashboardLayout) {
        let order = layout.focusOrder
        guard !order.isEmpty else { return }
        let i = order.firstIndex(of: focus) ?? 0
        focus = order[(i + step + order.count) % order.count]
    }

    /// Scrolls the focused pane `n` rows up (negative: down).
    private mutating func scrollFocused(by n: Int, _ state: DashboardState, _ layout: DashboardLayout) {
        scroll(focus, by: n, state, layout)
    }

    /// Scrolls a pane `n` rows up (negative: down). A log whose entries all fit does not move (nor pause).
    private mutating func scroll(_ pane: PaneID, by n: Int, _ state: DashboardState, _ layout: DashboardLayout) {
        let height = layout.contentHeight(pane)
        var s = scroll(of: pane)
        if pane.isLog {
            let window = LogPaneSource.window(pane, state, self)
            if s.follow {
                guard n > 0, window.count(upTo: height + 1) > height else { return }
                s.top = window.visible(height: height, follow: true, top: 0).first ?? window.first
                s.follow = false
            }
            let top = window.move(top: s.top, by: n)
            let rows = window.visible(height: height, follow: false, top: top)
            if n < 0, let lastMatch = window.lastMatch, rows.last == lastMatch, rows.count >= height || rows.first == window.firstMatch {
                s = Scroll(follow: true, top: 0)
            } else {
                s.top = rows.first ?? top
            }
        } else if pane == .metrics {
            s.top = min(max(0, s.top - n), MetricsPane.maxTop(MetricsPane.flatRows(state: state), height: height - 1))
        } else if let spec = PaneRegistry.spec(pane) {
            let rows = spec.contentRows(state, self, layout.panes[pane]?.width ?? 80)
            guard rows < 10_000 else { return }  // a pane that fills any height (the chart) does not scroll
            s.top = min(max(0, s.top - n), max(0, rows - height))
        }
        scroll[pane] = s
    }

    /// Up/Down in a pane with a cursor: Metrics moves its row cursor, the chart charts the previous/next
    /// metric, a log pane moves the entry Enter opens (pausing it; reaching the newest follows again).
    private mutating func moveCursor(by n: Int, _ state: DashboardState, _ layout: DashboardLayout) {
        if focus == .chart { cycleMetric(state, by: n); return }
        if focus == .metrics {
            let count = state.metrics.reduce(0) { $0 + $1.entries.count }
            guard count > 0 else { return }
            metricsCursor = min(max(0, metricsCursor + n), count - 1)
            let rows = MetricsPane.flatRows(state: state)
            guard let row = MetricsPane.cursorRow(rows, self) else { return }
            let height = max(1, layout.contentHeight(.metrics) - 1)
            var top = scroll(of: .metrics).top
            // The sticky title takes the first row when the top row is a metric: keep the cursor below it.
            if row <= top { top = row > 0 && rows[row - 1].entry == nil ? row - 1 : row - (row > 0 ? 1 : 0) }
            if row >= top + height { top = row - height + 2 }
            scroll[.metrics] = Scroll(follow: false, top: min(max(0, top), MetricsPane.maxTop(rows, height: height)))
            return
        }
        let window = LogPaneSource.window(focus, state, self)
        let height = layout.contentHeight(focus)
        let s = scroll(of: focus)
        let rows = window.visible(height: height, follow: s.follow, top: s.top)
        guard let current = Self.logCursor(focus, rows: rows, ui: self) else { return }
        let target = n < 0 ? window.previous(before: current) : window.next(after: current)
        guard let target else {
            if n > 0 { scroll[focus] = Scroll(follow: true, top: 0); logCursor[focus] = nil }
            return
        }
        logCursor[focus] = target
        if n > 0, target == window.lastMatch {
            scroll[focus] = Scroll(follow: true, top: 0)
            logCursor[focus] = nil
            return
        }
        var next = Scroll(follow: false, top: rows.first ?? target)
        if let first = rows.first, target < first { next.top = target }
        if let last = rows.last, target > last { next.top = window.move(top: next.top, by: -1) }
        scroll[focus] = next
    }

    /// The entry a focused log pane's cursor is on: the current search match, else the one moved to, else
    /// the newest shown while following (the oldest shown when paused); always one of `rows`.
    static func logCursor(_ pane: PaneID, rows: [Int], ui: UIState) -> Int? {
        guard let first = rows.first, let last = rows.last else { return nil }
        if let search = ui.search, search.pane == pane, let c = search.current, rows.contains(c) { return c }
        if let c = ui.logCursor[pane] { return min(max(c, first), last) }
        return ui.scroll(of: pane).follow ? last : first
    }

    /// Enter: a log pane opens the entry under its cursor whole; Metrics charts the metric under its cursor.
    private mutating func enter(_ state: DashboardState, _ layout: DashboardLayout) {
        if focus == .metrics {
            guard let id = MetricsPane.cursorMetric(state: state, ui: self) else { return }
            guard state.metric(id)?.isNumeric == true else { notice = "\(id) is not numeric: nothing to chart"; return }
            selectedMetric = id
            notice = "Chart: \(id)"
            return
        }
        guard let log = PaneRegistry.spec(focus)?.log else { return }
        let s = scroll(of: focus)
        let rows = log.window(state, self).visible(height: max(1, layout.contentHeight(focus)), follow: s.follow, top: s.top)
        guard let seq = Self.logCursor(focus, rows: rows, ui: self), let text = log.detail(state, seq) else {
            notice = "Nothing to show in \(focus.title)"
            return
        }
        if focus == .messages, let m = state.messages[sequence: seq], m.cut != nil {
            return open(LogSpec.messageDetail(m, seq: seq, logPath: logPath))
        }
        open(text)
    }

    /// Keys while the detail view is open: scrolling, `y` to copy, Esc / q / Enter to close.
    private mutating func handleDetail(_ key: Key, context: KeyContext) -> [DashboardCommand] {
        guard var view = detail else { return [] }
        let rows = DetailOverlay.visibleRows(context.screen)
        let lines = DetailOverlay.lines(view.text, width: DetailOverlay.textWidth(context.screen)).count
        let maxTop = max(0, lines - rows)
        switch key {
        case .up, .wheelUp, .wheel(up: true, _, _): view.top -= key == .up ? 1 : 3
        case .down, .wheelDown, .wheel(up: false, _, _): view.top += key == .down ? 1 : 3
        case .pageUp: view.top -= max(1, rows - 1)
        case .pageDown, .char(" "): view.top += max(1, rows - 1)
        case .home, .char("g"): view.top = 0
        case .end, .char("G"): view.top = maxTop
        case .char("y"):
            notice = "Copied \(view.text.body.count) characters (OSC 52: the terminal must allow it)"
            return [.copy(view.text.body)]
        case .escape, .char("q"), .enter, .backspace, .left:
            detail = nil
            return []
        default: return []
        }
        view.top = min(max(0, view.top), maxTop)
        detail = view
        return []
    }

    private mutating func scrollHome(_ state: DashboardState) {
        if focus.isLog {
            let window = LogPaneSource.window(focus, state, self)
            scroll[focus] = Scroll(follow: false, top: window.firstMatch ?? window.first)
        } else {
            scroll[focus] = Scroll(follow: false, top: 0)
        }
    }

    private mutating func cycleMetric(_ state: DashboardState, by step: Int) {
        let ids = state.chartableMetrics
        guard !ids.isEmpty else { notice = "No numeric metrics yet"; return }
        let shown = MetricsPane.chartMetric(state: state, ui: self)
        let current = shown.flatMap { ids.firstIndex(of: $0) } ?? 0
        let next = (current + step + ids.count) % ids.count
        selectedMetric = ids[next]
        notice = "Chart: \(ids[next])"
    }

    /// Marks the charted metric to stay on the chart (beside the next one `m` shows), or unmarks it.
    private mutating func markChartedMetric(_ state: DashboardState) {
        guard let id = MetricsPane.chartMetric(state: state, ui: self) else { notice = "No numeric metrics yet"; return }
        if let i = markedMetrics.firstIndex(of: id) {
            markedMetrics.remove(at: i)
            notice = "Unmarked \(id)"
        } else {
            markedMetrics.append(id)
            notice = "Marked \(id): it stays on the chart (m for the next metric)"
        }
    }

    /// Moves to the next match older (n) or newer (N) than the current one and scrolls it into view.
    private mutating func jumpToMatch(older: Bool, _ state: DashboardState, _ layout: DashboardLayout) {
        guard var search, !search.query.isEmpty else { notice = "Press / to search"; return }
        let pane = search.pane
        let window = LogPaneSource.window(pane, state, self)
        let query = search.query
        let hit = LogWindow(first: window.first, last: window.last) { seq in
            window.matches(seq) && MessageSearch.matches(LogPaneSource.searchText(pane, seq, state) ?? "", query)
        }
        let found: Int?
        if let current = search.current {
            found = older ? hit.previous(before: current) : hit.next(after: current)
        } else {
            found = hit.lastMatch
        }
        guard let match = found else {
            notice = search.current == nil ? "No match for \"\(query)\" in \(pane.title)" : (older ? "No older match" : "No newer match")
            self.search = search
            return
        }
        search.current = match
        self.search = search
        focus = pane
        let height = layout.contentHeight(pane)
        let top = window.move(top: match, by: height / 2)
        let rows = window.visible(height: height, follow: false, top: top)
        if rows.last == window.lastMatch, rows.count >= height || rows.first == window.firstMatch {
            scroll[pane] = Scroll(follow: true, top: 0)
        } else {
            scroll[pane] = Scroll(follow: false, top: rows.first ?? top)
        }
    }
}

/// Case-insensitive search in log text (what `/`, `n` and `N` look for).
package enum MessageSearch {
    /// `true` when `text` contains `query`, ignoring case.
    package static func matches(_ text: String, _ query: String) -> Bool {
        !query.isEmpty && text.range(of: query, options: .caseInsensitive) != nil
    }
}

/// The log behind each log pane, as a ``LogWindow`` (with the level filter for messages): forwards to the
/// pane's ``LogSpec`` in ``PaneRegistry``.
package enum LogPaneSource {
    /// The window over a log pane's entries (empty for a pane that is not a log).
    package static func window(_ pane: PaneID, _ state: DashboardState, _ ui: UIState) -> LogWindow {
        PaneRegistry.spec(pane)?.log?.window(state, ui) ?? LogWindow(first: 0, last: -1)
    }

    /// The text `/` searches in one entry of a log pane (what the row shows, before truncation).
    package static func searchText(_ pane: PaneID, _ seq: Int, _ state: DashboardState) -> String? {
        PaneRegistry.spec(pane)?.log?.searchText(state, seq)
    }
}
