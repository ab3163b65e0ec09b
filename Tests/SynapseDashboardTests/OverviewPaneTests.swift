import Testing
import SynapsePlugins
@testable import SynapseDashboard

/// The overview (`o`): the run's summary over the panes, the whole error wrapped and scrollable.
@Suite struct OverviewPaneTests {
    static let error = RunError(type: "ExecutionError", message: """
        書き込みに失敗しました: item #1700 „Ünïcödé“ — the storage backend refused the write after 3 retries \
        (quota exceeded for bucket 'datasets-eu-west': 1.2 GiB over the limit of 500 GiB)
        hint: free some space or raise the quota, then run the action again
        """)

    /// A failed training run: params with a secret, a loss and an accuracy over five epochs, the error above.
    static func failedState() -> DashboardState {
        var s = DashboardState()
        func at(_ t: Double, _ payload: EventPayload, step: String? = nil) {
            s.apply(Event(timestamp: 1_764_076_800 + t, step: step, payload: payload))
        }
        at(0, .runStatus(RunStatusUpdate(status: .running, action: "export", jobID: "7b21d4c0-5f7e-4c55-9a53-1f0e8d2b6a41",
                                         params: ["bucket": "datasets-eu-west", "items": 2000, "aws_secret_access_key": "AKIA-do-not-show",
                                                  "retry": ["count": 3, "token": "t-123"]])))
        let losses = [0.9, 0.42, 0.35, 0.38, 0.36]
        for epoch in 1...5 {
            at(Double(epoch), .progress(ProgressData(current: epoch * 340, total: 2000)), step: "upload")
            at(Double(epoch), .metrics(["epoch": .int(epoch), "loss": .double(losses[epoch - 1]),
                                        "accuracy": .double(0.5 + Double(epoch) / 20)]), step: "upload")
        }
        at(19, .runStatus(RunStatusUpdate(status: .failed, error: error)))
        return s
    }

    func render(_ state: DashboardState, _ ui: UIState, _ size: Size, options: RenderOptions = RenderOptions()) -> Canvas {
        DashboardRenderer.render(state, ui: ui, size: size, options: options)
    }

    /// The UI after `o`: the overview open, maximised and focused.
    static var open: UIState {
        var ui = UIState()
        ui.handle(.char("o"), state: DashboardState(), context: KeyContext())
        return ui
    }

    @Test func goldenAt80x24And200x50WithColourRoles() {
        var options = RenderOptions()
        options.host = "gpu-3"
        var scrolled = Self.open
        scrolled.scroll[.overview] = UIState.Scroll(follow: false, top: 6)
        let sections: [(String, Canvas)] = [
            ("failed 80x24", render(Self.failedState(), Self.open, Size(width: 80, height: 24), options: options)),
            ("failed 80x14 scrolled", render(Self.failedState(), scrolled, Size(width: 80, height: 14), options: options)),
            ("failed 200x50", render(Self.failedState(), Self.open, Size(width: 200, height: 50), options: options)),
            ("completed 80x24", render(Fixture.training.state, Self.open, Size(width: 80, height: 24))),
            ("failed 40x12 compact", render(Self.failedState(), Self.open, Size(width: 40, height: 12), options: options)),
        ]
        let text = sections.map { "== \($0.0)\n\($0.1.text)\n-- roles\n\(ChartTests.roles($0.1))" }.joined(separator: "\n")
        if let problem = Golden.check("pane-overview", text) { Issue.record("\(problem)") }
    }

    @Test func theWholeErrorIsThereWrappedAt80ColumnsNeverCut() {
        let canvas = render(Self.failedState(), Self.open, Size(width: 80, height: 24))
        // The overview's rows (the header above it cuts the job id: the overview has it whole).
        let text = canvas.text.split(separator: "\n").dropFirst().joined(separator: "\n")
        #expect(!text.contains("⏎") && !text.contains("…"), "\(text)")
        // Every word of the message is on the screen, in order.
        let shown = text.split(separator: "\n").joined(separator: " ").split(separator: " ")
        var i = shown.startIndex
        for word in Self.error.message.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            guard let found = shown[i...].firstIndex(where: { $0 == word }) else {
                Issue.record("'\(word)' missing from\n\(text)")
                return
            }
            i = found
        }
        // The secret-looking params are masked; the others shown as given.
        #expect(!text.contains("AKIA") && !text.contains("t-123"))
        #expect(text.contains(#"aws_secret_access_key: "********""#) && text.contains(#"bucket: "datasets-eu-west""#))
    }

    @Test func oOpensScrollsAndClosesAndOtherKeysStillWork() {
        let state = Self.failedState()
        let context = KeyContext(screen: Size(width: 80, height: 12))
        var ui = UIState()
        ui.focus = .metrics
        ui.handle(.char("o"), state: state, context: context)
        #expect(ui.showOverview && ui.focus == .overview && ui.maximised && ui.scroll(of: .overview).top == 0)
        ui.handle(.down, state: state, context: context)
        ui.handle(.down, state: state, context: context)
        #expect(ui.scroll(of: .overview).top == 2)
        ui.handle(.up, state: state, context: context)
        #expect(ui.scroll(of: .overview).top == 1)
        ui.handle(.end, state: state, context: context)
        let layout = DashboardLayout.make(state: state, ui: ui, size: context.screen)
        let rows = layout.contentHeight(.overview)
        let total = OverviewPane.contentRows(PaneContext(state: state, ui: ui, options: RenderOptions()),
                                             width: layout.panes[.overview]?.width ?? 0)
        #expect(total > rows && ui.scroll(of: .overview).top == total - rows)
        ui.handle(.pageDown, state: state, context: context)
        #expect(ui.scroll(of: .overview).top == total - rows, "never past the end")
        let last = render(state, ui, context.screen).text
        #expect(last.contains("lines \(total - rows + 1)-\(total) of \(total)"), "\(last)")
        ui.handle(.home, state: state, context: context)
        #expect(ui.scroll(of: .overview).top == 0)
        // Keys the overview does not use act as usual; q quits.
        ui.handle(.char("t"), state: state, context: context)
        #expect(ui.themeName != "dark" && ui.showOverview)
        #expect(ui.handle(.char("q"), state: state, context: context) == [.quit])
        ui.handle(.escape, state: state, context: context)
        // Closing gives back the focus and the layout it found.
        #expect(!ui.showOverview && ui.focus == .metrics && !ui.maximised)
        ui.handle(.char("o"), state: state, context: context)
        ui.handle(.char("o"), state: state, context: context)
        #expect(!ui.showOverview && ui.focus == .metrics)
    }

    @Test func aCutErrorPointsToTheOverview() {
        let text = render(Self.failedState(), UIState(), Size(width: 80, height: 24)).text
        let line = text.split(separator: "\n").first { $0.contains("Failed:") }
        #expect(line?.hasSuffix("[o: whole error]") == true, "\(text)")
        #expect(KeyHelp.entries.contains { $0.keys == "o" })
    }

    @Test func anyStateAndSizeRendersWithoutTrouble() {
        for state in [DashboardState(), Self.failedState(), Fixture.pipeline.state, Fixture.training.state] {
            for size in [Size(width: 0, height: 0), Size(width: 1, height: 1), Size(width: 20, height: 6), Size(width: 13, height: 40)] {
                var ui = Self.open
                ui.scroll[.overview] = UIState.Scroll(follow: false, top: 1000)
                _ = render(state, ui, size)
            }
        }
    }
}
