import Foundation
import SynapsePlugins

extension UIState {
    /// Handles one key: updates the UI state and returns what the app loop must do. Pure.
    ///
    /// `state` is read to scroll and search (how many entries there are); `context` says whether the run is
    /// live in this process (so `q` asks before cancelling it) and how big the screen is.
    @discardableResult
    public mutating func handle(_ key: Key, state: DashboardState, context: KeyContext) -> [DashboardCommand] {
        notice = nil
        if key == .resize { return [] }
        if let dialog { return answer(dialog, key) }
        if showHelp {
            showHelp = false
            return key == .char("q") ? handle(key, state: state, context: context) : []
        }
        if let search, search.isEditing { editSearch(key, state: state, context: context); return [] }

        let layout = DashboardLayout.make(state: state, ui: self, size: context.screen)
        switch key {
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
        case .home: scrollHome(state)
        case .end: scroll[focus] = Scroll(follow: true, top: 0)
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
        case .escape:
            if search != nil { search = nil }
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
        let height = layout.contentHeight(focus)
        var s = scroll(of: focus)
        if focus.isLog {
            let window = LogPaneSource.window(focus, state, self)
            if s.follow {
                guard n > 0 else { return }
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
        } else {
            let rows = focus == .progress
                ? ProgressPane.contentRows(state: state, width: layout.panes[focus]?.width ?? 80)
                : MetricsPane.contentRows(state: state)
            s.top = min(max(0, s.top - n), max(0, rows - height))
        }
        scroll[focus] = s
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
public enum MessageSearch {
    /// `true` when `text` contains `query`, ignoring case.
    public static func matches(_ text: String, _ query: String) -> Bool {
        !query.isEmpty && text.range(of: query, options: .caseInsensitive) != nil
    }
}

/// The log behind each log pane, as a ``LogWindow`` (with the level filter for messages).
public enum LogPaneSource {
    /// The window over a log pane's entries.
    public static func window(_ pane: PaneID, _ state: DashboardState, _ ui: UIState) -> LogWindow {
        switch pane {
        case .messages:
            let messages = state.messages
            let first = messages.firstSequence, last = messages.lastSequence
            guard let minimum = ui.levelFilter?.severity else { return LogWindow(first: first, last: last) }
            return LogWindow(first: first, last: last) { seq in
                (messages[sequence: seq]?.level.severity ?? 0) >= minimum
            }
        case .dev: return LogWindow(first: state.devEvents.firstSequence, last: state.devEvents.lastSequence)
        case .events: return LogWindow(first: state.customEvents.firstSequence, last: state.customEvents.lastSequence)
        case .output: return LogWindow(first: state.output.firstSequence, last: state.output.lastSequence)
        case .progress, .metrics: return LogWindow(first: 0, last: -1)
        }
    }

    /// The text `/` searches in one entry of a log pane (what the row shows, before truncation).
    public static func searchText(_ pane: PaneID, _ seq: Int, _ state: DashboardState) -> String? {
        switch pane {
        case .messages: return state.messages[sequence: seq]?.text
        case .dev: return state.devEvents[sequence: seq].map { $0.message + " " + ($0.data?.jsonText ?? "") }
        case .events: return state.customEvents[sequence: seq].map { "\($0.name) \($0.file ?? "") \($0.data.jsonText)" }
        case .output: return state.output[sequence: seq]?.text
        case .progress, .metrics: return nil
        }
    }
}
