import Testing
import SynapsePlugins
@testable import SynapseDashboard

@Suite struct ReducerTests {
    func event(_ payload: EventPayload, at t: Double = 100, step: String? = nil, level: LogLevel? = nil,
               file: String? = nil) -> Event {
        Event(timestamp: t, step: step, level: level, file: file, payload: payload)
    }

    @Test func runStatusSetsRunInfoAndTimes() {
        var s = DashboardState()
        s.apply(event(.runStatus(RunStatusUpdate(status: .pending, action: "train", jobID: "j1")), at: 99))
        #expect(s.run.status == .pending && s.run.startedAt == nil)
        s.apply(event(.runStatus(RunStatusUpdate(status: .running, params: ["epochs": 3])), at: 100))
        #expect(s.run.action == "train" && s.run.jobID == "j1" && s.run.params == ["epochs": 3])
        #expect(s.run.startedAt == 100)
        s.apply(event(.runStatus(RunStatusUpdate(status: .failed, error: RunError(type: "ValueError", message: "bad"))), at: 130))
        #expect(s.run.status == .failed && s.run.endedAt == 130 && s.run.error?.type == "ValueError")
        #expect(s.elapsed(now: 500) == 30)
    }

    @Test func elapsedWhileRunningUsesNowOrLastEvent() {
        var s = DashboardState()
        s.apply(event(.runStatus(RunStatusUpdate(status: .running)), at: 100))
        s.apply(event(.message(Message(content: "x")), at: 110))
        #expect(s.elapsed() == 10)
        #expect(s.elapsed(now: 125) == 25)
    }

    @Test func progressKeepsStepOrderAndActiveStep() {
        var s = DashboardState()
        s.apply(event(.progress(ProgressData(current: 0, total: 10)), at: 1, step: "a"))
        s.apply(event(.progress(ProgressData(current: 1, total: 5)), at: 2, step: "b"))
        s.apply(event(.progress(ProgressData(current: 5, total: 10, elapsed: 2.5)), at: 3, step: "a"))
        #expect(s.steps.map(\.step) == ["a", "b"])
        #expect(s.activeStep?.step == "a")
        #expect(s.steps[0].progress.current == 5)
        #expect(s.steps[0].rate == 2)
        #expect(s.steps[0].eta == 2.5)
        s.apply(event(.progress(ProgressData(current: 1, total: 1))))
        #expect(s.steps.last?.step == DashboardState.defaultStepName)
    }

    @Test func metricsMergePerStepAndKeepHistory() {
        var s = DashboardState()
        s.apply(event(.metrics(["loss": 1.0, "epoch": 1]), step: "training"))
        s.apply(event(.metrics(["loss": 0.5, "note": "warmup"]), step: "training"))
        s.apply(event(.metrics(["loss": 0.7]), step: "validation"))
        #expect(s.metrics.map(\.step) == ["training", "validation"])
        let loss = s.metrics[0].entry(named: "loss")!
        #expect(loss.value == .double(0.5))
        #expect(loss.series?.count == 2 && loss.series?.min == 0.5 && loss.series?.max == 1.0)
        #expect(s.metrics[0].entries.map(\.name) == ["loss", "epoch", "note"])
        #expect(s.metrics[0].entry(named: "note")?.isNumeric == false)
        #expect(s.chartableMetrics.map(\.description) == ["training/loss", "training/epoch", "validation/loss"])
    }

    @Test func metricRecordsBecomeMetricsOfTheirCategory() {
        var s = DashboardState()
        s.apply(event(.metric(MetricRecord(category: "eval", key: "f1", value: 0.9, metrics: ["recall": 0.8]))))
        #expect(s.metricRecordCount == 1)
        #expect(s.metrics.first?.step == "eval")
        #expect(s.metrics.first?.entries.map(\.name) == ["f1", "recall"])
    }

    @Test func messagesDevCustomOutputAndEnd() {
        var s = DashboardState()
        s.apply(event(.message(Message(content: "hello")), level: .warning))
        s.apply(event(.message(Message(content: "no level"))))
        s.apply(event(.devEvent(DevEvent(message: "dbg", data: ["k": 1]))))
        s.apply(event(.custom(name: "checkpoint", data: ["epoch": 5]), file: "/c.pt"))
        s.apply(event(.output(OutputLine(stream: .stderr, text: "oops"))))
        s.apply(event(.end))
        #expect(s.messages.elements.map(\.level) == [.warning, .info])
        #expect(s.devEvents.last?.message == "dbg")
        #expect(s.customEvents.last?.file == "/c.pt" && s.customEvents.last?.name == "checkpoint")
        #expect(s.output.last?.stream == .stderr)
        #expect(s.endSeen)
        #expect(s.eventCount == 6)
    }

    @Test func unknownEventsGoToTheEventsPane() throws {
        var s = DashboardState()
        let decoded = try #require(try EventCodec.decodeLine(#"{"event":"weird_thing","timestamp":5,"data":[1,2]}"#))
        s.apply(decoded)
        #expect(s.customEvents.last?.name == "weird_thing")
        #expect(s.customEvents.last?.data == [1, 2])
    }

    @Test func actionStatusBuildsThePipeline() {
        var s = DashboardState()
        s.apply(event(.actionStatus(ActionStatusUpdate(action: "a", index: 0, total: 3, status: .running)), at: 10))
        s.apply(event(.actionStatus(ActionStatusUpdate(action: "a", index: 0, status: .completed)), at: 12))
        s.apply(event(.actionStatus(ActionStatusUpdate(action: "b", index: 1, status: .failed,
                                                       error: RunError(type: "E", message: "m"))), at: 13))
        #expect(s.actions.count == 3)
        #expect(s.actions.map(\.status) == [.completed, .failed, .pending])
        #expect(s.actions[0].startedAt == 10 && s.actions[0].endedAt == 12)
        #expect(s.actions[1].error?.message == "m")
        // The pipeline bar counts completed actions only.
        #expect(s.overallFraction == 1.0 / 3.0)
        // A nonsensical index is ignored, not a crash or a huge allocation.
        s.apply(event(.actionStatus(ActionStatusUpdate(action: "x", index: 1_000_000, status: .running))))
        s.apply(event(.actionStatus(ActionStatusUpdate(action: "x", index: -1, status: .running))))
        #expect(s.actions.count == 3)
    }

    @Test func malformedLinesAreCountedNotFatal() {
        var decoder = EventLogDecoder()
        var s = DashboardState()
        let log = """
        {"event":"message","timestamp":1,"data":{"content":"ok"}}
        not json
        {"event":"progress","timestamp":2,"data":{"current":"ten","total":3}}
        {"event":"run_status","timestamp":3,"data":{"status":"exploded"}}
        [1,2,3]

        """
        s.apply(decoder.feed(Array(log.utf8)))
        #expect(s.messages.count == 1)
        #expect(s.unreadableCount == 4)
        #expect(s.lastUnreadable?.contains("line 5") == true)
        s.apply(unreadable: "line 9: bad")
        #expect(s.unreadableCount == 5)
    }

    @Test func eventRateFromTimestamps() {
        var s = DashboardState()
        for i in 0..<50 { s.apply(event(.message(Message(content: "m")), at: 1000 + Double(i) / 10)) }
        // 50 events over 5 seconds.
        #expect(s.rate.perSecond() == 10)
        #expect(s.rate.perSecond(now: 1100) == 0)
    }

    @Test func fixturesReduceAsExpected() {
        let training = Fixture.training.state
        #expect(training.run.status == .completed && training.endSeen)
        #expect(training.unreadableCount == 2)
        #expect(training.steps.map(\.step) == ["dataset", "training", "evaluation"])
        #expect(training.customEvents.count == 6)
        let failed = Fixture.failed.state
        #expect(failed.run.status == .failed && failed.run.error?.type == "ConnectionError")
        let pipeline = Fixture.pipeline.state
        #expect(pipeline.actions.map(\.status) == [.completed, .completed, .running, .pending, .pending])
        #expect(pipeline.output.count == 4)
    }
}
