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

    // MARK: A timeline over the log (only checkpoints in memory)

    /// The fixture's lines with what a real log can hold besides: unreadable lines, blank lines and a
    /// `log_gap` record.
    static func logLines() throws -> [String] {
        let url = Repo.fixtures.appendingPathComponent("training-completed.jsonl")
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let t80 = try #require(try EventCodec.decodeLine(lines[80])).timestamp
        lines.insert(#"{"v":1,"event":"log_gap","timestamp":\#(t80),"level":"danger","data":{"lost":5,"reason":"disk full"}}"#, at: 81)
        lines.insert("{broken", at: 60)
        lines.insert("", at: 60)
        lines.insert("not json at all", at: 30)
        lines.insert("   ", at: 10)
        return lines
    }

    static func write(_ lines: [String], to path: String, append: Bool = false) throws {
        let text = lines.map { $0 + "\n" }.joined()
        if append, let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
            try handle.close()
        } else {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }
    }

    static func tempLog() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("timeline-\(UUID().uuidString).jsonl").path
    }

    /// The state after the first `records` non-blank lines, read as the live readers read a log.
    static func fresh(_ lines: [String], records: Int) -> DashboardState {
        var taken: [String] = []
        var n = 0
        for line in lines {
            if n == records { break }
            taken.append(line)
            if !line.trimmingCharacters(in: .whitespaces).isEmpty { n += 1 }
        }
        var state = DashboardState()
        let bytes = Array(taken.map { $0 + "\n" }.joined().utf8)
        bytes.withUnsafeBufferPointer { _ = state.ingest(lines: $0, firstLine: 1) }
        return state
    }

    @Test func everyPrefixOfALogIsTheReducedPrefix() throws {
        let lines = try Self.logLines()
        let path = Self.tempLog()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.write(lines, to: path)
        // A small interval and few checkpoints, so moves cross checkpoints and the interval doubles.
        var timeline = RunTimeline(origin: .log(path: path), interval: 5, maxCheckpoints: 4)
        timeline.catchUp()
        let records = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count
        #expect(timeline.count == records)
        #expect(timeline.checkpointCount <= 4)
        #expect(timeline.interval > 5, "the interval doubled to keep at most 4 checkpoints")
        var bad: [Int] = []
        for n in 0...records where !Self.same(timeline.state(after: n), Self.fresh(lines, records: n)) { bad.append(n) }
        #expect(bad.isEmpty, "prefixes that differ: \(bad)")
        let end = timeline.state(after: records)
        #expect(end.unreadableCount == 4, "the fixture's 2 and the 2 added")
        #expect(end.logGapCount == 1 && end.lostRecordCount == 5)
    }

    @Test func thePastKeepsUnreadableLinesAndGapsAsTheyWereThen() throws {
        let lines = try Self.logLines()
        let path = Self.tempLog()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.write(lines, to: path)
        var timeline = RunTimeline(origin: .log(path: path), interval: 8)
        timeline.catchUp()
        let time = { (i: Int) throws -> Double in try #require(try EventCodec.decodeLine(lines[i])).timestamp }
        // Before the fixture's unreadable lines 14 and 15, after the one added as line 32, and after the
        // log_gap record (line 85).
        let early = timeline.state(at: try time(11))
        #expect(early.unreadableCount == 0 && early.logGapCount == 0)
        let middle = timeline.state(at: try time(40))
        #expect(middle.unreadableCount == 3 && middle.logGapCount == 0)
        #expect(middle.lastUnreadable?.contains("line 32") == true, "\(middle.lastUnreadable ?? "nil")")
        let late = timeline.state(at: try time(90))
        #expect(late.unreadableCount == 4 && late.logGapCount == 1 && late.lostRecordCount == 5)
        // The state at a time is the prefix up to the first record later than it.
        let n = timeline.count(at: try time(40))
        #expect(Self.same(middle, timeline.state(after: n)))
        #expect(Self.same(middle, Self.fresh(lines, records: n)))
    }

    @Test func aGrowingLogIsExtendedNotRebuilt() throws {
        let lines = try Self.logLines()
        let path = Self.tempLog()
        defer { try? FileManager.default.removeItem(atPath: path) }
        // The first half, with the last line cut short (a writer mid-line): it waits for its newline.
        let half = lines.count / 2
        try Self.write(Array(lines[..<half]), to: path)
        let partial = lines[half].prefix(20)
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(Data(partial.utf8))
            try handle.close()
        }
        var growing = RunTimeline(origin: .log(path: path), interval: 6)
        growing.catchUp()
        let firstCount = growing.count
        #expect(Self.same(growing.state(after: firstCount), Self.fresh(Array(lines[..<half]), records: firstCount)))
        let rest = String(lines[half].dropFirst(20))
        try Self.write([rest] + Array(lines[(half + 1)...]), to: path, append: true)
        growing.catchUp()
        var whole = RunTimeline(origin: .log(path: path), interval: 6)
        whole.catchUp()
        #expect(growing.count == whole.count && growing.count > firstCount)
        #expect(growing.checkpointCount == whole.checkpointCount)
        for n in stride(from: 0, through: whole.count, by: 3) {
            #expect(Self.same(growing.state(after: n), whole.state(after: n)), "after \(n) records")
        }
        // A log replaced by a shorter one is read again from its start.
        try Self.write(Array(lines[..<10]), to: path)
        growing.catchUp()
        #expect(growing.count == 10)
        #expect(Self.same(growing.state(after: growing.count), Self.fresh(Array(lines[..<10]), records: .max)))
    }

    @Test func anOverlongLineIsOneUnreadableLineNeverHeld() throws {
        let lines = try Self.logLines()
        let path = Self.tempLog()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let long = String(repeating: "x", count: EventCodec.maxLineBytes + 1_000)
        try Self.write(Array(lines[..<20]) + [long] + Array(lines[20...]), to: path)
        var timeline = RunTimeline(origin: .log(path: path), interval: 4)
        timeline.catchUp()
        let end = timeline.state(after: timeline.count)
        #expect(end.unreadableCount == 5, "the log's 4 and the long line")
        #expect(end.eventCount == Self.fresh(lines, records: .max).eventCount)
        let t = try #require(try EventCodec.decodeLine(lines[25])).timestamp
        #expect(timeline.state(at: t).unreadableCount == 3, "lines 14, 15 and the long line 21")
    }

    // MARK: A timeline in memory (a Ray job), bounded

    @Test func inMemoryOnlyTheLatestRecordsAreHeld() throws {
        let events = Self.events()
        var timeline = RunTimeline(origin: .memory, interval: 4, maxCheckpoints: 12, maxHeld: 24)
        for (i, event) in events.enumerated() {
            timeline.append(event)
            if i == 50 { timeline.append(unreadable: UnreadableLine(lineNumber: 52, reason: "not JSON")) }
        }
        timeline.catchUp()
        let records = events.count + 1
        #expect(timeline.count == records)
        #expect(timeline.heldCount <= 24 + 4, "held \(timeline.heldCount)")
        #expect(timeline.checkpointCount <= 12)
        // The held tail is exact: every prefix there is the reduced prefix.
        for n in (records - 24)...records {
            var fresh = DashboardState()
            if n <= 51 {
                fresh.apply(events[..<n])
            } else {
                fresh.apply(events[..<51])
                fresh.apply(unreadable: UnreadableLine(lineNumber: 52, reason: "not JSON"))
                fresh.apply(events[51..<(n - 1)])
            }
            #expect(Self.same(timeline.state(after: n), fresh), "after \(n) records")
        }
        // Before it, a move lands on the checkpoint at or before the moment: an earlier prefix, never a later one.
        let early = timeline.state(after: 40)
        #expect(early.eventCount <= 40)
        var fresh = DashboardState()
        fresh.apply(events[..<early.eventCount])
        #expect(Self.same(early, fresh))
        #expect(timeline.state(after: records).unreadableCount == 1)
        #expect(timeline.state(after: 20).unreadableCount == 0)
    }
}
