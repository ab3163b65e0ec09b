import Testing
@testable import SynapseTerminal

/// When the UI loop looks at the queue: by the clock normally, at once while catching up, never with a
/// full backlog.
@Suite struct QueueCadenceTests {
    static let max = 100_000

    @Test func aFreshLoopLooksAtOnceThenWaitsForTheClock() {
        var cadence = QueueCadence(drainInterval: 0.1)
        #expect(cadence.isDue(now: 5, backlog: 0, maxBacklog: Self.max))
        cadence.took(10, at: 5)
        #expect(!cadence.isCatchingUp)
        #expect(!cadence.isDue(now: 5.05, backlog: 0, maxBacklog: Self.max))
        #expect(cadence.isDue(now: 5.1, backlog: 0, maxBacklog: Self.max))
    }

    @Test func aBigLookMakesItLookAgainAtOnce() {
        var cadence = QueueCadence(drainInterval: 0.1)
        cadence.took(QueueCadence.bigTake, at: 5)
        #expect(cadence.isCatchingUp)
        #expect(cadence.isDue(now: 5.001, backlog: 0, maxBacklog: Self.max))
        // ...once most of what it took is reduced; before that, the clock decides.
        #expect(!cadence.isDue(now: 5.001, backlog: Self.max / 4, maxBacklog: Self.max))
        #expect(cadence.isDue(now: 5.1, backlog: Self.max / 4, maxBacklog: Self.max))
    }

    @Test func aSmallLookBetweenTwoBlocksDoesNotEndCatchingUp() {
        var cadence = QueueCadence(drainInterval: 0.1)
        cadence.took(1_600, at: 5)
        cadence.took(1, at: 5.001)  // a notice between two blocks of a log
        #expect(cadence.isDue(now: 5.002, backlog: 0, maxBacklog: Self.max))
        cadence.took(1_600, at: 5.003)
        for look in 1..<QueueCadence.looksToSettle {
            cadence.took(0, at: 5.003 + Double(look) * 0.001)
            #expect(cadence.isCatchingUp, "look \(look)")
        }
        cadence.took(0, at: 5.01)
        #expect(!cadence.isCatchingUp)
        #expect(!cadence.isDue(now: 5.02, backlog: 0, maxBacklog: Self.max))
    }

    @Test func neverWithAFullBacklog() {
        var cadence = QueueCadence(drainInterval: 0.1)
        cadence.took(50_000, at: 5)
        #expect(!cadence.isDue(now: 9, backlog: Self.max, maxBacklog: Self.max))
        #expect(cadence.isDue(now: 9, backlog: Self.max - 1, maxBacklog: Self.max))
    }
}
