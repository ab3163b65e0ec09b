import Testing
import SynapsePlugins
@testable import SynapseDashboard

@Suite struct KeyHandlingTests {
    let screen = Size(width: 80, height: 24)

    func context(live: Bool = false, cancel: Bool = false) -> KeyContext {
        KeyContext(isLiveInProcess: live, canCancel: cancel, screen: screen)
    }

    /// A running state with `count` messages (levels cycling info, warning, danger).
    func runningState(messages count: Int = 100) -> DashboardState {
        var s = DashboardState()
        s.apply(Event(timestamp: 1, payload: .runStatus(RunStatusUpdate(status: .running, action: "a"))))
        let levels: [LogLevel] = [.info, .warning, .danger]
        for i in 0..<count {
            s.apply(Event(timestamp: 2, level: levels[i % 3], payload: .message(Message(content: "message \(i)"))))
        }
        return s
    }

    @Test func quitDirectlyWhenNotLive() {
        var ui = UIState()
        #expect(ui.handle(.char("q"), state: Fixture.training.state, context: context(live: true)) == [.quit])
        #expect(ui.handle(.char("q"), state: runningState(), context: context(live: false)) == [.quit])
    }

    @Test func quitDuringALiveRunAsksToCancel() {
        var ui = UIState()
        let state = runningState()
        #expect(ui.handle(.char("q"), state: state, context: context(live: true)) == [])
        #expect(ui.dialog == .confirmQuit)
        #expect(ui.handle(.char("x"), state: state, context: context(live: true)) == [])
        #expect(ui.dialog == .confirmQuit)
        #expect(ui.handle(.escape, state: state, context: context(live: true)) == [])
        #expect(ui.dialog == nil)
        ui.handle(.char("q"), state: state, context: context(live: true))
        #expect(ui.handle(.char("y"), state: state, context: context(live: true)) == [.cancelRun, .quit])
    }

    @Test func cancelAsksFirstAndOnlyWhenPossible() {
        var ui = UIState()
        let state = runningState()
        #expect(ui.handle(.char("c"), state: state, context: context()) == [])
        #expect(ui.dialog == nil && ui.notice != nil)
        ui.handle(.char("c"), state: state, context: context(cancel: true))
        #expect(ui.dialog == .confirmCancel)
        #expect(ui.handle(.char("n"), state: state, context: context(cancel: true)) == [])
        ui.handle(.char("c"), state: state, context: context(cancel: true))
        #expect(ui.handle(.char("y"), state: state, context: context(cancel: true)) == [.cancelRun])
        // A finished run cannot be cancelled.
        #expect(ui.handle(.char("c"), state: Fixture.training.state, context: context(cancel: true)) == [])
        #expect(ui.dialog == nil)
    }

    @Test func tabCyclesVisiblePanes() {
        var ui = UIState()
        let state = Fixture.training.state
        #expect(ui.focus == .messages)
        ui.handle(.tab, state: state, context: context())
        #expect(ui.focus == .events)
        ui.handle(.tab, state: state, context: context())
        #expect(ui.focus == .progress)
        ui.handle(.backTab, state: state, context: context())
        #expect(ui.focus == .events)
    }

    @Test func scrollingPausesAndEndFollows() {
        var ui = UIState()
        let state = runningState()
        ui.handle(.up, state: state, context: context())
        #expect(!ui.scroll(of: .messages).follow)
        let top = ui.scroll(of: .messages).top
        ui.handle(.pageUp, state: state, context: context())
        #expect(ui.scroll(of: .messages).top < top)
        ui.handle(.home, state: state, context: context())
        #expect(ui.scroll(of: .messages).top == 0)
        var canvas = DashboardRenderer.render(state, ui: ui, size: screen)
        #expect(canvas.text.contains("message 0"))
        ui.handle(.end, state: state, context: context())
        #expect(ui.scroll(of: .messages).follow)
        canvas = DashboardRenderer.render(state, ui: ui, size: screen)
        #expect(canvas.text.contains("message 99") && !canvas.text.contains("message 0\n"))
        // Scrolling down to the newest entry follows again.
        ui.handle(.up, state: state, context: context())
        ui.handle(.down, state: state, context: context())
        #expect(ui.scroll(of: .messages).follow)
        ui.handle(.wheelUp, state: state, context: context())
        #expect(!ui.scroll(of: .messages).follow)
    }

    @Test func pausedViewStaysPutWhileMessagesArrive() {
        var ui = UIState()
        var state = runningState()
        ui.handle(.pageUp, state: state, context: context())
        let before = DashboardRenderer.render(state, ui: ui, size: screen).text
        state.apply(Event(timestamp: 3, payload: .message(Message(content: "new one"))))
        let after = DashboardRenderer.render(state, ui: ui, size: screen).text
        let rows = { (text: String) in text.split(separator: "\n").filter { $0.contains("message ") } }
        #expect(rows(before) == rows(after))
    }

    @Test func followKeyToggles() {
        var ui = UIState()
        let state = runningState()
        ui.handle(.char("f"), state: state, context: context())
        #expect(!ui.scroll(of: .messages).follow)
        ui.handle(.char("f"), state: state, context: context())
        #expect(ui.scroll(of: .messages).follow)
    }

    @Test func searchTypingCommitAndNextPrevious() {
        var ui = UIState()
        let state = runningState()
        ui.handle(.char("/"), state: state, context: context())
        for c in "Message 1" { ui.handle(.char(c), state: state, context: context()) }
        ui.handle(.backspace, state: state, context: context())
        ui.handle(.char("5"), state: state, context: context())
        #expect(ui.search?.query == "Message 5" && ui.search?.isEditing == true)
        // Keys typed into the search do not act (q does not quit).
        #expect(ui.handle(.char("q"), state: state, context: context()) == [])
        ui.handle(.backspace, state: state, context: context())
        ui.handle(.enter, state: state, context: context())
        #expect(ui.search?.isEditing == false)
        #expect(ui.search?.current == 59)  // newest "message 5x"
        ui.handle(.char("n"), state: state, context: context())
        #expect(ui.search?.current == 58)
        ui.handle(.char("N"), state: state, context: context())
        #expect(ui.search?.current == 59)
        let canvas = DashboardRenderer.render(state, ui: ui, size: screen)
        #expect(canvas.text.contains("message 59"))
        // The match is highlighted.
        let y = (0..<canvas.height).first { canvas.line($0).contains("message 59") }!
        #expect((0..<canvas.width).contains { canvas[$0, y].style.role == .highlight })
        ui.handle(.escape, state: state, context: context())
        #expect(ui.search == nil)
    }

    @Test func searchWithoutMatchesSaysSo() {
        var ui = UIState()
        let state = runningState()
        ui.handle(.char("/"), state: state, context: context())
        for c in "zzz" { ui.handle(.char(c), state: state, context: context()) }
        ui.handle(.enter, state: state, context: context())
        #expect(ui.search?.current == nil)
        #expect(ui.notice?.contains("No match") == true)
        // Esc while typing cancels.
        ui.handle(.char("/"), state: state, context: context())
        ui.handle(.escape, state: state, context: context())
        #expect(ui.search == nil)
    }

    @Test func levelFilterCyclesAndFilters() {
        var ui = UIState()
        let state = runningState(messages: 9)
        ui.handle(.char("l"), state: state, context: context())
        #expect(ui.levelFilter == .info)
        ui.handle(.char("l"), state: state, context: context())
        #expect(ui.levelFilter == .warning)
        let canvas = DashboardRenderer.render(state, ui: ui, size: screen)
        #expect(!canvas.text.contains("INFO") && canvas.text.contains("WARN") && canvas.text.contains("DNGR"))
        ui.handle(.char("l"), state: state, context: context())
        ui.handle(.char("l"), state: state, context: context())
        #expect(ui.levelFilter == nil)
    }

    @Test func togglesDevTimestampsHelpAndTheme() {
        var ui = UIState()
        let state = Fixture.training.state
        ui.handle(.char("d"), state: state, context: context())
        #expect(ui.showDev && ui.focus == .messages)
        ui.focus = .dev
        ui.handle(.char("d"), state: state, context: context())
        #expect(!ui.showDev && ui.focus == .messages)
        ui.handle(.char("T"), state: state, context: context())
        #expect(ui.showTimestamps)
        #expect(ui.handle(.char("t"), state: state, context: context()) == [.themeChanged("light")])
        #expect(ui.themeName == "light")
        ui.handle(.char("?"), state: state, context: context())
        #expect(ui.showHelp)
        #expect(ui.handle(.char("x"), state: state, context: context()) == [])
        #expect(!ui.showHelp)
        ui.handle(.char("?"), state: state, context: context())
        #expect(ui.handle(.char("q"), state: state, context: context()) == [.quit])
    }

    @Test func metricKeyCyclesTheChart() {
        var ui = UIState()
        let state = Fixture.training.state
        #expect(MetricsPane.chartMetric(state: state, ui: ui)?.description == "training/loss")
        ui.handle(.char("m"), state: state, context: context())
        #expect(ui.selectedMetric?.description == "training/accuracy")
        ui.handle(.char("M"), state: state, context: context())
        ui.handle(.char("M"), state: state, context: context())
        #expect(ui.selectedMetric?.description == "training/epoch")
        let canvas = DashboardRenderer.render(state, ui: ui, size: screen)
        #expect(canvas.text.contains("Chart training/epoch"))
    }

    @Test func tableScrollingIsClamped() {
        var ui = UIState()
        let state = Fixture.training.state
        ui.focus = .metrics
        for _ in 0..<50 { ui.handle(.down, state: state, context: context()) }
        let layout = DashboardLayout.make(state: state, ui: ui, size: screen)
        #expect(ui.scroll(of: .metrics).top == MetricsPane.contentRows(state: state) - layout.contentHeight(.metrics))
        let canvas = DashboardRenderer.render(state, ui: ui, size: screen)
        #expect(canvas.text.contains("recall"))
        ui.handle(.home, state: state, context: context())
        #expect(ui.scroll(of: .metrics).top == 0)
    }
}

@Suite struct SearchInOtherPanesTests {
    @Test func searchFollowsTheFocusedLogPane() {
        var ui = UIState(showDev: true)
        let state = Fixture.training.state
        let context = KeyContext(screen: Size(width: 120, height: 40))
        ui.focus = .events
        ui.handle(.char("/"), state: state, context: context)
        for c in "img_0001" { ui.handle(.char(c), state: state, context: context) }
        ui.handle(.enter, state: state, context: context)
        #expect(ui.search?.pane == .events && ui.focus == .events)
        #expect(ui.search?.current == 4)
        let canvas = DashboardRenderer.render(state, ui: ui, size: context.screen)
        let y = (0..<canvas.height).last { canvas.line($0).contains("img_0001") }!
        let highlighted = (0..<canvas.width).filter { canvas[$0, y].style.role == .highlight }
        #expect(highlighted.count == 8, "\(canvas.text)")
        // Wide characters are highlighted whole.
        var messages = UIState()
        messages.search = UIState.Search(query: "增强", isEditing: false)
        let wide = DashboardRenderer.render(state, ui: messages, size: Size(width: 80, height: 24))
        let row = (0..<wide.height).last { wide.line($0).contains("增强") }!
        #expect((0..<wide.width).filter { wide[$0, row].style.role == .highlight }.count == 4)
    }
}
