import SynapsePlugins

extension RingBuffer: Equatable where Element: Equatable {
    /// Same capacity, same count of elements ever appended, and the same kept elements in order.
    package static func == (lhs: RingBuffer, rhs: RingBuffer) -> Bool {
        guard lhs.capacity == rhs.capacity, lhs.totalAppended == rhs.totalAppended, lhs.count == rhs.count else {
            return false
        }
        for i in 0..<lhs.count where lhs[position: i] != rhs[position: i] { return false }
        return true
    }
}

extension DashboardState: Equatable {
    /// Two states are equal when everything the dashboard can show from them is: how a state was built
    /// (event by event, or from blocks of log lines) must not matter. Lookup tables and scratch space are
    /// not compared.
    package static func == (lhs: DashboardState, rhs: DashboardState) -> Bool {
        lhs.run == rhs.run && lhs.steps == rhs.steps && lhs.activeStepIndex == rhs.activeStepIndex
            && lhs.actions == rhs.actions && lhs.metrics == rhs.metrics && lhs.metricRecordCount == rhs.metricRecordCount
            && lhs.messages == rhs.messages && lhs.devEvents == rhs.devEvents && lhs.customEvents == rhs.customEvents
            && lhs.output == rhs.output && lhs.eventCount == rhs.eventCount && lhs.unreadableCount == rhs.unreadableCount
            && lhs.lastUnreadable == rhs.lastUnreadable && lhs.endSeen == rhs.endSeen
            && lhs.logGapCount == rhs.logGapCount && lhs.lostRecordCount == rhs.lostRecordCount
            && lhs.firstTimestamp == rhs.firstTimestamp && lhs.lastTimestamp == rhs.lastTimestamp && lhs.rate == rhs.rate
            && lhs.declaredWeights == rhs.declaredWeights && lhs.overallFloor == rhs.overallFloor
            && lhs.actionStepStart == rhs.actionStepStart && lhs.actionFloor == rhs.actionFloor
            && lhs.actionDeclared == rhs.actionDeclared
            && lhs.progressSequence == rhs.progressSequence && lhs.system == rhs.system
    }
}
