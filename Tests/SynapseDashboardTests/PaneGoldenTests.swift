import Testing
@testable import SynapseDashboard

/// Every pane on its own, drawn into a fixed rectangle, against golden text.
@Suite struct PaneGoldenTests {
    func draw(_ size: Size, ascii: Bool = false, _ body: (inout Canvas) -> Void) -> String {
        var canvas = Canvas(width: size.width, height: size.height, asciiOnly: ascii)
        body(&canvas)
        return canvas.text
    }

    func context(_ fixture: Fixture, ui: UIState = UIState(), ascii: Bool = false) -> PaneContext {
        PaneContext(state: fixture.state, ui: ui, options: RenderOptions(ascii: ascii))
    }

    func check(_ name: String, _ sections: [(String, String)]) {
        let text = sections.map { "== \($0.0)\n\($0.1)" }.joined(separator: "\n")
        if let problem = Golden.check("pane-\(name)", text) { Issue.record("\(problem)") }
    }

    @Test func header() {
        var sections: [(String, String)] = []
        for fixture in Fixture.allCases {
            for width in [100, 60, 30] {
                sections.append(("\(fixture.rawValue) \(width)", draw(Size(width: width, height: 1)) {
                    HeaderPane(context: context(fixture)).draw(into: &$0, in: $0.bounds)
                }))
            }
        }
        var waiting = UIState()
        waiting.focus = .progress
        sections.append(("waiting", draw(Size(width: 80, height: 1)) {
            HeaderPane(context: PaneContext(state: DashboardState(), ui: waiting,
                                            options: RenderOptions(sourceLabel: "events.jsonl"))).draw(into: &$0, in: $0.bounds)
        }))
        check("header", sections)
    }

    @Test func progress() {
        var focused = UIState()
        focused.focus = .progress
        check("progress", [
            ("training 80x7", draw(Size(width: 80, height: 7)) { ProgressPane(context: context(.training)).draw(into: &$0, in: $0.bounds) }),
            ("failed 80x4 focused", draw(Size(width: 80, height: 4)) { ProgressPane(context: context(.failed, ui: focused)).draw(into: &$0, in: $0.bounds) }),
            ("pipeline 80x7", draw(Size(width: 80, height: 7)) { ProgressPane(context: context(.pipeline)).draw(into: &$0, in: $0.bounds) }),
            ("pipeline 140x7", draw(Size(width: 140, height: 7)) { ProgressPane(context: context(.pipeline)).draw(into: &$0, in: $0.bounds) }),
            ("pipeline 50x8 ascii", draw(Size(width: 50, height: 8), ascii: true) { ProgressPane(context: context(.pipeline, ascii: true)).draw(into: &$0, in: $0.bounds) }),
            ("empty 60x3", draw(Size(width: 60, height: 3)) {
                ProgressPane(context: PaneContext(state: DashboardState(), ui: UIState(), options: RenderOptions())).draw(into: &$0, in: $0.bounds)
            }),
        ])
    }

    @Test func metricsAndChart() {
        var selected = UIState()
        selected.selectedMetric = MetricID(step: "validation", name: "accuracy")
        check("metrics", [
            ("training 70x16", draw(Size(width: 70, height: 16)) { MetricsPane(context: context(.training)).draw(into: &$0, in: $0.bounds) }),
            ("training 36x8 selected", draw(Size(width: 36, height: 8)) { MetricsPane(context: context(.training, ui: selected)).draw(into: &$0, in: $0.bounds) }),
            ("no metrics 40x3", draw(Size(width: 40, height: 3)) { MetricsPane(context: context(.failed)).draw(into: &$0, in: $0.bounds) }),
        ])
        check("chart", [
            ("loss 60x10", draw(Size(width: 60, height: 10)) { ChartPane(context: context(.training)).draw(into: &$0, in: $0.bounds) }),
            ("validation accuracy 40x6", draw(Size(width: 40, height: 6)) { ChartPane(context: context(.training, ui: selected)).draw(into: &$0, in: $0.bounds) }),
            ("loss 60x10 ascii", draw(Size(width: 60, height: 10), ascii: true) { ChartPane(context: context(.training, ascii: true)).draw(into: &$0, in: $0.bounds) }),
            ("pipeline files_per_s 50x8", draw(Size(width: 50, height: 8)) { ChartPane(context: context(.pipeline)).draw(into: &$0, in: $0.bounds) }),
            ("no metrics 40x4", draw(Size(width: 40, height: 4)) { ChartPane(context: context(.failed)).draw(into: &$0, in: $0.bounds) }),
        ])
    }

    @Test func logPanes() {
        var timestamps = UIState()
        timestamps.showTimestamps = true
        var search = UIState()
        search.search = UIState.Search(query: "checkpoint", isEditing: false, current: nil)
        check("logs", [
            ("messages 70x12 timestamps", draw(Size(width: 70, height: 12)) { LogPane(.messages, context: context(.training, ui: timestamps)).draw(into: &$0, in: $0.bounds) }),
            ("messages 50x6 search", draw(Size(width: 50, height: 6)) { LogPane(.messages, context: context(.training, ui: search)).draw(into: &$0, in: $0.bounds) }),
            ("events 90x7", draw(Size(width: 90, height: 7)) { LogPane(.events, context: context(.training)).draw(into: &$0, in: $0.bounds) }),
            ("output 60x5", draw(Size(width: 60, height: 5)) { LogPane(.output, context: context(.pipeline)).draw(into: &$0, in: $0.bounds) }),
            ("dev 70x4", draw(Size(width: 70, height: 4)) { LogPane(.dev, context: context(.failed)).draw(into: &$0, in: $0.bounds) }),
            ("dev empty 40x2", draw(Size(width: 40, height: 2)) { LogPane(.dev, context: context(.pipeline)).draw(into: &$0, in: $0.bounds) }),
        ])
    }

    @Test func overlaysAndStatusLine() {
        var editing = UIState()
        editing.search = UIState.Search(query: "loss", isEditing: true)
        var notice = UIState()
        notice.notice = "Theme: light"
        var dialog = UIState()
        dialog.dialog = .confirmQuit
        let live = PaneContext(state: Fixture.pipeline.state, ui: UIState(), options: RenderOptions(isLiveInProcess: true))
        check("overlays", [
            ("help 80x20", draw(Size(width: 80, height: 20)) { HelpOverlay(glyphs: .unicode).draw(into: &$0, in: $0.bounds) }),
            ("help 30x8 ascii", draw(Size(width: 30, height: 8), ascii: true) { HelpOverlay(glyphs: .ascii).draw(into: &$0, in: $0.bounds) }),
            ("quit 60x6", draw(Size(width: 60, height: 6)) { DialogOverlay(dialog: .confirmQuit, glyphs: .unicode).draw(into: &$0, in: $0.bounds) }),
            ("cancel 20x3", draw(Size(width: 20, height: 3)) { DialogOverlay(dialog: .confirmCancel, glyphs: .unicode).draw(into: &$0, in: $0.bounds) }),
            ("status 120 live", draw(Size(width: 120, height: 1)) { StatusLine(context: live).draw(into: &$0, in: $0.bounds) }),
            ("status 80 search", draw(Size(width: 80, height: 1)) { StatusLine(context: context(.training, ui: editing)).draw(into: &$0, in: $0.bounds) }),
            ("status 80 notice", draw(Size(width: 80, height: 1)) { StatusLine(context: context(.training, ui: notice)).draw(into: &$0, in: $0.bounds) }),
            ("status 40 dialog", draw(Size(width: 40, height: 1)) { StatusLine(context: context(.training, ui: dialog)).draw(into: &$0, in: $0.bounds) }),
        ])
    }
}
