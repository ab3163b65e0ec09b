import Foundation
import Testing
@testable import SynapseDashboard
import SynapsePlugins

/// The time cursor's timeline: the state after any prefix equals reducing that prefix from scratch.
@Suite struct RunTimelineTests {
    static func events() -> [Event] {
        let url = Repo.fixtures.appendingPathComponent("training-completed.jsonl")
        var decoder = EventLogDecoder()
        var batch = decoder.feed([UInt8]((try? Data(contentsOf: url)) ?? Data()))
        batch.events += decoder.finish().events
        return batch.events
    }

    /// A fixture without NaN metrics: `==` says a metric whose latest value is NaN differs from itself
    /// (JSON's NaN is not equal to NaN) once two states no longer share storage.
    static func same(_ a: DashboardState, _ b: DashboardState) -> Bool { a == b }

    @Test func everyPrefixIsTheReducedPrefix() throws {
        let events = Self.events()
        try #require(events.count > 100)
        // A small interval so moves cross checkpoints; every prefix, then backwards against fresh reductions.
        let timeline = RunTimeline(events: events, interval: 7)
        var state = DashboardState()
        var bad: [Int] = []
        for count in 0...events.count {
            if count > 0 { state.apply(events[count - 1]) }
            if !Self.same(timeline.state(after: count), state) { bad.append(count) }
        }
        #expect(bad.isEmpty, "prefixes that differ: \(bad)")
        for count in stride(from: events.count, through: 0, by: -13) {
            var fresh = DashboardState()
            fresh.apply(events[0..<count])
            #expect(Self.same(timeline.state(after: count), fresh), "after \(count) events")
        }
        #expect(Self.same(timeline.state(after: events.count + 10), state))
    }

    @Test func countAtATime() {
        let events = Self.events()
        let timeline = RunTimeline(events: events)
        let t = events[99].timestamp
        #expect(timeline.count(at: t) == (events.lastIndex { $0.timestamp <= t }.map { $0 + 1 } ?? 0))
        #expect(timeline.count(at: 0) == 0)
        #expect(timeline.count(at: .infinity) == events.count)
    }
}
