import Testing
import SynapsePlugins
@testable import SynapseDashboard

@Suite struct MetricEntryTests {
    /// A metric's latest number is kept as a number, anything else as its JSON value: the value shown is the
    /// last one logged whatever its type, and an entry built from a block's numbers equals one built from
    /// events' values.
    @Test func theLatestValueIsWhatWasLoggedLastWhateverItsType() {
        var fromEvents = MetricEntry(name: "loss", value: .int(3))
        var fromBlocks = MetricEntry(name: "loss", value: .int(3))
        #expect(fromEvents.value == .int(3))
        fromEvents.update(.string("warming up"))
        fromBlocks.update(.string("warming up"))
        #expect(fromEvents.value == .string("warming up"))
        #expect(fromEvents.series?.sampleCount == 1, "a string is shown, not charted")
        fromEvents.update(JSONValue.double(0.5), counter: 2, time: 2)
        fromBlocks.update(JSONNumber.double(0.5), counter: 2, time: 2)
        #expect(fromEvents.value == .double(0.5))
        #expect(fromBlocks.value == .double(0.5))
        #expect(fromEvents == fromBlocks)
        fromEvents.update(.null)
        #expect(fromEvents.value == .null)
        #expect(fromEvents != fromBlocks)
        fromEvents.update(JSONValue.int(7), counter: 3, time: 3)
        fromBlocks.update(JSONNumber.int(7), counter: 3, time: 3)
        #expect(fromEvents.value == .int(7))
        #expect(fromEvents == fromBlocks, "a number after a null compares as one after a number")
        #expect(fromEvents.series?.last == 7)
        #expect(fromEvents.series?.sampleCount == 3)
        // A value set as such is stored as an update leaves it: a number as a number.
        var set = fromBlocks
        set.value = .string("x")
        set.value = .int(7)
        #expect(set.value == .int(7))
        #expect(set == fromBlocks)
    }
}
