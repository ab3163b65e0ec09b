import Testing
@testable import SynapseDashboard

/// The block-vs-event tests (LogBlockReduceTests, LogBlockTests) trust `DashboardState.==`: a stored
/// property it forgot would let the two paths differ unseen. So every stored property `Mirror` lists must be
/// compared (`comparisons`, named by their key paths) or left out with a reason (`notCompared`).
@Suite struct DashboardStateEqualityTests {
    @Test func everyStoredPropertyIsComparedOrSaidWhyNot() {
        let stored = Mirror(reflecting: DashboardState()).children.compactMap(\.label)
        #expect(stored.count > 20 && Set(stored).count == stored.count, "\(stored)")
        let compared = DashboardState.comparisons.map(\.property)
        #expect(Set(compared).count == compared.count, "compared twice: \(compared)")
        let skipped = Set(DashboardState.notCompared.keys)
        #expect(Set(compared).isDisjoint(with: skipped), "both compared and left out: \(Set(compared).intersection(skipped))")
        let accounted = Set(compared).union(skipped)
        #expect(Set(stored).subtracting(accounted).isEmpty,
                "stored but neither compared by == nor in notCompared: \(Set(stored).subtracting(accounted).sorted())")
        #expect(accounted.subtracting(stored).isEmpty, "not stored properties: \(accounted.subtracting(stored).sorted())")
    }

    /// `==` notices a change in what a state shows and in what decides how it goes on.
    @Test func equalityNoticesChanges() {
        let empty = DashboardState()
        #expect(empty == DashboardState())
        #expect(Fixture.training.state == Fixture.training.state)
        #expect(Fixture.training.state != empty)
        #expect(DashboardState(capacities: .init(messages: 1)) != empty)
    }
}
