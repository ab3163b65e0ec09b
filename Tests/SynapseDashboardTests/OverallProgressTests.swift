import Testing
import SynapsePlugins
@testable import SynapseDashboard

/// A run of `set_progress` / `set_progress_failed` calls with the overall figure synapse-sdk 2026.2.17's
/// `JobLogger._get_current_progress` gives after each (printed by scripts/sdk-progress-figures.py).
struct SDKScenario {
    enum Call { case set(String, Int, Int), failed(String) }
    let proportions: [String: Double]
    let calls: [Call]
    let figures: [Double]
}

extension SDKScenario {
    static let declaredExport = SDKScenario(
        proportions: ["fetch": 10, "convert_data": 35, "save_files": 55],
        calls: [.set("fetch", 0, 1), .set("fetch", 1, 1), .set("convert_data", 0, 8), .set("convert_data", 1, 8), .set("convert_data", 2, 8), .set("convert_data", 3, 8), .set("convert_data", 4, 8), .set("convert_data", 5, 8), .set("convert_data", 6, 8), .set("convert_data", 7, 8), .set("convert_data", 8, 8), .set("save_files", 0, 6), .set("save_files", 1, 6), .set("save_files", 2, 6), .set("save_files", 3, 6), .set("save_files", 4, 6), .set("save_files", 5, 6), .set("save_files", 6, 6)],
        figures: [0.0, 10.0, 10.0, 14.38, 18.75, 23.12, 27.5, 31.88, 36.25, 40.62, 45.0, 45.0, 54.17, 63.33, 72.5, 81.67, 90.83, 100.0])
    static let declaredTrain = SDKScenario(
        proportions: ["export_dataset": 20, "train": 75, "model_upload": 5],
        calls: [.set("export_dataset", 0, 4), .set("export_dataset", 1, 4), .set("export_dataset", 2, 4), .set("export_dataset", 3, 4), .set("export_dataset", 4, 4), .set("train", 0, 10), .set("train", 1, 10), .set("train", 2, 10), .set("train", 3, 10), .set("train", 4, 10), .set("train", 5, 10), .set("train", 6, 10), .set("train", 7, 10), .set("train", 8, 10), .set("train", 9, 10), .set("train", 10, 10), .set("model_upload", 0, 2), .set("model_upload", 1, 2), .set("model_upload", 2, 2)],
        figures: [0.0, 5.0, 10.0, 15.0, 20.0, 20.0, 27.5, 35.0, 42.5, 50.0, 57.5, 65.0, 72.5, 80.0, 87.5, 95.0, 95.0, 97.5, 100.0])
    static let dynamicSteps = SDKScenario(
        proportions: ["initialize": 5, "analyze": 10, "upload": 70, "cleanup": 15],
        calls: [.set("initialize", 0, 2), .set("initialize", 1, 2), .set("initialize", 2, 2), .set("generate", 0, 4), .set("generate", 1, 4), .set("generate", 2, 4), .set("generate", 3, 4), .set("generate", 4, 4), .set("upload", 0, 5), .set("upload", 1, 5), .set("upload", 2, 5), .set("upload", 3, 5), .set("upload", 4, 5), .set("upload", 5, 5), .set("cleanup", 0, 1), .set("cleanup", 1, 1)],
        figures: [0.0, 2.5, 5.0, 5.0, 16.88, 28.75, 40.62, 52.5, 52.5, 66.5, 80.5, 94.5, 100, 100, 100, 100])
    static let restartingStep = SDKScenario(
        proportions: ["a": 50, "b": 50],
        calls: [.set("a", 0, 4), .set("a", 1, 4), .set("a", 2, 4), .set("a", 3, 4), .set("a", 4, 4), .set("b", 0, 4), .set("b", 1, 4), .set("b", 2, 4), .set("b", 0, 4), .set("b", 1, 4), .set("b", 2, 4), .set("b", 3, 4), .set("b", 4, 4)],
        figures: [0.0, 12.5, 25.0, 37.5, 50.0, 50.0, 62.5, 75.0, 75.0, 75.0, 75.0, 87.5, 100.0])
    static let failedStep = SDKScenario(
        proportions: ["a": 40, "b": 60],
        calls: [.set("a", 0, 2), .set("a", 1, 2), .set("a", 2, 2), .set("b", 0, 4), .set("b", 1, 4), .set("b", 2, 4), .failed("b")],
        figures: [0.0, 20.0, 40.0, 40.0, 55.0, 70.0, 70.0])
    static let outOfOrder = SDKScenario(
        proportions: ["a": 20, "b": 30, "c": 50],
        calls: [.set("c", 0, 2), .set("c", 1, 2), .set("c", 2, 2), .set("a", 0, 2), .set("a", 1, 2), .set("a", 2, 2), .set("b", 0, 3), .set("b", 1, 3), .set("b", 2, 3), .set("b", 3, 3)],
        figures: [0.0, 25.0, 50.0, 50.0, 60.0, 70.0, 70.0, 80.0, 90.0, 100.0])
}

@Suite struct OverallProgressTests {
    static func event(_ payload: EventPayload, at t: Double, step: String? = nil) -> Event {
        Event(timestamp: t, step: step, payload: payload)
    }

    static func declare(_ weights: [String: Double]) -> Event {
        var proportions = JSONObject()
        for (k, v) in weights { proportions[k] = .double(v) }
        return event(.custom(name: "step_proportions", data: .object(["proportions": .object(proportions)])), at: 1)
    }

    /// Replays a scenario; returns the dashboard's figure (percent) after each call.
    static func replay(_ scenario: SDKScenario, complete: Bool) -> [Double] {
        var s = DashboardState()
        s.apply(event(.runStatus(RunStatusUpdate(status: .running, action: "x")), at: 1))
        s.apply(declare(scenario.proportions))
        var last: [String: (Int, Int)] = [:]
        var figures: [Double] = []
        for (k, call) in scenario.calls.enumerated() {
            switch call {
            case .set(let step, let current, let total):
                last[step] = (current, total)
                s.apply(event(.progress(ProgressData(current: current, total: total)), at: Double(2 + k), step: step))
            case .failed(let step):
                // The bridge writes the step's last counts with `status: failed`.
                let (current, total) = last[step] ?? (0, 1)
                s.apply(event(.progress(ProgressData(current: current, total: total, failed: true)), at: Double(2 + k), step: step))
            }
            if complete, k == scenario.calls.count - 1 {
                s.apply(event(.runStatus(RunStatusUpdate(status: .completed)), at: Double(3 + k)))
            }
            figures.append((s.overallFraction ?? 0) * 100)
        }
        return figures
    }

    @Test(arguments: [
        ("declaredExport", SDKScenario.declaredExport), ("declaredTrain", SDKScenario.declaredTrain),
        ("dynamicSteps", SDKScenario.dynamicSteps), ("restartingStep", SDKScenario.restartingStep),
        ("failedStep", SDKScenario.failedStep), ("outOfOrder", SDKScenario.outOfOrder),
    ])
    func sequentialStepsGiveTheSDKFigure(_ name: String, _ scenario: SDKScenario) {
        // While the run is open the figure is the SDK's, except that it says 99.9 % where the SDK already
        // says 100 % (the SDK reaches 100 before the run ends; a dynamic step can overshoot the pool).
        // The SDK rounds its figure to 2 decimals (Python's round, half to even): compare within half a unit.
        let open = Self.replay(scenario, complete: false)
        #expect(open.count == scenario.figures.count)
        for (k, (ours, sdk)) in zip(open, scenario.figures).enumerated() {
            #expect(abs(ours - min(sdk, 99.9)) <= 0.005 + 1e-9, "\(name) call \(k): \(ours) vs the SDK's \(sdk)")
        }
        // Once the run completes, exactly 100 %.
        let completed = Self.replay(scenario, complete: true)
        #expect(completed.last == 100, "\(name)")
    }

    @Test func aFailedStepIsShownFailedAndKeepsItsShare() {
        var s = DashboardState()
        s.apply(Self.declare(["a": 40, "b": 60]))
        s.apply(Self.event(.progress(ProgressData(current: 2, total: 2)), at: 2, step: "a"))
        s.apply(Self.event(.progress(ProgressData(current: 2, total: 4)), at: 3, step: "b"))
        s.apply(Self.event(.progress(ProgressData(current: 2, total: 4, failed: true)), at: 4, step: "b"))
        #expect(s.steps[1].failed)
        #expect(!s.isStepDone(1) && s.isStepDone(0))
        #expect(ProgressPane.condition(of: 1, in: s) == .failed)
        #expect(s.overallFraction == 0.7)
    }

    @Test func failedProgressAndDeclaredWeightsReadTheSameFromLinesAndEvents() throws {
        let events = [Self.declare(["a": 40, "b": 60]),
                      Self.event(.progress(ProgressData(current: 2, total: 4, step: "b", failed: true)), at: 2, step: "b")]
        let text = events.map(EventCodec.encodeString).joined(separator: "\n") + "\n"
        #expect(text.contains(#""status":"failed""#))
        let decoded = try #require(try EventCodec.decodeLine(EventCodec.encodeString(events[1])))
        #expect(decoded == events[1])
        var byEvents = DashboardState()
        byEvents.apply(events)
        var byLines = DashboardState()
        Array(text.utf8).withUnsafeBufferPointer { _ = byLines.ingest(lines: $0, firstLine: 1) }
        #expect(byLines == byEvents)
        #expect(byLines.steps.first?.failed == true && byLines.weightsDeclared)
    }

    @Test func aRestartingStepShowsItsPassNotDoneThenUndone() {
        var s = DashboardState()
        s.apply(Self.event(.progress(ProgressData(current: 5, total: 5)), at: 1, step: "a"))
        for pass in 1...3 {
            for c in 0...3 { s.apply(Self.event(.progress(ProgressData(current: c, total: 3)), at: Double(pass * 10 + c), step: "b")) }
        }
        #expect(s.steps[1].pass == 3)
        #expect(s.steps[1].bestFraction == 1)
    }

    /// The built-in `run train`: training 0...E, a 3-batch validation pass every 5 epochs.
    static func trainEvents(epochs: Int) -> [Event] {
        var events: [Event] = [event(.runStatus(RunStatusUpdate(status: .running, action: "train")), at: 1)]
        var t = 2.0
        func progress(_ c: Int, _ total: Int, _ step: String) {
            events.append(event(.progress(ProgressData(current: c, total: total)), at: t, step: step))
            t += 0.01
        }
        progress(0, epochs, "training")
        for epoch in 1...epochs {
            progress(epoch, epochs, "training")
            if epoch % 5 == 0 || epoch == epochs { for b in 0...3 { progress(b, 3, "validation") } }
        }
        return events
    }

    @Test(arguments: [600, 50, 7, 3])
    func trainingWithValidationPassesStaysWithinFivePointsOfTraining(epochs: Int) throws {
        var s = DashboardState()
        var previous = 0.0
        // The built-in action declares its steps as synapse-sdk's Orchestrator would (TrainAction.execute).
        s.apply(Self.declare(["training": 98, "validation": 2]))
        for e in Self.trainEvents(epochs: epochs) {
            s.apply(e)
            if s.steps.isEmpty { continue }
            let overall = try #require(s.overallFraction)
            let training = try #require(s.steps.first { $0.step == "training" })
            #expect(overall >= previous, "overall went back from \(previous) to \(overall)")
            #expect(abs(overall - training.progress.fraction) <= 0.05,
                    "overall \(overall) vs training \(training.progress.fraction) after \(e)")
            previous = overall
            // Validation runs inside training: shown as its pass, never "done" while training goes on.
            if let v = s.steps.firstIndex(where: { $0.step == "validation" }), !training.reachedTotal {
                #expect(s.steps[v].parent == 0)
                #expect(ProgressPane.condition(of: v, in: s) == .pass(s.steps[v].pass))
                #expect(s.topLevelStepCounts == (0, 1))
            }
        }
        #expect(s.topLevelStepCounts.total == (epochs >= 5 ? 1 : 2))
        s.apply(Self.event(.runStatus(RunStatusUpdate(status: .completed)), at: 1e6))
        #expect(s.overallFraction == 1)
        let v = try #require(s.steps.firstIndex { $0.step == "validation" })
        #expect(s.isStepDone(v) && s.isStepDone(0))
    }

    @Test(arguments: [50, 3])
    func undeclaredTrainingShowsItsStepNotARunPercent(epochs: Int) throws {
        var s = DashboardState()
        for e in Self.trainEvents(epochs: epochs) {
            s.apply(e)
            if s.steps.isEmpty { continue }
            #expect(s.overallFraction == nil, "no weights declared: no run percent")
            let known = try #require(s.stepsDone)
            if !s.steps[0].reachedTotal {
                #expect(known.current == "training" && known.number == 1 && known.done == 0, "\(known)")
                #expect(known.fraction == s.steps[0].progress.fraction)
            }
        }
        s.apply(Self.event(.runStatus(RunStatusUpdate(status: .completed)), at: 1e6))
        #expect(s.overallFraction == 1 && s.stepsDone == nil)
    }

    /// Seen on Tests/Fixtures/training-completed.jsonl (dataset, then training, then evaluation, nothing
    /// declared) at half the run: training 9/20 and "overall 99.9%", held there by the never-backwards floor
    /// through every later step. With the number of steps unknown there is no run percent to show.
    @Test func stepsOneAfterAnotherWithNothingDeclaredShowStepsDoneNotAHeldPercent() throws {
        var decoder = EventLogDecoder()
        var batch = decoder.feed(Fixture.training.bytes)
        let rest = decoder.finish()
        batch.events += rest.events
        var s = DashboardState()
        var sawMiddle = false
        var previousDone = 0
        for e in batch.events {
            s.apply(e)
            guard !s.steps.isEmpty, s.run.status != .completed else { continue }
            #expect(s.overallFraction == nil, "a run percent with nothing declared: \(s.overallFraction ?? -1)")
            let known = try #require(s.stepsDone)
            #expect(known.done >= previousDone, "steps done went back")
            previousDone = known.done
            let training = s.steps.first { $0.step == "training" }
            if training?.progress.current == 9, s.activeStep?.step == "training" {
                sawMiddle = true
                #expect(known == DashboardState.StepsDone(done: 1, current: "training", number: 2, fraction: 0.45))
                let text = PlainTextRenderer.text(DashboardRenderer.render(s, ui: UIState(), size: Size(width: 80, height: 24)))
                #expect(text.contains("overall  1 step done, in step 2: training 45.0%"), "\(text)")
                #expect(text.contains("1 step done, no weights declared"), "\(text)")
                #expect(!text.contains("99.9") && !text.contains("1/2 steps done"), "\(text)")
                let summary = RunSummary(state: s)
                #expect(summary.progress == nil)
                #expect(summary.progressText == "1 step done, in step 2: training 45.0% (no weights declared)")
                let json = summary.json.jsonText
                #expect(json.contains(#""steps_done":1"#) && json.contains(#""current_step":{"name":"training","number":2"#), "\(json)")
                #expect(!json.contains(#""progress""#), "\(json)")
            }
        }
        #expect(sawMiddle)
        #expect(s.overallFraction == 1 && s.topLevelStepCounts == (3, 3))
    }

    @Test func declaredInterleavedWeightsDoNotPinTheFigure() {
        // The SDK pins overall at 80 % on the first validation pass; here validation is part of training.
        var s = DashboardState()
        s.apply(Self.declare(["train": 80, "validation": 20]))
        s.apply(Self.event(.progress(ProgressData(current: 1, total: 10)), at: 2, step: "train"))
        s.apply(Self.event(.progress(ProgressData(current: 3, total: 3)), at: 3, step: "validation"))
        #expect(s.overallFraction == 0.1)
        s.apply(Self.event(.progress(ProgressData(current: 2, total: 10)), at: 4, step: "train"))
        #expect(s.overallFraction == 0.2)
    }

    @Test func aSubStepInsideAnUnfinishedStepDoesNotInflateIt() {
        // Seen: export at 56.7 % plus a 10/10 sub-step showed "overall 78.3 %".
        var s = DashboardState()
        s.apply(Self.declare(["export": 90, "upload_chunk": 10]))
        s.apply(Self.event(.progress(ProgressData(current: 567, total: 1000)), at: 2, step: "export"))
        s.apply(Self.event(.progress(ProgressData(current: 10, total: 10)), at: 3, step: "upload_chunk"))
        #expect(s.overallFraction == 0.567)
        #expect(!s.isStepDone(1))
        // Nothing declared: no run percent, and the sub-step is not a step done.
        var u = DashboardState()
        u.apply(Self.event(.progress(ProgressData(current: 567, total: 1000)), at: 2, step: "export"))
        u.apply(Self.event(.progress(ProgressData(current: 10, total: 10)), at: 3, step: "upload_chunk"))
        #expect(u.overallFraction == nil)
        #expect(u.stepsDone?.text == "in step 1: export 56.7%")
    }

    @Test func aSubStepWhoseParentNeverReturnsBecomesAStepOfItsOwn() {
        var s = DashboardState()
        s.apply(Self.event(.progress(ProgressData(current: 1, total: 2)), at: 2, step: "a"))
        s.apply(Self.event(.progress(ProgressData(current: 4, total: 4)), at: 3, step: "b"))
        #expect(s.steps[1].parent == 0)
        s.apply(Self.event(.progress(ProgressData(current: 0, total: 4)), at: 4, step: "c"))
        #expect(s.steps[1].parent == nil && s.steps[2].parent == nil)
    }

    @Test func pipelineBarCountsCompletedActionsOnly() {
        var s = DashboardState()
        let failed = RunError(type: "E", message: "m")
        s.apply(Self.event(.actionStatus(ActionStatusUpdate(action: "a", index: 0, total: 3, status: .running)), at: 1))
        s.apply(Self.event(.actionStatus(ActionStatusUpdate(action: "a", index: 0, status: .completed)), at: 2))
        s.apply(Self.event(.actionStatus(ActionStatusUpdate(action: "b", index: 1, status: .running)), at: 3))
        var undeclared = s
        s.apply(Self.declare(["b1": 100]))
        s.apply(Self.event(.progress(ProgressData(current: 1, total: 2)), at: 4, step: "b1"))
        #expect(s.overallFraction == 0.5)
        // The running action declared nothing: its share is unknown, so only completed actions count.
        undeclared.apply(Self.event(.progress(ProgressData(current: 1, total: 2)), at: 4, step: "b1"))
        #expect(undeclared.overallFraction == 1.0 / 3.0)
        s.apply(Self.event(.actionStatus(ActionStatusUpdate(action: "b", index: 1, status: .failed, error: failed)), at: 5))
        s.apply(Self.event(.runStatus(RunStatusUpdate(status: .failed, error: failed)), at: 6))
        #expect(s.overallFraction == 1.0 / 3.0)
        let text = PlainTextRenderer.text(DashboardRenderer.render(s, ui: UIState(), size: Size(width: 100, height: 20)))
        #expect(text.contains("pipeline failed"))
    }

    /// Random interleavings of steps, restarts, failures, declarations and pipeline actions: the figure
    /// never goes back while the run is open, and is 1 only once it completed.
    @Test(arguments: 0..<200)
    func theFigureNeverGoesBackwards(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed) &* 7919 &+ 1)
        var s = DashboardState()
        let names = ["a", "b", "c", "d", "e"]
        var counts: [String: (Int, Int)] = [:]
        var previous = 0.0
        var t = 1.0
        if rng.nextUnit() < 0.5 {
            var w: [String: Double] = [:]
            for n in names where rng.nextUnit() < 0.7 { w[n] = Double(Int(rng.nextUnit() * 50) + 1) }
            if !w.isEmpty { s.apply(Self.declare(w)) }
        }
        let pipeline = rng.nextUnit() < 0.3
        var action = 0
        if pipeline {
            s.apply(Self.event(.actionStatus(ActionStatusUpdate(action: "p0", index: 0, total: 3, status: .running)), at: t))
        }
        for _ in 0..<300 {
            t += 1
            let name = names[Int(rng.nextUnit() * Double(names.count))]
            let r = rng.nextUnit()
            if pipeline, r < 0.03, action < 2 {
                s.apply(Self.event(.actionStatus(ActionStatusUpdate(action: "p\(action)", index: action, status: .completed)), at: t))
                action += 1
                s.apply(Self.event(.actionStatus(ActionStatusUpdate(action: "p\(action)", index: action, status: .running)), at: t))
            } else if r < 0.05 {
                let (c, total) = counts[name] ?? (0, 4)
                s.apply(Self.event(.progress(ProgressData(current: c, total: total, failed: true)), at: t, step: name))
            } else {
                var (c, total) = counts[name] ?? (0, Int(rng.nextUnit() * 9) + 1)
                if rng.nextUnit() < 0.1 { c = 0 } else { c = min(total, c + Int(rng.nextUnit() * 3)) }
                counts[name] = (c, total)
                s.apply(Self.event(.progress(ProgressData(current: c, total: total)), at: t, step: name))
            }
            let f = s.overallFraction ?? 0
            #expect(f >= previous, "seed \(seed): \(previous) -> \(f)")
            #expect(f < 1)
            previous = f
        }
        s.apply(Self.event(.runStatus(RunStatusUpdate(status: .completed)), at: t + 1))
        #expect(s.overallFraction == 1)
    }
}

@Suite struct LostWriterHeaderTests {
    @Test func aLostRunSaysSoAndItsClockStops() {
        var s = DashboardState()
        s.apply(Event(timestamp: 1000, payload: .runStatus(RunStatusUpdate(status: .running, action: "train"))))
        s.apply(Event(timestamp: 1010, step: "training", payload: .progress(ProgressData(current: 1, total: 4))))
        var options = RenderOptions(now: 5000)
        options.writerLostSince = 1012
        let text = PlainTextRenderer.text(DashboardRenderer.render(s, ui: UIState(), size: Size(width: 80, height: 12), options: options))
        let header = text.split(separator: "\n").first.map(String.init) ?? ""
        #expect(header.contains(" LOST ") && header.contains("no writer since 00:16:52") && header.contains("0:12"), "\(header)")
        #expect(text.contains("stopped") && !text.contains("ETA"), "\(text)")
        // A final status wins over a lost writer.
        s.apply(Event(timestamp: 1020, payload: .runStatus(RunStatusUpdate(status: .failed, error: RunError(type: "E", message: "m")))))
        let after = PlainTextRenderer.text(DashboardRenderer.render(s, ui: UIState(), size: Size(width: 80, height: 12), options: options))
        #expect(after.contains("FAILED") && !after.contains("LOST"))
    }
}
