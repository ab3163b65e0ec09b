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
    /// Two states are equal when everything the dashboard can show from them is, and when they go on alike
    /// from the next event: how a state was built (event by event, or from blocks of log lines) must not
    /// matter. Every stored property is compared but those in ``notCompared``; a test lists the stored
    /// properties with `Mirror` and fails when one is in neither list.
    package static func == (lhs: DashboardState, rhs: DashboardState) -> Bool {
        comparisons.allSatisfy { $0.same(lhs, rhs) }
    }

    /// One stored property `==` compares, named by its key path (so the name cannot drift from the property).
    package struct Comparison {
        /// The property's name, as `Mirror` gives it.
        package let property: String
        let same: (DashboardState, DashboardState) -> Bool

        init<Value: Equatable>(_ path: KeyPath<DashboardState, Value>) {
            property = String("\(path)".split(separator: ".").last ?? "")
            same = { $0[keyPath: path] == $1[keyPath: path] }
        }
    }

    /// What `==` compares.
    package static var comparisons: [Comparison] {
        [
            Comparison(\.capacities), Comparison(\.run), Comparison(\.steps), Comparison(\.activeStepIndex),
            Comparison(\.actions), Comparison(\.metrics), Comparison(\.metricRecordCount), Comparison(\.messages),
            Comparison(\.devEvents), Comparison(\.customEvents), Comparison(\.output), Comparison(\.eventCount),
            Comparison(\.unreadableCount), Comparison(\.lastUnreadable), Comparison(\.logGapCount),
            Comparison(\.lostRecordCount), Comparison(\.endSeen), Comparison(\.firstTimestamp),
            Comparison(\.lastTimestamp), Comparison(\.rate), Comparison(\.system), Comparison(\.declaredWeights),
            Comparison(\.declaredTotal), Comparison(\.overallFloor), Comparison(\.actionStepStart),
            Comparison(\.actionFloor), Comparison(\.actionDeclared), Comparison(\.progressSequence),
            Comparison(\.dynamicPoolUsed), Comparison(\.counterStep),
        ]
    }

    /// The stored properties `==` leaves out, and why: each is derived from compared ones or is scratch space.
    package static let notCompared: [String: String] = [
        "stepIndex": "each step's position in steps, by name",
        "metricIndex": "each metric step's position in metrics, by name",
        "lastProgressStep": "a cache of stepIndex's last answer",
        "lastMetricStep": "a cache of metricIndex's last answer",
        "lineReader": "the block reader's name tables: scratch that lasts between calls",
    ]
}
