import Foundation
import Testing
import SynapsePlugins
@testable import SynapseDashboard

/// The chart: which series, on which x axis, drawn how — as data, then as golden text and colour roles.
@Suite struct ChartTests {
    /// 10 epochs x 30 batches of `training` (loss, accuracy, grad.norm; one NaN loss in epoch 6) and one
    /// `validation` record per epoch (val_loss, val_accuracy) without an epoch of its own.
    static var trainValNaN: DashboardState {
        let url = Repo.fixtures.appendingPathComponent("train-val-nan.jsonl")
        var decoder = EventLogDecoder()
        var state = DashboardState()
        state.apply(decoder.feed([UInt8]((try? Data(contentsOf: url)) ?? Data())))
        state.apply(decoder.finish())
        return state
    }

    func event(_ payload: EventPayload, at t: Double = 100, step: String? = nil) -> Event {
        Event(timestamp: t, step: step, payload: payload)
    }

    // MARK: x axis

    @Test func theRunsCounterIsTheXAxisAndTrainAndValidationShareIt() throws {
        let data = try #require(ChartData.make(state: Self.trainValNaN, ui: UIState()))
        #expect(data.axis == .counter("epoch"))
        #expect(data.lines.map(\.id.description) == ["training/loss", "validation/val_loss"])
        #expect(data.xLowLabel == "1" && data.xHighLabel == "10")
        // Validation (no epoch of its own) sits at whole epochs; training's batches fill (e-1, e] in order.
        #expect(data.lines[1].points.map(\.x) == (1...10).map(Double.init))
        let xs = data.lines[0].points.map(\.x)
        #expect(zip(xs, xs.dropFirst()).allSatisfy { $0 < $1 }, "in order, none collapsed")
        #expect(xs.first! > 0 && xs.first! < 0.1 && xs.last == 10)
        // Every sample is there (down-sampled into buckets, none dropped).
        #expect(data.lines[0].points.reduce(0) { $0 + $1.finite } == 299 && data.lines[0].nanCount == 1)
    }

    @Test func samplesSharingACounterValueAreSpreadInOrder() {
        var series = MetricSeries()
        for c in [3.0, 3, 3, 4, 4, 4, 5] { series.append(1, counter: c, time: 1) }
        // Epoch 4 ends at 4; the 5th epoch has one batch so far, a third of an epoch wide.
        let xs = ChartData.counterPositions(series.buckets)
        let expected = [7.0 / 3, 8.0 / 3, 3, 10.0 / 3, 11.0 / 3, 4, 13.0 / 3]
        #expect(zip(xs, expected).allSatisfy { abs($0 - $1) < 1e-9 }, "\(xs)")
        // One sample per value: exactly at the value. Unknown counters take the nearest known one.
        var sparse = MetricSeries()
        for c in [Double.nan, 1, 2, .nan, 5, 6] { sparse.append(1, counter: c, time: 1) }
        #expect(ChartData.counterPositions(sparse.buckets) == [0.5, 1, 1.5, 2, 5, 6])
    }

    @Test func withoutACounterTheAxisIsTimeThenSampleNumber() throws {
        var s = DashboardState()
        s.apply(event(.runStatus(RunStatusUpdate(status: .running)), at: 100))
        for i in 0..<5 { s.apply(event(.metrics(["loss": .double(Double(5 - i))]), at: 100 + Double(i) * 30, step: "training")) }
        let data = try #require(ChartData.make(state: s, ui: UIState()))
        #expect(data.axis == .relativeTime)
        #expect(data.xLowLabel == "0:00" && data.xHighLabel == "2:00")
        var wall = UIState()
        wall.chartXAxis = .wallTime
        #expect(ChartData.make(state: s, ui: wall)?.xHighLabel == "00:03:40")
        // No timestamps at all: the sample number.
        var untimed = DashboardState()
        for i in 0..<3 { untimed.apply(event(.metrics(["loss": .double(Double(i))]), at: 0, step: "training")) }
        let plain = try #require(ChartData.make(state: untimed, ui: UIState()))
        #expect(plain.axis == .sample && plain.xLowLabel == "1" && plain.xHighLabel == "3")
    }

    @Test func seriesOnDifferentCountersShareTime() throws {
        var s = DashboardState()
        s.apply(event(.metrics(["step": 1, "loss": 1]), at: 101, step: "training"))
        s.apply(event(.metrics(["epoch": 1, "loss": 2]), at: 102, step: "validation"))
        let data = try #require(ChartData.make(state: s, ui: UIState()))
        #expect(data.lines.count == 2 && data.axis == .relativeTime)
    }

    // MARK: several series

    @Test func overlaysAreTheTwinsAndTheMarkedMetrics() {
        let state = Self.trainValNaN
        var ui = UIState()
        #expect(ChartData.lineIDs(state: state, ui: ui).map(\.description) == ["training/loss", "validation/val_loss"])
        ui.selectedMetric = MetricID(step: "validation", name: "val_accuracy")
        #expect(ChartData.lineIDs(state: state, ui: ui).map(\.description) == ["validation/val_accuracy", "training/accuracy"])
        // Space marks the charted metric; it stays when m moves on.
        ui.handle(.char(" "), state: state, context: KeyContext(screen: Size(width: 80, height: 24)))
        ui.selectedMetric = MetricID(step: "training", name: "grad.norm")
        #expect(ChartData.lineIDs(state: state, ui: ui).map(\.description) == ["training/grad.norm", "validation/val_accuracy"])
        ui.handle(.char(" "), state: state, context: KeyContext(screen: Size(width: 80, height: 24)))
        #expect(ui.markedMetrics.count == 2)
        ui.selectedMetric = MetricID(step: "training", name: "loss")
        #expect(ChartData.lineIDs(state: state, ui: ui).count == ChartData.maxLines)
        // The same metric across steps and log_metric categories.
        var s = DashboardState()
        s.apply(event(.metrics(["epoch": 1, "loss": 1]), step: "train"))
        s.apply(event(.metric(MetricRecord(category: "train", key: "epoch", value: 1, metrics: ["loss": 0.9]))))
        #expect(ChartData.lineIDs(state: s, ui: UIState()).map(\.description) == ["train/loss", "train[metric]/loss"])
        #expect(ChartData.make(state: s, ui: UIState())?.lines.map(\.label) == ["train", "train[metric]"])
    }

    // MARK: reading aids

    @Test func smoothingIsTensorBoardsDebiasedMovingAverage() throws {
        var points = [1.0, 1, 1, 4].map { ChartData.Point(x: 0, min: $0, max: $0, mean: $0, finite: 1, nonFinite: [], smoothed: $0) }
        points.insert(ChartData.Point(x: 0, min: .infinity, max: -.infinity, mean: .nan, finite: 0, nonFinite: .nan, smoothed: .nan), at: 2)
        ChartData.smooth(&points)
        // Debiased: a constant stays constant from the first point; a NaN passes through.
        #expect(points[0].smoothed == 1 && abs(points[1].smoothed - 1) < 1e-12 && points[2].smoothed.isNaN)
        let w = ChartData.smoothingWeight
        let expected = ((1 - w) * (w * w * w + w * w + w) + (1 - w) * 4) / (1 - pow(w, 4))
        #expect(abs(points[4].smoothed - expected) < 1e-9)
    }

    @Test func logScaleNeedsPositiveValues() throws {
        var ui = UIState()
        ui.chartLogScale = true
        let data = try #require(ChartData.make(state: Self.trainValNaN, ui: ui))
        #expect(data.log && abs(data.yHigh - log10(2.299)) < 0.01)
        var s = DashboardState()
        s.apply(event(.metrics(["step": 1, "loss": -1]), step: "training"))
        s.apply(event(.metrics(["step": 2, "loss": 1]), step: "training"))
        let refused = try #require(ChartData.make(state: s, ui: ui))
        #expect(!refused.log && refused.logRefused)
    }

    @Test func zoomShowsTheLastSamples() throws {
        var ui = UIState()
        ui.chartZoom = 50
        let data = try #require(ChartData.make(state: Self.trainValNaN, ui: ui))
        let samples = data.lines[0].points.reduce(0) { $0 + $1.finite + ($1.nonFinite.isEmpty ? 0 : 1) }
        #expect(samples >= 50 && samples <= 52)
        #expect(data.lines[1].points.map(\.x) == [9, 10])
    }

    @Test func yLabelsKeepOneWidthWhateverTheValues() {
        func axisColumn(_ values: [Double]) -> Int? {
            var s = DashboardState()
            for (i, v) in values.enumerated() { s.apply(event(.metrics(["step": .int(i), "loss": .double(v)]), step: "t")) }
            var canvas = Canvas(width: 50, height: 8)
            ChartPane(context: PaneContext(state: s, ui: UIState(), options: RenderOptions())).draw(into: &canvas, in: canvas.bounds)
            return (0..<50).first { canvas[$0, 1].character == "┤" }
        }
        let columns = [[2.293, 1], [12.293, 0.5], [951, 0.0013], [-0.000012, 0.00001], [1e9, 1]].map(axisColumn)
        #expect(Set(columns).count == 1 && columns[0] != nil, "\(columns)")
    }

    @Test func envelopesKeepTheTrueExtremes() throws {
        var s = DashboardState()
        for i in 0..<100_000 {
            let spike = i == 77_777 ? 50.0 : 0
            s.apply(event(.metrics(["step": .int(i), "loss": .double(1 + Double(i % 10) / 10 + spike)]), step: "t"))
        }
        let data = try #require(ChartData.make(state: s, ui: UIState()))
        #expect(data.lines[0].points.count <= MetricSeries.bucketCapacity)
        #expect(abs((data.lines[0].points.map(\.max).max() ?? 0) - 51.7) < 1e-9)
        #expect(data.lines[0].points.map(\.min).min() == 1)
        var canvas = Canvas(width: 60, height: 12)
        ChartPane(context: PaneContext(state: s, ui: UIState(), options: RenderOptions())).draw(into: &canvas, in: canvas.bounds)
        let styles = Set((0..<60).flatMap { x in (0..<12).map { canvas[x, $0].style } })
        #expect(styles.contains(Style(.chart, .dim)) && styles.contains(Style(.chart)), "envelope faint, mean line strong")
        #expect(canvas.text.contains("51.7"), "the spike is the top label")
    }

    @Test func chartKeysToggleAndSayWhatTheyDid() {
        let state = Self.trainValNaN
        let context = KeyContext(screen: Size(width: 80, height: 24))
        var ui = UIState()
        ui.handle(.char("x"), state: state, context: context)
        #expect(ui.chartXAxis == .relativeTime && ui.notice == "Chart x axis: time since start")
        ui.handle(.char("x"), state: state, context: context)
        ui.handle(.char("x"), state: state, context: context)
        #expect(ui.chartXAxis == .counter)
        ui.handle(.char("L"), state: state, context: context)
        ui.handle(.char("s"), state: state, context: context)
        #expect(ui.chartLogScale && ui.chartSmoothing)
        ui.handle(.char("z"), state: state, context: context)
        #expect(ui.chartZoom == 200)
        ui.handle(.char("z"), state: state, context: context)
        ui.handle(.char("z"), state: state, context: context)
        #expect(ui.chartZoom == nil && ui.notice == "Chart: the whole run")
        ui.handle(.char(" "), state: state, context: context)
        #expect(ui.markedMetrics == [MetricID(step: "training", name: "loss")])
        ui.handle(.char(" "), state: state, context: context)
        #expect(ui.markedMetrics.isEmpty)
        // Every chart key is in the help.
        for key in ["Space", "x", "L / s", "z"] { #expect(KeyHelp.entries.contains { $0.keys == key }) }
    }

    /// Bad input never crashes: extreme and non-finite values, counters and timestamps, at every size.
    @Test func extremeValuesNeverTrap() {
        var rng = SplitMix64(seed: 0xC4A7)
        let values: [Double] = [1e308, -1e308, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude,
                                0, -0.0, .nan, .infinity, -.infinity, 1, -1, 1e-300]
        for trial in 0..<40 {
            var s = DashboardState()
            for i in 0..<(1 + rng.below(400)) {
                let t = rng.pick([0.0, -5, 1e12, .infinity, .nan, 1_764_076_800 + Double(i)])
                var metrics: JSONObject = ["loss": .double(rng.pick(values)), "val_loss": .double(rng.pick(values))]
                if rng.below(2) == 0 { metrics[rng.pick(["epoch", "step", "global_step"])] = .double(rng.pick(values + [1, 2, 3])) }
                s.apply(event(.metrics(metrics), at: t, step: rng.pick(["training", "validation"])))
                if rng.below(20) == 0 {
                    s.apply(event(.metric(MetricRecord(category: "c", key: "epoch", value: .double(rng.pick(values)), metrics: ["loss": .double(rng.pick(values))])), at: t))
                }
            }
            var ui = UIState()
            ui.chartXAxis = ChartXAxis.allCases[trial % 3]
            ui.chartLogScale = trial % 2 == 0
            ui.chartSmoothing = trial % 4 < 2
            ui.chartZoom = ChartData.zoomSteps[trial % 3]
            ui.markedMetrics = [MetricID(step: "c", name: "loss", category: true)]
            for size in [Size(width: 200, height: 50), Size(width: 80, height: 24), Size(width: 13, height: 3), Size(width: 40, height: 12)] {
                for ascii in [false, true] {
                    let canvas = DashboardRenderer.render(s, ui: ui, size: size, options: RenderOptions(ascii: ascii))
                    #expect(canvas.height == size.height)
                    var chart = Canvas(width: size.width, height: size.height, asciiOnly: ascii)
                    ChartPane(context: PaneContext(state: s, ui: ui, options: RenderOptions(ascii: ascii))).draw(into: &chart, in: chart.bounds)
                }
            }
        }
    }

    // MARK: golden charts (text and colour roles)

    /// One letter per cell for its role (capital: dim), blank for blank cells.
    static func roles(_ canvas: Canvas) -> String {
        let letters: [Role: Character] = [.normal: ".", .muted: "m", .title: "t", .border: "b", .focus: "f", .accent: "a",
                                          .keyHint: "k", .info: "i", .warning: "w", .success: "s", .danger: "d", .dev: "v",
                                          .barDone: "=", .barTodo: "-", .tableHeader: "h", .chart: "c", .highlight: "g",
                                          .selection: "S"]
        var lines: [String] = []
        for y in 0..<canvas.height {
            var line = ""
            for x in 0..<canvas.width {
                let cell = canvas[x, y]
                if cell.character == " " && cell.style == .normal { line.append(" "); continue }
                let c = letters[cell.style.role] ?? "?"
                line.append(cell.style.attributes.contains(.dim) ? Character(c.uppercased()) : c)
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    func chart(_ state: DashboardState, _ ui: UIState = UIState(), _ size: Size, ascii: Bool = false) -> String {
        var canvas = Canvas(width: size.width, height: size.height, asciiOnly: ascii)
        ChartPane(context: PaneContext(state: state, ui: ui, options: RenderOptions(ascii: ascii))).draw(into: &canvas, in: canvas.bounds)
        return canvas.text + "\n-- roles\n" + Self.roles(canvas)
    }

    func table(_ state: DashboardState, _ size: Size, ascii: Bool = false) -> String {
        var state = state
        state.apply(event(.metric(MetricRecord(category: "eval", key: "epoch", value: 7, metrics: ["f1": .double(-.infinity)]))))
        var ui = UIState()
        ui.markedMetrics = [MetricID(step: "eval", name: "f1", category: true), MetricID(step: "training", name: "accuracy")]
        var canvas = Canvas(width: size.width, height: size.height, asciiOnly: ascii)
        MetricsPane(context: PaneContext(state: state, ui: ui, options: RenderOptions(ascii: ascii))).draw(into: &canvas, in: canvas.bounds)
        return canvas.text + "\n-- roles\n" + Self.roles(canvas)
    }

    @Test func goldenCharts() {
        let state = Self.trainValNaN
        var smoothLog = UIState()
        smoothLog.chartSmoothing = true
        smoothLog.chartLogScale = true
        var zoomTime = UIState()
        zoomTime.chartZoom = 50
        zoomTime.chartXAxis = .relativeTime
        var nested = UIState()
        nested.selectedMetric = MetricID(step: "training", name: "grad.norm")
        var category = DashboardState()
        for e in 1...6 {
            category.apply(event(.metric(MetricRecord(category: "eval", key: "epoch", value: .int(e),
                                                      metrics: ["f1": .double(0.5 + Double(e) / 20), "recall": e == 4 ? .double(.infinity) : .double(0.6)]))))
        }
        var categoryUI = UIState()
        categoryUI.selectedMetric = MetricID(step: "eval", name: "recall", category: true)
        var allNaN = DashboardState()
        for i in 0..<3 { allNaN.apply(event(.metrics(["step": .int(i), "loss": .double(.nan)]), step: "t")) }
        let sections: [(String, String)] = [
            ("loss and val_loss by epoch, a NaN 60x14", chart(state, UIState(), Size(width: 60, height: 14))),
            ("smoothed, log scale 80x14", chart(state, smoothLog, Size(width: 80, height: 14))),
            ("last 50 samples by time, ascii 80x12", chart(state, zoomTime, Size(width: 80, height: 12), ascii: true)),
            ("nested grad.norm 50x8", chart(state, nested, Size(width: 50, height: 8))),
            ("log_metric category with +inf 40x8", chart(category, categoryUI, Size(width: 40, height: 8))),
            ("only NaN 40x5", chart(allNaN, UIState(), Size(width: 40, height: 5))),
            ("metrics table: NaN counted, -inf as min, marked row 72x11", table(category, Size(width: 72, height: 11))),
            ("metrics table 44x11 ascii", table(state, Size(width: 44, height: 11), ascii: true)),
        ]
        let text = sections.map { "== \($0.0)\n\($0.1)" }.joined(separator: "\n")
        if let problem = Golden.check("charts", text) { Issue.record("\(problem)") }
    }
}
