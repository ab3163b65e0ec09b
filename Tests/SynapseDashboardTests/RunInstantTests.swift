import Testing
@testable import SynapseDashboard
import SynapsePlugins

/// `show --at`: the forms a moment of a run takes, and where each falls on a run.
@Suite struct RunInstantTests {
    @Test func formsParse() throws {
        #expect(try RunInstant(parsing: "50%") == .fraction(0.5))
        #expect(try RunInstant(parsing: "+5m30s") == .offset(330))
        #expect(try RunInstant(parsing: "+1h") == .offset(3600))
        #expect(try RunInstant(parsing: "+1.5s") == .offset(1.5))
        #expect(try RunInstant(parsing: "12:03:41") == .timeOfDay(12 * 3600 + 3 * 60 + 41))
        #expect(try RunInstant(parsing: "12:03") == .timeOfDay(12 * 3600 + 3 * 60))
        #expect(try RunInstant(parsing: "epoch=5") == .counter(name: "epoch", value: 5))
        #expect(try RunInstant(parsing: "2025-11-25T13:20:25Z") == .absolute(1_764_076_825))
        #expect(try RunInstant(parsing: "2025-11-25T14:20:25+01:00") == .absolute(1_764_076_825))
        #expect(try RunInstant(parsing: "2025-11-25 13:20:25.5", utcOffset: 3600) == .absolute(1_764_076_825.5 - 3600))
    }

    @Test(arguments: ["50", "5", "", "%", "120%", "+5", "+5x", "+30s5m", "+5m5m", "25:00", "12:3", "=5", "epoch=",
                      "2025-13-01T00:00:00", "\u{1B}[31m"])
    func badFormsListTheForms(text: String) {
        #expect(throws: RunInstant.ParseError.self) { try RunInstant(parsing: text) }
        let message = (try? RunInstant(parsing: text)).map { _ in "" } ?? RunInstant.ParseError(text: text).description
        #expect(message.contains("50%") && message.contains("+5m30s") && message.contains("12:03:41") && message.contains("epoch=5"))
    }

    @Test func momentsFallOnTheRun() {
        let start = 1_764_076_800.0, end = start + 600
        #expect(RunInstant.fraction(0.5).time(start: start, end: end) == start + 300)
        #expect(RunInstant.offset(330).time(start: start, end: end) == start + 330)
        // 13:25:00 UTC is 5 minutes in; a time of day before the start is the next day's (a run past midnight).
        #expect(RunInstant.timeOfDay(13 * 3600 + 25 * 60).time(start: start, end: end) == start + 300)
        #expect(RunInstant.timeOfDay(60).time(start: start, end: end) == start - 13 * 3600 - 19 * 60 + 86_400)
        // Local time: 14:25 at UTC+1 is the same moment.
        #expect(RunInstant.timeOfDay(14 * 3600 + 25 * 60).time(start: start, end: end, utcOffset: 3600) == start + 300)
        #expect(RunInstant.counter(name: "epoch", value: 3).time(start: start, end: end) == nil)
    }

    @Test func aCounterIsReachedByTheFirstRecordAtItsValue() {
        let instant = RunInstant.counter(name: "epoch", value: 3)
        #expect(!instant.reached(by: Event(payload: .metrics(["epoch": 2, "loss": 0.5]))))
        #expect(instant.reached(by: Event(payload: .metrics(["epoch": 3, "loss": 0.4]))))
        #expect(!instant.reached(by: Event(payload: .metrics(["loss": 0.4]))))
        #expect(!instant.reached(by: Event(payload: .progress(ProgressData(current: 3, total: 5)))))
    }
}
