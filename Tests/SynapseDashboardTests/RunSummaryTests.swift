import Testing
import SynapsePlugins
@testable import SynapseDashboard

/// The run's summary: what the overview pane, `show`'s section and `export` say about a run.
@Suite struct RunSummaryTests {
    func event(_ payload: EventPayload, at t: Double = 100, step: String? = nil, level: LogLevel? = nil) -> Event {
        Event(timestamp: t, step: step, level: level, payload: payload)
    }

    func state(_ events: [Event]) -> DashboardState {
        var s = DashboardState()
        s.apply(events)
        return s
    }

    @Test func bestIsTheMinimumOfALossAndTheMaximumOfAnAccuracyWithTheEpochItCameAt() throws {
        var events = [event(.runStatus(RunStatusUpdate(status: .running, action: "train", jobID: "job-1")), at: 1000)]
        // The loss is lowest at epoch 2 and again (not better) at 4; accuracy peaks at epoch 3.
        let losses = [0.9, 0.5, 0.2, 0.4, 0.2, 0.3]
        let accuracies = [0.5, 0.7, 0.8, 0.91, 0.85, 0.9]
        for epoch in 0..<6 {
            events.append(event(.metrics(["epoch": .int(epoch), "loss": .double(losses[epoch]),
                                          "accuracy": .double(accuracies[epoch]), "learning_rate": 0.001]),
                                at: 1001 + Double(epoch), step: "training"))
        }
        // Validation has no counter of its own: it borrows training's (epoch 5 then).
        events.append(event(.metrics(["val_loss": 0.35]), at: 1007, step: "validation"))
        let summary = RunSummary(state: state(events))
        #expect(summary.metrics.map(\.id.description) == ["training/loss", "training/accuracy", "training/learning_rate",
                                                          "validation/val_loss"])
        let loss = try #require(summary.metrics.first { $0.name == "loss" })
        #expect(loss.goal == .minimum && loss.best == 0.2 && loss.counterName == "epoch" && loss.bestAt == 2)
        #expect(loss.bestSample == 3 && loss.last == 0.3 && loss.min == 0.2 && loss.max == 0.9)
        let accuracy = try #require(summary.metrics.first { $0.name == "accuracy" })
        #expect(accuracy.goal == .maximum && accuracy.best == 0.91 && accuracy.bestAt == 3)
        let rate = try #require(summary.metrics.first { $0.name == "learning_rate" })
        #expect(rate.goal == nil && rate.best == nil && rate.bestAt == nil)
        let validation = try #require(summary.metrics.first { $0.name == "val_loss" })
        #expect(validation.best == 0.35 && validation.counterName == "epoch" && validation.bestAt == 5)
        #expect(loss.bestText == "training/loss 0.2 (min, epoch 2), last 0.3")
    }

    @Test func goalsComeFromTheMetricsName() {
        let lower = ["loss", "val_loss", "train/loss", "trainLoss", "eval.loss", "error_rate", "mse", "val-RMSE", "wer", "perplexity"]
        let higher = ["accuracy", "val_acc", "acc@1", "top1", "f1", "mAP", "eval/bleu", "auc", "mIoU", "score"]
        let neither = ["learning_rate", "lr", "throughput", "grad.norm", "epoch_seconds", "samples"]
        for name in lower { #expect(MetricSummary.Goal.of(name) == .minimum, "\(name)") }
        for name in higher { #expect(MetricSummary.Goal.of(name) == .maximum, "\(name)") }
        for name in neither { #expect(MetricSummary.Goal.of(name) == nil, "\(name)") }
        // A loss wins over anything else in the name.
        #expect(MetricSummary.Goal.of("loss_acc_gap") == .minimum)
    }

    @Test func nonFiniteSamplesAreNeverTheBestAndASeriesWithoutAPlaceFallsBackToTheSample() throws {
        let s = state([
            event(.metrics(["loss": .double(.nan)]), at: 1, step: "fit"),
            event(.metrics(["loss": .double(-.infinity)]), at: 2, step: "fit"),
            event(.metrics(["loss": 0.7]), at: 3, step: "fit"),
            event(.metrics(["loss": .double(.nan)]), at: 4, step: "fit"),
        ])
        let loss = try #require(RunSummary(state: s).metrics.first)
        #expect(loss.best == 0.7 && loss.bestSample == 3 && loss.bestAt == nil && loss.counterName == nil)
        #expect(loss.nonFinite == 3 && loss.last?.isNaN == true)
        #expect(loss.bestText == "fit/loss 0.7 (min, sample 3 of 4), last NaN")
        #expect(loss.json.objectValue?["last"] == .string("NaN"))
    }

    @Test func secretParamsAreMaskedAtAnyDepthAndInAnyCase() throws {
        let params: JSONValue = [
            "epochs": 3, "api_key": "sk-live-123", "AccessToken": "t0k", "nested": ["db_password": "hunter2", "host": "db"],
            "list": .array([["client_secret": "s"], 4]), "keys": ["a", "b"],
        ]
        let summary = RunSummary(state: state([event(.runStatus(RunStatusUpdate(status: .running, action: "a", params: params)))]))
        let text = summary.json.jsonText + summary.lines().joined(separator: "\n")
        for secret in ["sk-live-123", "t0k", "hunter2", "\"s\""] { #expect(!text.contains(secret), "\(secret) in \(text)") }
        let masked = try #require(summary.params?.objectValue)
        #expect(masked["epochs"] == 3 && masked["api_key"] == .string(PluginEnvironment.mask))
        #expect(masked["AccessToken"] == .string(PluginEnvironment.mask))
        #expect(masked["nested"]?.objectValue?["host"] == "db")
        #expect(masked["nested"]?.objectValue?["db_password"] == .string(PluginEnvironment.mask))
        // A member whose name looks secret is masked whole, whatever it holds.
        #expect(masked["keys"] == .string(PluginEnvironment.mask))
        #expect(summary.lines().contains("          api_key: \"********\""))
    }

    @Test func aFailedRunSaysSoFirstWithTheWholeError() {
        let error = RunError(type: "ParamsValidationError", message: "1 validation error\nepochs\n  must be ≥ 1")
        let s = state([
            event(.runStatus(RunStatusUpdate(status: .running, action: "train", jobID: "0f9c-full-id", params: ["epochs": 0])), at: 1000),
            event(.runStatus(RunStatusUpdate(status: .failed, error: error)), at: 1002.5),
        ])
        let summary = RunSummary(state: s, host: "gpu-3")
        #expect(summary.outcome == .failed && summary.duration == 2.5 && summary.error == error)
        #expect(summary.lines() == [
            "train failed after 2.5s (job 0f9c-full-id)",
            "ParamsValidationError: 1 validation error",
            "  epochs",
            "    must be ≥ 1",
            "Started   1970-01-01 00:16:40 to 00:16:42 UTC",
            "Host      gpu-3",
            "Params    epochs: 0",
            "Log       2 records, every line read, nothing dropped",
        ])
        #expect(summary.rows().first?.role == .danger)
    }

    @Test func aLostRunIsLostUntilItHasAFinalStatusAndItsClockStopsAtTheLastBeat() {
        var s = state([
            event(.runStatus(RunStatusUpdate(status: .running, action: "train", jobID: "j")), at: 1000),
            event(.progress(ProgressData(current: 5, total: 50)), at: 1004, step: "training"),
        ])
        let lost = RunSummary(state: s, lostSince: 1010, now: 5000)
        #expect(lost.outcome == .lost && lost.status == .running && lost.lostSince == 1010)
        #expect(lost.ended == 1010 && lost.duration == 10)
        #expect(lost.lines().first == "train lost: no writer since 00:16:50 after 10.0s (job j)")
        #expect(lost.json.objectValue?["status"] == "lost" && lost.json.objectValue?["logged_status"] == "running")
        let running = RunSummary(state: s, now: 1030)
        #expect(running.outcome == .running && running.duration == 30)
        #expect(running.lines().first == "train running for 30.0s (job j)")
        s.apply(event(.runStatus(RunStatusUpdate(status: .cancelled, error: RunError(type: "Cancelled", message: "cancelled by SIGTERM"))), at: 1020))
        let cancelled = RunSummary(state: s, lostSince: 1010)
        #expect(cancelled.outcome == .cancelled && cancelled.lostSince == nil && cancelled.duration == 20)
        #expect(Array(cancelled.lines().prefix(2)) == ["train cancelled after 20.0s (job j)", "Cancelled: cancelled by SIGTERM"])
    }

    @Test func aCompletedRunShowsItsResultAndAPipelineItsActions() {
        let s = state([
            event(.runStatus(RunStatusUpdate(status: .running, action: "pipeline", jobID: "p")), at: 10),
            event(.actionStatus(ActionStatusUpdate(action: "preprocess", index: 0, total: 2, status: .completed)), at: 11),
            event(.actionStatus(ActionStatusUpdate(action: "train", index: 1, total: 2, status: .completed)), at: 12),
            event(.runStatus(RunStatusUpdate(status: .completed, result: ["final_loss": 0.15])), at: 13),
        ])
        let summary = RunSummary(state: s)
        #expect(summary.actions == ["preprocess", "train"] && summary.outcome == .completed && summary.progress == 1)
        let lines = summary.lines()
        #expect(Array(lines.prefix(4)) == ["preprocess, train completed after 3.0s (job p)", #"Result: {"final_loss":0.15}"#,
                                           "Actions   1. preprocess completed", "          2. train completed"])
    }

    @Test func unreadableLinesAndLogGapsAreCounted() {
        var s = state([
            event(.runStatus(RunStatusUpdate(status: .running, action: "a")), at: 1),
            event(.custom(name: "log_gap", data: ["lost": 120, "reason": "No space left on device"]), at: 2, level: .danger),
            event(.custom(name: "log_gap", data: ["lost": 3, "reason": "No space left on device"]), at: 3, level: .danger),
        ])
        s.apply(unreadable: "line 7: not JSON")
        let summary = RunSummary(state: s)
        #expect(summary.unreadableLines == 1 && summary.logGaps == 2 && summary.droppedRecords == 123)
        #expect(summary.lines().contains("Log       3 records, 1 unreadable line, 123 dropped by the writer (2 gaps)"))
        let json = summary.json.objectValue
        #expect(json?["unreadable_lines"] == 1 && json?["log_gaps"] == 2 && json?["dropped_records"] == 123)
        // The record stays in the Events pane too.
        #expect(s.customEvents.count == 2)
    }

    @Test func jsonHasStableKeysAndIsStrict() throws {
        let s = state([
            event(.runStatus(RunStatusUpdate(status: .running, action: "train", jobID: "j", params: ["token": "x", "n": 1])), at: 1),
            event(.metrics(["epoch": 1, "loss": .double(.infinity)]), at: 2, step: "training"),
            event(.runStatus(RunStatusUpdate(status: .failed, error: RunError(type: "E", message: "m"))), at: 3),
        ])
        let json = RunSummary(state: s, host: "h").json
        #expect(json.jsonText == #"{"v":1,"actions":["train"],"status":"failed","job_id":"j","logged_status":"failed","started":1.0,"ended":3.0,"duration":2.0,"host":"h","params":{"token":"********","n":1},"error":{"type":"E","message":"m"},"metrics":[{"step":"training","name":"loss","samples":1,"last":"Infinity","non_finite":1,"goal":"min"}],"events":3,"unreadable_lines":0,"log_gaps":0,"dropped_records":0}"#)
        // Strict JSON: it parses back.
        #expect(try JSONParser.parse(Array(json.jsonText.utf8)) == json)
    }

    @Test func dateTimeIsTheCivilDate() {
        #expect(NumberFormat.dateTime(0) == "1970-01-01 00:00:00")
        #expect(NumberFormat.dateTime(1_796_187_954.8) == "2026-12-02 05:05:54")
        #expect(NumberFormat.dateTime(951_782_400) == "2000-02-29 00:00:00")
        #expect(NumberFormat.dateTime(-1) == "1969-12-31 23:59:59")
        #expect(NumberFormat.dateTime(3600, utcOffset: -7200) == "1969-12-31 23:00:00")
        #expect(NumberFormat.dateTime(.nan) == "----------")
    }
}
