import Foundation
import Testing
import SynapseDashboard
import SynapsePlugins

/// The Python bridge leaves superseded progress values out of a batch (docs/python-plugins.md, "What is
/// recorded for progress"). The same real synapse-sdk run, written flushing after every call and batched on
/// a 25 ms clock (`integrations/python/tests/progress_scenario.py`, whose pytest keeps these copies true),
/// must read the same on the dashboard, and each step's figures must be the SDK's own.
@Suite struct BridgeProgressBatchingTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/console")

    static func events(_ name: String) throws -> [Event] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent(name))
        var decoder = EventLogDecoder()
        let batch = decoder.feed(Array(data))
        #expect(batch.unreadable.isEmpty, "\(name): \(batch.unreadable)")
        return batch.events
    }

    static func state(_ events: [Event]) -> DashboardState {
        var state = DashboardState()
        state.apply(events)
        return state
    }

    /// What the screen and the overall rule read of a step (its update counters aside: fewer updates is
    /// the point).
    static func figures(_ state: DashboardState) -> [String] {
        state.steps.indices.map { i in
            let s = state.steps[i]
            return "\(s.step) \(s.progress) updated \(s.updatedAt) started \(s.startedAt) pass \(s.pass) "
                + "best \(s.bestFraction) reached \(s.reachedTotal) failed \(s.failed) parent \(String(describing: s.parent)) "
                + "weight \(s.weight) declared \(s.declared) done \(state.isStepDone(i)) rate \(String(describing: s.rate)) "
                + "eta \(String(describing: s.eta))"
        }
    }

    static func screen(_ state: DashboardState) -> [Substring] {
        let canvas = DashboardRenderer.render(state, ui: UIState(), size: Size(width: 120, height: 40),
                                              options: RenderOptions(ascii: true))
        // The header counts events (fewer in the batched log); everything under it must be the same.
        return PlainTextRenderer.text(canvas).split(separator: "\n", omittingEmptySubsequences: false).dropFirst().map { $0 }
    }

    @Test func everyValueAndTheBatchedLogReadTheSame() throws {
        let every = try Self.events("bridge-progress-every.jsonl")
        let batched = try Self.events("bridge-progress-batched.jsonl")
        let count = { (events: [Event]) in events.filter { if case .progress = $0.payload { true } else { false } }.count }
        #expect(count(batched) * 5 < count(every), "the scenario must batch most values away: \(count(batched)) of \(count(every))")

        let a = Self.state(every), b = Self.state(batched)
        #expect(Self.figures(b) == Self.figures(a))
        #expect(b.overallFraction == a.overallFraction)
        #expect(Self.screen(b) == Self.screen(a))

        // ... and at every moment the batched log holds a value, the overall figure is the one every value gives.
        var x = DashboardState(), y = DashboardState()
        var i = 0
        for event in batched {
            while i < every.count, every[i] != event {
                x.apply(every[i])
                i += 1
            }
            try #require(i < every.count, "\(event) is not in the every-value log")
            x.apply(every[i])
            i += 1
            y.apply(event)
            #expect(y.overallFraction == x.overallFraction, "after \(event)")
        }
    }

    @Test func eachStepEndsAtTheSDKsFigures() throws {
        struct SDKStep: Decodable { var percent: Double; var elapsed: Double?; var time_remaining: Double?; var status: String }
        struct SDK: Decodable { var steps: [String: SDKStep] }
        let sdk = try JSONDecoder().decode(SDK.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("bridge-progress-sdk.json")))
        let state = Self.state(try Self.events("bridge-progress-batched.jsonl"))
        #expect(state.steps.count == sdk.steps.count)
        for (name, figures) in sdk.steps {
            let step = try #require(state.steps.first { $0.step == (name.isEmpty ? DashboardState.defaultStepName : name) },
                                    "no step \(name)")
            #expect(step.progress.percent == figures.percent, "\(name)")
            #expect(step.progress.elapsed == figures.elapsed, "\(name)")
            #expect(step.progress.timeRemaining == figures.time_remaining, "\(name)")
            #expect(step.failed == (figures.status == "failed"), "\(name)")
        }
    }
}
