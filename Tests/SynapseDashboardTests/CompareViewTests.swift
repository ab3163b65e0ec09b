import Foundation
import Testing
import SynapsePlugins
@testable import SynapseDashboard

/// The comparison of runs: labels from the params that differ, the metrics table's best, and the screen
/// (text and colour roles) at 80x24 and 200x50.
@Suite struct CompareViewTests {
    /// A training run: `epochs` epochs of loss and accuracy from `start`, validation after each, then a
    /// final status (`nil`: still running).
    static func run(id: String, params: JSONValue, start: Double, epochs: Int, rate: Double,
                    final: RunStatus? = .completed) -> [Event] {
        var events = [Event(timestamp: start, payload: .runStatus(RunStatusUpdate(status: .running, action: "train", jobID: id, params: params)))]
        var t = start
        for epoch in 1...epochs {
            for batch in 0..<4 {
                t += 0.5
                let x = Double(epoch - 1) + Double(batch) / 4
                let loss = 2.0 * exp(-rate * x) + 0.05
                events.append(Event(timestamp: t, step: "training",
                                    payload: .metrics(["epoch": .int(epoch), "loss": .double(loss), "accuracy": .double(1 - loss / 2.2)])))
            }
            events.append(Event(timestamp: t + 0.1, step: "validation",
                                payload: .metrics(["val_loss": .double(2.1 * exp(-rate * Double(epoch)) + 0.08)])))
        }
        if let final {
            let error = final == .failed ? RunError(type: "RuntimeError", message: "CUDA out of memory") : nil
            events.append(Event(timestamp: t + 1, payload: .runStatus(RunStatusUpdate(status: final, error: error))))
        }
        return events
    }

    static func comparison(_ runs: [[Event]]) -> RunComparison {
        var c = RunComparison(sources: runs.indices.map { "source-\($0)" })
        for (k, events) in runs.enumerated() { c.apply(events[...], run: k) }
        return c
    }

    static let fast = run(id: "7d3f9a21-aaaa-4bbb-8ccc-000000000001", params: ["lr": 0.01, "epochs": 8, "batch_size": 32, "api_key": "sk-live-123"],
                          start: 1_764_076_800, epochs: 8, rate: 0.6)
    static let slow = run(id: "b41c0e77-aaaa-4bbb-8ccc-000000000002", params: ["lr": 0.001, "epochs": 8, "batch_size": 32, "api_key": "sk-live-456"],
                          start: 1_764_076_900, epochs: 5, rate: 0.25, final: nil)
    static let failed = run(id: "c9e2d5f0-aaaa-4bbb-8ccc-000000000003", params: ["lr": 0.01, "epochs": 8, "batch_size": 32, "api_key": "sk-other"],
                            start: 1_764_077_000, epochs: 3, rate: 0.5, final: .failed)

    @Test func labelsComeFromTheParamsThatDiffer() {
        let s = Self.comparison([Self.fast, Self.slow]).summary()
        #expect(s.differingParams == ["lr"])
        #expect(s.labels == ["lr=0.01", "lr=0.001"])
        #expect(s.shortIDs == ["7d3f9a21", "b41c0e77"])
        // The secret differs but is masked before comparing: it neither shows nor labels.
        #expect(!s.labels.joined().contains("sk-live"))
        #expect(s.runs.map(\.statusWord) == ["completed", "running"])
    }

    @Test func runsNothingTellsApartAreNamedByTheirShortID() {
        // The failed run has the first one's params (its api_key differs, but masked they are the same).
        let s = Self.comparison([Self.fast, Self.slow, Self.failed]).summary()
        #expect(s.differingParams == ["lr"])
        #expect(s.labels == ["7d3f9a21", "lr=0.001", "c9e2d5f0"])
        #expect(s.paramValues == [["0.01"], ["0.001"], ["0.01"]])
        // A param only some runs have differs; masked, it says only that it is there.
        var extra = Self.fast
        if case .runStatus(var u) = extra[0].payload {
            u.params = ["lr": 0.01, "epochs": 8, "batch_size": 32, "api_key": "sk-live-123", "token": "t"]
            extra[0].payload = .runStatus(u)
        }
        #expect(Self.comparison([extra, Self.slow]).summary().labels == ["lr=0.01 token=********", "lr=0.001"])
        let same = Self.comparison([Self.fast, Self.fast.map { e in
            var e = e
            if case .runStatus(var u) = e.payload, u.jobID != nil { u.jobID = "7d3f9a21-bbbb"; e.payload = .runStatus(u) }
            return e
        }]).summary()
        #expect(same.differingParams.isEmpty)
        // Two ids sharing 8 characters are cut longer, so they still differ.
        #expect(same.labels == ["7d3f9a21-a", "7d3f9a21-b"])
    }

    @Test func theTableMarksTheBestRunByTheMetricsGoal() throws {
        let s = Self.comparison([Self.fast, Self.slow]).summary()
        #expect(s.metrics.map(\.id.description) == ["training/loss", "training/accuracy", "validation/val_loss"])
        let loss = try #require(s.metrics.first { $0.id.name == "loss" })
        #expect(loss.goal == .minimum)
        #expect(loss.bestRuns == [0])
        let accuracy = try #require(s.metrics.first { $0.id.name == "accuracy" })
        #expect(accuracy.bestRuns == [0])
        // A metric only one run has: the other's cell is empty, and the one run is best.
        var only = Self.comparison([Self.fast, Self.slow])
        only.apply([Event(timestamp: 1_764_077_900, step: "validation", payload: .metrics(["val_accuracy": 0.5]))][...], run: 1)
        let row = try #require(only.summary().metrics.first { $0.id.name == "val_accuracy" })
        #expect(row.values[0] == nil)
        #expect(row.bestRuns == [1])
    }

    @Test func longLabelsAreCutFromTheStartSoTheValueShows() {
        let a = Self.run(id: "aaaaaaaa-1", params: ["learning_rate": 0.01], start: 1_764_076_800, epochs: 2, rate: 0.5)
        let b = Self.run(id: "bbbbbbbb-2", params: ["learning_rate": 0.001], start: 1_764_076_800, epochs: 2, rate: 0.3)
        let c = Self.run(id: "cccccccc-3", params: ["learning_rate": 0.0001], start: 1_764_076_800, epochs: 2, rate: 0.2)
        let text = CompareView.render(Self.comparison([a, b, c]), ui: CompareUI(), size: Size(width: 80, height: 24),
                                      options: RenderOptions()).text
        // The metrics table's run columns and the legend are too narrow for the whole labels.
        #expect(text.contains("◆ …arning_rate=0.001"), "\(text)")
        #expect(text.contains("■ …rning_rate=0.0001"), "\(text)")
        #expect(!text.contains("learning_rate=0.0…"), "\(text)")
    }

    @Test func keysPickTheMetricAndTheAxis() {
        var ui = CompareUI()
        var quits: [Bool] = []
        for key in [Key.down, .down, .down] { quits.append(ui.handle(key, metrics: 3, runs: 2)) }
        #expect(ui.selected == 2)
        quits.append(ui.handle(.char("x"), metrics: 3, runs: 2))
        #expect(ui.xAxis == .relativeTime)
        #expect(quits == [false, false, false, false])
        let quit = ui.handle(.char("q"), metrics: 3, runs: 2)
        #expect(quit)
        let s = Self.comparison([Self.fast, Self.slow]).summary()
        let found = ui.select(metric: "val_loss", in: s)
        #expect(found && ui.selected == 2)
        let unknown = ui.select(metric: "nope", in: s)
        #expect(!unknown && ui.selected == 2)
    }

    @Test func theChartHasALinePerRunOnTheSharedCounter() {
        let c = Self.comparison([Self.fast, Self.slow])
        let canvas = CompareView.render(c, ui: CompareUI(), size: Size(width: 80, height: 24), options: RenderOptions())
        let text = canvas.text
        #expect(text.contains("Chart training/loss"))
        #expect(text.contains("x: epoch"))
        #expect(text.contains("━ lr=0.01"))
        #expect(text.contains("◆ lr=0.001"))
        var time = CompareUI()
        time.xAxis = .relativeTime
        #expect(CompareView.render(c, ui: time, size: Size(width: 80, height: 24), options: RenderOptions()).text.contains("x: time"))
        // Both runs' colours are on the plot.
        let roles = Set(canvas.cells.map(\.style.role))
        #expect(roles.contains(.chart) && roles.contains(.accent))
    }

    /// `system` records every 2 s of a run: memory climbing by `step` MiB, CPU at `cpu` % of a core.
    static func withSystem(_ events: [Event], step: Int, cpu: Double) -> [Event] {
        let start = events[0].timestamp
        let samples: [Event] = (0..<6).map { i in
            var s = SystemSample()
            s.processes = 1
            s.cpuPercent = i == 0 ? nil : cpu
            s.rssBytes = (100 + i * step) << 20
            return s.event(timestamp: start + Double(i) * 2)
        }
        return [events[0]] + (samples + events.dropFirst()).sorted { $0.timestamp < $1.timestamp }
    }

    @Test func systemFiguresAreComparedAndChartedOnTime() throws {
        let c = Self.comparison([Self.withSystem(Self.fast, step: 50, cpu: 95), Self.withSystem(Self.slow, step: 10, cpu: 40)])
        let s = c.summary(now: nil)
        let memory = try #require(s.metrics.first { $0.id == .system(.memory) })
        #expect(memory.values.map { $0?.last } == [Double(350 << 20), Double(150 << 20)])
        #expect(memory.bestRuns.isEmpty && memory.values.allSatisfy { $0?.best == nil })
        // After every metric, and chartable by name.
        let firstSystem = try #require(s.metrics.firstIndex { $0.id.system })
        #expect(s.metrics[..<firstSystem].allSatisfy { !$0.id.system })
        var ui = CompareUI()
        let found = ui.select(metric: "system/rss_bytes", in: s)
        #expect(found)
        let text = CompareView.render(c, ui: ui, size: Size(width: 80, height: 24), options: RenderOptions()).text
        #expect(text.contains("Chart system/rss_bytes"))
        #expect(text.contains("x: time"), "a system figure has no counter:\n\(text)")
        #expect(text.contains("━ lr=0.01") && text.contains("◆ lr=0.001"))
        #expect(!text.contains("without it"), "both runs have the line:\n\(text)")
    }

    @Test(arguments: [Size(width: 80, height: 24), Size(width: 200, height: 50)])
    func goldenTwoRuns(size: Size) {
        let c = Self.comparison([Self.fast, Self.slow])
        var options = RenderOptions()
        options.now = 1_764_077_000
        let canvas = CompareView.render(c, ui: CompareUI(), size: size, options: options)
        if let problem = Golden.check("compare-2runs-\(size)", canvas.text) { Issue.record("\(problem)") }
        if let problem = Golden.check("roles-compare-2runs-\(size)", ColourRoleGoldenTests.roleMap(canvas)) { Issue.record("\(problem)") }
    }

    @Test func goldenThreeRunsPrinted() {
        let c = Self.comparison([Self.fast, Self.slow, Self.failed])
        var options = RenderOptions()
        options.interactive = false
        var ui = CompareUI()
        ui.selected = 2
        let canvas = CompareView.render(c, ui: ui, size: Size(width: 80, height: 24), options: options)
        if let problem = Golden.check("compare-3runs-80x24-print", canvas.text) { Issue.record("\(problem)") }
        #expect(!canvas.text.contains("sk-live"))
    }

    @Test func anySizeAndAnyRunCountDraws() {
        var runs: [[Event]] = []
        for k in 0..<RunComparison.maxRuns {
            runs.append(Self.run(id: "run-\(k)-0000-0000", params: ["lr": .double(0.1 / Double(k + 1))], start: 1_764_076_800 + Double(k),
                                 epochs: 2, rate: 0.3 + Double(k) / 10, final: k % 2 == 0 ? .completed : nil))
        }
        let c = Self.comparison(runs)
        for (w, h) in [(1, 1), (10, 3), (20, 6), (40, 12), (80, 24), (200, 50)] {
            for ascii in [false, true] {
                var ui = CompareUI()
                ui.firstRun = 3
                let canvas = CompareView.render(c, ui: ui, size: Size(width: w, height: h), options: RenderOptions(ascii: ascii))
                #expect(canvas.width == w && canvas.height == h)
            }
        }
        let wide = CompareView.render(c, ui: CompareUI(), size: Size(width: 200, height: 50), options: RenderOptions())
        // Each run is named in the legend with its own mark.
        for (k, label) in c.summary().labels.enumerated() {
            #expect(wide.text.contains("\(ChartDrawing.mark(k, ascii: false)) \(label)"))
        }
        // No runs at all, or runs with no metrics yet.
        _ = CompareView.render(RunComparison(sources: []), ui: CompareUI(), size: Size(width: 80, height: 24), options: RenderOptions())
        let empty = CompareView.render(RunComparison(sources: ["a", "b"]), ui: CompareUI(), size: Size(width: 80, height: 24),
                                       options: RenderOptions())
        #expect(empty.text.contains("No numeric metrics yet"))
    }
}
