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

    /// A block of log lines read on the reader's threads.
    static func block(_ texts: [String]) -> LogBlock {
        let bytes = Array(texts.map { EventCodec.encodeString(message($0)) + "\n" }.joined().utf8)
        var reader = LogBlockReader()
        return bytes.withUnsafeBufferPointer { reader.read($0) }
    }

    @Test func blocksOfLinesCountAsTheirLinesAndYieldToTheClockOneAtATime() throws {
        let queue = try EventQueue()
        var pending = PendingEvents()
        var screen = RecordingScreen()
        queue.push(Self.message("a"))
        queue.post(.lines(Self.block(["b", "c"])))
        queue.post(.lines(Self.block(["d", "e", "f"])))
        queue.push(Self.message("g"))
        #expect(queue.count == 2)
        pending.take(from: queue)
        #expect(pending.backlog == 2 + 5, "a block weighs its lines")
        // With the budget spent, each call still applies something, and never more than one block.
        #expect(pending.apply(to: &screen, until: 0))
        #expect(screen.log.count == 1 && pending.backlog == 6, "the events before the first block")
        #expect(pending.apply(to: &screen, until: 0))
        #expect(screen.log.count == 2 && pending.backlog == 4, "then the first block alone")
        while !pending.isEmpty { _ = pending.apply(to: &screen, until: 0) }
        #expect(pending.backlog == 0)
        let blocks = screen.log.compactMap { entry -> [String]? in
            if case .notice(.lines(let b)) = entry { return b.decodedEvents().compactMap { if case .message(let m) = $0.payload { m.content } else { nil } } }
            return nil
        }
        #expect(blocks == [["b", "c"], ["d", "e", "f"]])
        #expect(screen.log.first == .event("a") && screen.log.last == .event("g"))
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
