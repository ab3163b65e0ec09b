import Testing
import SynapsePlugins
@testable import SynapseDashboard

/// Enter shows an entry whole, the mouse acts on the pane under the pointer, Metrics has a visible cursor.
@Suite struct DetailAndPointerTests {
    let screen = Size(width: 80, height: 24)
    var context: KeyContext { KeyContext(screen: screen) }

    func state(longMessage: String) -> DashboardState {
        var s = Fixture.training.state
        s.apply(Event(timestamp: 100, level: .warning, payload: .message(Message(content: longMessage))))
        return s
    }

    @Test func enterOpensTheNewestMessageWholeWrappedAndScrollable() throws {
        let words = (0..<1_500).map { "word\($0)" }.joined(separator: " ")
        let long = words + " THE-END"
        let state = state(longMessage: long)
        var ui = UIState()
        #expect(ui.focus == .messages)
        ui.handle(.enter, state: state, context: context)
        let view = try #require(ui.detail)
        #expect(view.text.body.hasPrefix(long))
        #expect(view.text.body.contains("\"level\": \"warning\""))
        var canvas = DashboardRenderer.render(state, ui: ui, size: screen)
        #expect(canvas.text.contains("word0 word1"))
        #expect(!canvas.text.contains("THE-END"))
        #expect(canvas.text.contains("lines 1-20 of"))
        ui.handle(.end, state: state, context: context)
        canvas = DashboardRenderer.render(state, ui: ui, size: screen)
        #expect(canvas.text.contains("THE-END"))
        // Every line fits the frame: nothing is cut.
        let lines = DetailOverlay.lines(view.text, width: DetailOverlay.textWidth(screen))
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= DetailOverlay.textWidth(screen) })
        #expect(lines.joined(separator: " ").contains(words))
        #expect(ui.handle(.char("y"), state: state, context: context) == [.copy(view.text.body)])
        ui.handle(.escape, state: state, context: context)
        #expect(ui.detail == nil)
    }

    @Test func upMovesTheEntryEnterOpens() throws {
        let state = state(longMessage: "newest")
        var ui = UIState()
        ui.handle(.up, state: state, context: context)
        ui.handle(.enter, state: state, context: context)
        let view = try #require(ui.detail)
        #expect(view.text.body.hasPrefix("Training complete"))
    }

    @Test func devEventDetailCarriesItsData() throws {
        var state = DashboardState()
        state.apply(Event(timestamp: 1, level: .debug, payload: .devEvent(DevEvent(message: "batch", data: ["epoch": 11, "note": .string(String(repeating: "x", count: 300))]))))
        var ui = UIState(showDev: true)
        ui.focus = .dev
        ui.handle(.enter, state: state, context: context)
        let view = try #require(ui.detail)
        #expect(view.text.body.contains("\"epoch\": 11"))
        #expect(view.text.body.contains(String(repeating: "x", count: 300)))
    }

    @Test func controlCharactersNeverReachTheScreenRaw() {
        let wrapped = TextWrap.wrap("a\u{1B}[31mb\u{07}\tc", width: 80)
        #expect(wrapped.joined().unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F })
    }

    @Test func clickFocusesAndTheWheelScrollsThePaneUnderThePointer() throws {
        let state = Fixture.training.state
        var ui = UIState()
        let layout = DashboardLayout.make(state: state, ui: ui, size: screen)
        let metrics = try #require(layout.panes[.metrics])
        ui.handle(.click(x: metrics.x + 2, y: metrics.y + 2), state: state, context: context)
        #expect(ui.focus == .metrics)
        let messages = try #require(layout.panes[.messages])
        ui.handle(.wheel(up: true, x: messages.x + 3, y: messages.y + 1), state: state, context: context)
        #expect(ui.focus == .metrics)
        #expect(!ui.scroll(of: .messages).follow)
        // A log whose entries all fit does not move, and is not marked PAUSED.
        var small = DashboardState()
        small.apply(Event(timestamp: 1, payload: .message(Message(content: "one"))))
        var ui2 = UIState()
        let rect = try #require(DashboardLayout.make(state: small, ui: ui2, size: screen).panes[.messages])
        ui2.handle(.wheel(up: true, x: rect.x + 1, y: rect.y + 1), state: small, context: context)
        #expect(ui2.scroll(of: .messages).follow)
        #expect(!DashboardRenderer.render(small, ui: ui2, size: screen).text.contains("PAUSED"))
    }

    @Test func metricsCursorMovesVisiblyAndEnterChartsIt() throws {
        let state = Fixture.training.state
        var ui = UIState()
        ui.focus = .metrics
        let before = DashboardRenderer.render(state, ui: ui, size: screen)
        ui.handle(.down, state: state, context: context)
        ui.handle(.down, state: state, context: context)
        let after = DashboardRenderer.render(state, ui: ui, size: screen)
        #expect(before.text != after.text)
        let id = try #require(MetricsPane.cursorMetric(state: state, ui: ui))
        #expect(id.name == "accuracy")
        ui.handle(.enter, state: state, context: context)
        #expect(ui.selectedMetric == id)
        // Scrolled to the end, the last rows keep their step's title on top.
        ui.handle(.end, state: state, context: context)
        let end = DashboardRenderer.render(state, ui: ui, size: screen)
        let metricsRows = end.text.split(separator: "\n").dropFirst(7).prefix(2)
        #expect(metricsRows.contains { $0.contains("evaluation") || $0.contains("validation") })
    }

    @Test func focusReadsWithoutColour() {
        let state = Fixture.training.state
        var ui = UIState()
        ui.focus = .metrics
        let text = DashboardRenderer.render(state, ui: ui, size: screen).text
        #expect(text.contains("━ Metrics ━"))
        #expect(!text.contains("━ Messages ━"))
    }

    @Test func helpScrollsOnSmallScreens() {
        var ui = UIState()
        ui.showHelp = true
        let small = Size(width: 60, height: 15)
        let state = Fixture.training.state
        let first = DashboardRenderer.render(state, ui: ui, size: small).text
        #expect(!first.contains("this help"))
        for _ in 0..<30 { ui.handle(.down, state: state, context: KeyContext(screen: small)) }
        #expect(ui.showHelp)
        let last = DashboardRenderer.render(state, ui: ui, size: small).text
        #expect(last.contains("this help"))
        ui.handle(.char("x"), state: state, context: KeyContext(screen: small))
        #expect(!ui.showHelp)
    }
}
