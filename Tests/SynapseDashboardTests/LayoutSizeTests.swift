import Testing
@testable import SynapseDashboard

@Suite struct LayoutSizeTests {
    /// Every size from nothing to wide draws without crashing and never writes outside the grid.
    @Test(arguments: Fixture.allCases)
    func anySizeRenders(fixture: Fixture) {
        let state = fixture.state
        var uis = [UIState(), UIState(showDev: true)]
        uis[1].showHelp = true
        var quit = UIState()
        quit.dialog = .confirmQuit
        uis.append(quit)
        let widths = [0, 1, 2, 5, 10, 19, 20, 30, 39, 59, 60, 79, 80, 99, 100, 119, 120, 160, 200, 300]
        let heights = [0, 1, 2, 3, 5, 6, 8, 14, 15, 20, 24, 30, 50, 80]
        for ui in uis {
            for w in widths {
                for h in heights {
                    for ascii in [false, true] {
                        let canvas = DashboardRenderer.render(state, ui: ui, size: Size(width: w, height: h),
                                                              options: RenderOptions(ascii: ascii))
                        #expect(canvas.width == w && canvas.height == h)
                        if ascii { #expect(canvas.text.unicodeScalars.allSatisfy { $0.isASCII }) }
                    }
                }
            }
        }
    }

    @Test func compactBelowSixtyByFifteen() {
        let state = Fixture.training.state
        #expect(DashboardLayout.make(state: state, ui: UIState(), size: Size(width: 59, height: 24)).isCompact)
        #expect(DashboardLayout.make(state: state, ui: UIState(), size: Size(width: 80, height: 14)).isCompact)
        #expect(!DashboardLayout.make(state: state, ui: UIState(), size: Size(width: 80, height: 24)).isCompact)
    }

    @Test func essentialPanesAt80x24() {
        let layout = DashboardLayout.make(state: Fixture.training.state, ui: UIState(), size: Size(width: 80, height: 24))
        for pane in [PaneID.progress, .metrics, .messages] { #expect(layout.contentHeight(pane) >= 3) }
        #expect(layout.chart != nil)
    }

    @Test func wideScreensGrowTheChart() {
        let state = Fixture.training.state
        let small = DashboardLayout.make(state: state, ui: UIState(), size: Size(width: 80, height: 24))
        let big = DashboardLayout.make(state: state, ui: UIState(), size: Size(width: 200, height: 50))
        #expect(big.chart!.height > small.chart!.height && big.chart!.width > small.chart!.width)
    }
}
