import Testing
@testable import SynapseDashboard

/// The whole dashboard rendered for each fixture at the sizes people use, against golden text.
@Suite struct GoldenScreenTests {
    static let sizes = [Size(width: 80, height: 24), Size(width: 200, height: 50), Size(width: 40, height: 12),
                        Size(width: 20, height: 6)]

    @Test(arguments: Fixture.allCases)
    func dashboardAtEverySize(fixture: Fixture) {
        let state = fixture.state
        for size in Self.sizes {
            let canvas = DashboardRenderer.render(state, ui: UIState(), size: size)
            if let problem = Golden.check("\(fixture.rawValue)-\(size)", canvas.text) { Issue.record("\(problem)") }
        }
    }

    @Test func asciiMode() {
        let canvas = DashboardRenderer.render(Fixture.training.state, ui: UIState(), size: Size(width: 80, height: 24),
                                              options: RenderOptions(ascii: true))
        #expect(canvas.text.unicodeScalars.allSatisfy { $0.isASCII })
        if let problem = Golden.check("training-completed-80x24-ascii", canvas.text) { Issue.record("\(problem)") }
    }

    @Test func devPaneTimestampsAndHelp() {
        var ui = UIState(showDev: true)
        ui.showTimestamps = true
        let state = Fixture.training.state
        let canvas = DashboardRenderer.render(state, ui: ui, size: Size(width: 120, height: 40))
        if let problem = Golden.check("training-completed-120x40-dev-timestamps", canvas.text) { Issue.record("\(problem)") }
        ui.showHelp = true
        let help = DashboardRenderer.render(state, ui: ui, size: Size(width: 80, height: 24))
        if let problem = Golden.check("help-80x24", help.text) { Issue.record("\(problem)") }
    }
}
