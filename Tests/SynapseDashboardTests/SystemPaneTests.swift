import Foundation
import Testing
import SynapsePlugins
@testable import SynapseDashboard

/// The system strip and the System pane: golden text and colour roles, and the layout they take.
@Suite struct SystemPaneTests {
    /// A training run with ten `system` records: CPU climbing to a core, memory to 200 MiB, a burst of
    /// writes, and (with `gpu`) two GPUs, one of them without temperature or power.
    static func state(gpu: Bool = false, limit: Bool = false) -> DashboardState {
        var state = Fixture.training.state
        for i in 0..<10 {
            var s = SystemSample()
            s.processes = i < 5 ? 1 : 3
            s.cpuPercent = i == 0 ? nil : Double(i) * 11
            s.cpuCores = 2
            s.rssBytes = (20 + i * 20) << 20
            s.threads = 4 + i
            s.openFiles = 12
            s.readBytes = 1 << 20
            s.writeBytes = i * (5 << 20)
            s.readRate = i == 0 ? nil : 0
            s.writeRate = i == 0 ? nil : Double(i == 6 ? 50 << 20 : 5 << 20)
            s.hostMemoryTotal = 16 << 30
            s.hostMemoryAvailable = 9 << 30
            s.load1 = 1.25
            if limit {
                s.memoryLimit = 1 << 30
                s.memoryLimitUsed = 600 << 20
            }
            if gpu {
                s.gpus = [GPUDevice(index: 0, name: "NVIDIA A100-SXM4-40GB", utilization: Double(i * 10),
                                    memoryUsed: (i + 1) << 30, memoryTotal: 40 << 30, temperature: 61, power: 250.5,
                                    processMemory: i << 30),
                          GPUDevice(index: 1, name: "Tesla K80", utilization: nil, memoryUsed: 0, memoryTotal: 11 << 30)]
            }
            state.apply(s.event(timestamp: 1_764_076_800 + Double(i)))
        }
        return state
    }

    func render(_ state: DashboardState, _ ui: UIState, _ size: Size) -> String {
        var canvas = Canvas(width: size.width, height: size.height)
        SystemPane(context: PaneContext(state: state, ui: ui, options: RenderOptions())).draw(into: &canvas, in: canvas.bounds)
        return canvas.text + "\n-- roles\n" + ChartTests.roles(canvas)
    }

    @Test func stripAndPaneGolden() {
        var expanded = UIState()
        expanded.showSystem = true
        let sections: [(String, String)] = [
            ("strip 80", render(Self.state(), UIState(), Size(width: 80, height: 1))),
            ("strip 200 gpu", render(Self.state(gpu: true), UIState(), Size(width: 200, height: 1))),
            ("strip 40", render(Self.state(gpu: true), UIState(), Size(width: 40, height: 1))),
            ("pane 80x5", render(Self.state(), expanded, Size(width: 80, height: 5))),
            ("pane 140x7 gpu limit", render(Self.state(gpu: true, limit: true), expanded, Size(width: 140, height: 7))),
            ("pane 60x3 cut", render(Self.state(gpu: true), expanded, Size(width: 60, height: 3))),
        ]
        let text = sections.map { "== \($0.0)\n\($0.1)" }.joined(separator: "\n")
        if let problem = Golden.check("pane-system", text) { Issue.record("\(problem)") }
    }

    @Test func screensWithTheStripAndThePane() {
        var expanded = UIState()
        expanded.showSystem = true
        for (name, ui) in [("strip", UIState()), ("expanded", expanded)] {
            // The compact layout has no room to expand into: its strip stays one row.
            for size in [Size(width: 80, height: 24), Size(width: 200, height: 50)] + (name == "strip" ? [Size(width: 39, height: 12)] : []) {
                let canvas = DashboardRenderer.render(Self.state(gpu: true), ui: ui, size: size,
                                                      options: RenderOptions(now: 1_764_076_848))
                let text = canvas.text + "\n-- roles\n" + ChartTests.roles(canvas)
                if let problem = Golden.check("system-\(name)-\(size.width)x\(size.height)", text) {
                    Issue.record("\(problem)")
                }
            }
        }
    }

    @Test func layoutMakesRoomOnlyWhenThereAreRecords() {
        let plain = DashboardLayout.make(state: Fixture.training.state, ui: UIState(), size: Size(width: 80, height: 24))
        #expect(plain.system == nil)
        let strip = DashboardLayout.make(state: Self.state(), ui: UIState(), size: Size(width: 80, height: 24))
        #expect(strip.system == Rect(x: 0, y: 1, width: 80, height: 1))
        #expect(strip.panes[.progress]?.y == 2)
        var expanded = UIState()
        expanded.showSystem = true
        let pane = DashboardLayout.make(state: Self.state(gpu: true), ui: expanded, size: Size(width: 200, height: 50))
        #expect(pane.system?.height == SystemPane.expandedRows(state: Self.state(gpu: true)))
        let small = DashboardLayout.make(state: Self.state(gpu: true), ui: expanded, size: Size(width: 80, height: 15))
        #expect((small.system?.height ?? 0) <= 13 / 3)
        // Compact screens show the strip under the run's bars while a row is left for the newest message.
        let compact = DashboardLayout.make(state: Self.state(), ui: expanded, size: Size(width: 39, height: 12))
        #expect(compact.isCompact && compact.system == Rect(x: 0, y: 3, width: 39, height: 1))
        #expect(compact.panes[.messages].map { $0.y == 4 && $0.height == 7 } == true)
        let tiny = DashboardLayout.make(state: Self.state(), ui: UIState(), size: Size(width: 20, height: 6))
        #expect(tiny.system?.height == 1 && tiny.panes[.messages]?.height == 1)
        let tooSmall = DashboardLayout.make(state: Self.state(), ui: UIState(), size: Size(width: 20, height: 5))
        #expect(tooSmall.system == nil && tooSmall.panes[.messages]?.height == 1)
        #expect(DashboardLayout.make(state: Fixture.training.state, ui: UIState(), size: Size(width: 39, height: 12)).system == nil)
    }

    @Test func sKeyToggles() {
        var ui = UIState()
        let context = KeyContext()
        #expect(ui.handle(.char("S"), state: Self.state(), context: context) == [])
        #expect(ui.showSystem)
        #expect(ui.notice == nil)
        _ = ui.handle(.char("S"), state: Self.state(), context: context)
        #expect(!ui.showSystem)
        _ = ui.handle(.char("S"), state: Fixture.training.state, context: context)
        #expect(ui.notice == "System: no system records (local runs write them; not available for Ray jobs)")
    }

    @Test func formats() {
        #expect(SystemPane.bytes(0) == "0B")
        #expect(SystemPane.bytes(1000) == "1000B")
        #expect(SystemPane.bytes(1536) == "1.5K")
        #expect(SystemPane.bytes(200 << 20) == "200M")
        #expect(SystemPane.bytes(-5) == "0B")
        #expect(SystemPane.bytes(Int.max) == "8E" || SystemPane.bytes(Int.max).hasSuffix("P"))
        #expect(SystemPane.percent(99.5) == "100%")
        #expect(SystemPane.percent(0.46) == "0.5%")
        #expect(SystemPane.percent(.nan) == "–")
    }
}

/// System figures on the metrics chart: `m` reaches them, they chart alone or beside a metric, on the
/// time axis both share.
@Suite struct SystemChartTests {
    @Test func systemFiguresAreChartableAfterTheMetrics() throws {
        let state = SystemPaneTests.state(gpu: true)
        let ids = state.chartableMetrics
        let system = ids.filter { $0.system }
        #expect(system.map(\.description) == ["system/cpu_percent", "system/rss_bytes", "system/io_rate",
                                              "system/gpu_utilization", "system/gpu_memory_used"])
        #expect(ids.suffix(system.count).allSatisfy { $0.system }, "after every metric")
        #expect(state.chartSeries(.system(.memory))?.series.sampleCount == 10)
        #expect(state.chartSeries(.system(.memory))?.counter == nil)
        // Without a GPU no GPU figure is offered; without records none at all.
        #expect(!SystemPaneTests.state().chartableMetrics.contains(.system(.gpu)))
        #expect(!Fixture.training.state.chartableMetrics.contains { $0.system })
        // A step named "system" stays a step: its metrics are not the system figures, nor the other way round.
        var named = DashboardState()
        named.apply(Event(timestamp: 1, step: "system", payload: .metrics(["rss_bytes": 5])))
        #expect(named.chartSeries(MetricID(step: "system", name: "rss_bytes")) != nil)
        #expect(named.chartSeries(.system(.memory)) == nil && named.metricStep(of: .system(.memory)) == nil)
    }

    @Test func mReachesASystemFigureAndTheChartDrawsItOnTime() throws {
        let state = SystemPaneTests.state()
        var ui = UIState()
        let context = KeyContext()
        var guard_ = 0
        while MetricsPane.chartMetric(state: state, ui: ui) != .system(.cpu), guard_ < 50 {
            _ = ui.handle(.char("m"), state: state, context: context)
            guard_ += 1
        }
        #expect(MetricsPane.chartMetric(state: state, ui: ui) == .system(.cpu))
        let alone = try #require(ChartData.make(state: state, ui: ui))
        #expect(alone.axis == .relativeTime && alone.lines.count == 1)
        #expect(alone.lines[0].points.count == 9, "one point per sample with a CPU rate (the first has none)")
        // Marked, then the chart moved on to training/loss: both on one chart, on the time both share.
        _ = ui.handle(.char(" "), state: state, context: context)
        ui.selectedMetric = MetricID(step: "training", name: "loss")
        let both = try #require(ChartData.make(state: state, ui: ui))
        #expect(both.lines.map(\.id).contains(.system(.cpu)) && both.lines.first?.id == MetricID(step: "training", name: "loss"))
        #expect(both.axis == .relativeTime)
        let canvas = DashboardRenderer.render(state, ui: ui, size: Size(width: 80, height: 24), options: RenderOptions(now: 1_764_076_848))
        let text = canvas.text
        #expect(text.contains("cpu_percent"), "\(text)")
        if let problem = Golden.check("system-chart-80x24", text + "\n-- roles\n" + ChartTests.roles(canvas)) {
            Issue.record("\(problem)")
        }
    }
}
