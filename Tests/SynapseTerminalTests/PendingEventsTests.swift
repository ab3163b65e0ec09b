import SynapseDashboard
import SynapsePlugins
import Testing
@testable import SynapseTerminal

/// A screen that records what it was given, in order.
struct RecordingScreen: LiveScreen {
    enum Entry: Equatable {
        case event(String)
        case notice(SourceNotice)
    }

    var log: [Entry] = []

    mutating func apply(_ events: ArraySlice<Event>) {
        for e in events { if case .message(let m) = e.payload { log.append(.event(m.content)) } }
    }

    mutating func apply(_ notice: SourceNotice) { log.append(.notice(notice)) }
    mutating func handle(_ key: Key, width: Int, height: Int) -> [LoopCommand] { [] }
    func render(width: Int, height: Int) -> Canvas { Canvas(width: width, height: height) }
    func terminalStyle(for style: Style, mode: ColorMode) -> TerminalStyle { .plain }
    var themeGeneration: Int { 0 }
    var wantsClockTick: Bool { false }
}

@Suite struct PendingEventsTests {
    static func message(_ text: String) -> Event { Event(timestamp: 1, payload: .message(Message(content: text))) }

    @Test func noticesAreAppliedWhereTheyHappenedAcrossDrains() throws {
        let queue = try EventQueue()
        var pending = PendingEvents()
        var screen = RecordingScreen()
        queue.push(Self.message("a"))
        queue.post(.restarted(reason: "truncated"))
        pending.take(from: queue)
        queue.push(Self.message("b"))
        queue.post(.finished)
        pending.take(from: queue)
        #expect(pending.apply(to: &screen, until: .infinity))
        #expect(pending.isEmpty)
        #expect(screen.log == [.event("a"), .notice(.restarted(reason: "truncated")), .event("b"), .notice(.finished)])
    }

    @Test func aPassedDeadlineStillMakesProgressOneSliceAtATime() throws {
        let queue = try EventQueue()
        var pending = PendingEvents()
        var screen = RecordingScreen()
        queue.push(contentsOf: (0..<10).map { Self.message("m\($0)") })
        pending.take(from: queue)
        #expect(pending.apply(to: &screen, until: 0, slice: 4))
        #expect(screen.log.count == 4, "one slice per call once the budget is spent, so keys and frames get a turn")
        #expect(!pending.isEmpty)
        while !pending.isEmpty { _ = pending.apply(to: &screen, until: 0, slice: 4) }
        #expect(screen.log == (0..<10).map { .event("m\($0)") })
    }

    @Test func nothingPendingAppliesNothing() {
        var pending = PendingEvents()
        var screen = RecordingScreen()
        #expect(!pending.apply(to: &screen, until: .infinity))
    }
}
