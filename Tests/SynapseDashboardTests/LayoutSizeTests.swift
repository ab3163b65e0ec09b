import Testing
import SynapsePlugins
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

    @Test func compactBelowFortyByTen() {
        let state = Fixture.training.state
        #expect(DashboardLayout.make(state: state, ui: UIState(), size: Size(width: 39, height: 24)).isCompact)
        #expect(DashboardLayout.make(state: state, ui: UIState(), size: Size(width: 80, height: 9)).isCompact)
        #expect(!DashboardLayout.make(state: state, ui: UIState(), size: Size(width: 40, height: 12)).isCompact)
        #expect(!DashboardLayout.make(state: state, ui: UIState(), size: Size(width: 80, height: 24)).isCompact)
    }

    /// The sizes: a pane with something to show is never left out while another pane holds rows it
    /// cannot fill (the chart excepted: it fills any height), and the panes tile the body.
    @Test(arguments: Fixture.allCases)
    func noPaneWithContentHiddenWhileRowsSitEmpty(fixture: Fixture) {
        let state = fixture.state
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40), Size(width: 200, height: 50),
                     Size(width: 60, height: 15), Size(width: 40, height: 12)] {
            for ui in [UIState(), UIState(showDev: true)] {
                let layout = DashboardLayout.make(state: state, ui: ui, size: size)
                let shown = PaneRegistry.all.filter { $0.isShown(state, ui) }
                let hidden = shown.filter { layout.panes[$0.id] == nil }
                let wasted = shown.filter { spec in
                    guard let rect = layout.panes[spec.id], spec.id != .chart else { return false }
                    return rect.height > 1 + max(1, spec.contentRows(state, ui, rect.width))
                }
                #expect(hidden.isEmpty || wasted.isEmpty, "\(fixture) \(size): hidden \(hidden.map(\.id)) while \(wasted.map(\.id)) has empty rows")
                // Every body row belongs to a pane (bands tile the body).
                let rows = Set(layout.panes.values.flatMap { $0.y..<$0.maxY })
                let body = (layout.header?.maxY ?? 0) + (layout.system?.height ?? 0)..<(layout.status?.y ?? size.height)
                #expect(rows == Set(body), "\(fixture) \(size): rows \(rows.sorted()) vs body \(body)")
            }
        }
    }

    /// 200x50 with a single message: Messages keeps its title and that row; the chart takes the rest.
    @Test func emptyPanesShrinkAndTheChartGrows() {
        var state = DashboardState()
        for i in 0..<20 {
            state.apply(Event(timestamp: Double(i), step: "training", payload: .progress(ProgressData(current: i, total: 20))))
            state.apply(Event(timestamp: Double(i), step: "training", payload: .metrics(["loss": .double(1 / Double(i + 1)), "acc": .double(Double(i))])))
        }
        state.apply(Event(timestamp: 30, payload: .message(Message(content: "only one"))))
        let layout = DashboardLayout.make(state: state, ui: UIState(), size: Size(width: 200, height: 50))
        #expect(layout.panes[.messages]?.height == 2)
        #expect((layout.chart?.height ?? 0) >= 30)
    }

    /// 40x12 keeps Metrics (it was dropped while 7 rows sat blank).
    @Test func smallScreensKeepMetrics() {
        let layout = DashboardLayout.make(state: Fixture.training.state, ui: UIState(), size: Size(width: 40, height: 12))
        #expect(layout.panes[.metrics] != nil && layout.panes[.messages] != nil && layout.panes[.progress] != nil)
    }

    @Test func maximiseGivesTheFocusedPaneTheBody() {
        var ui = UIState()
        ui.handle(.tab, state: Fixture.training.state, context: KeyContext(screen: Size(width: 80, height: 24)))
        let focus = ui.focus
        ui.handle(.char("+"), state: Fixture.training.state, context: KeyContext(screen: Size(width: 80, height: 24)))
        let layout = DashboardLayout.make(state: Fixture.training.state, ui: ui, size: Size(width: 80, height: 24))
        #expect(Array(layout.panes.keys) == [focus])
        #expect(layout.panes[focus] == Rect(x: 0, y: 1, width: 80, height: 22))
        ui.handle(.char("+"), state: Fixture.training.state, context: KeyContext(screen: Size(width: 80, height: 24)))
        #expect(DashboardLayout.make(state: Fixture.training.state, ui: ui, size: Size(width: 80, height: 24)).panes.count > 1)
    }

    @Test func rowAllocatorGivesMinimumsByPriorityThenWeights() {
        typealias D = RowAllocator.Demand
        // Not enough for every minimum: the least important band is left out.
        #expect(RowAllocator.allocate([D(min: 2, want: 5, weight: 1, priority: 0), D(min: 2, want: 5, weight: 1, priority: 1),
                                       D(min: 2, want: 5, weight: 1, priority: 2)], rows: 5) == [3, 2, 0])
        // A fixed band gets its want first; the rest by weight up to each want; leftovers to the absorbing band.
        #expect(RowAllocator.allocate([D(min: 2, want: 4, weight: 0, priority: 0), D(min: 2, want: 100, weight: 3, priority: 2),
                                       D(min: 2, want: 3, weight: 2, priority: 1, absorbsSpare: true)], rows: 20) == [4, 13, 3])
        #expect(RowAllocator.allocate([D(min: 2, want: 3, weight: 1, priority: 0), D(min: 2, want: 3, weight: 1, priority: 1, absorbsSpare: true)],
                                      rows: 10) == [3, 7])
        #expect(RowAllocator.allocate([], rows: 10) == [])
        #expect(RowAllocator.allocate([D(min: 2, want: 3, weight: 1, priority: 0)], rows: -1) == [0])
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
