import Foundation
import Testing
@testable import SynapsePlugins

/// A temporary folder for one test, removed at the end.
final class TemporaryFolder {
    let path: String

    init() {
        let template = NSTemporaryDirectory() + "synapse-tailer-XXXXXX"
        var bytes = Array(template.utf8CString)
        path = String(cString: mkdtemp(&bytes)!)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

func line(_ text: String) -> String {
    EventCodec.encodeString(Event(timestamp: 1, level: .info, payload: .message(Message(content: text)))) + "\n"
}

func append(_ text: String, to path: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
    precondition(fd >= 0)
    _ = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
    close(fd)
}

func messages(_ events: [Event]) -> [String] {
    events.compactMap { if case .message(let m) = $0.payload { m.content } else { nil } }
}

/// Collects what a queue receives, waiting on its wake descriptor (never sleeping blindly) until
/// `done` holds or the timeout passes.
final class QueueReader {
    let queue: EventQueue
    var events: [Event] = []
    var notices: [SourceNotice] = []

    init(_ queue: EventQueue) { self.queue = queue }

    @discardableResult
    func wait(timeout: Double = 5, until done: (QueueReader) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !done(self) {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return false }
            var p = pollfd(fd: queue.wakeFD, events: Int16(POLLIN), revents: 0)
            _ = poll(&p, 1, Int32(left * 1000) + 1)
            var newEvents: [Event] = []
            var newNotices: [QueuedNotice] = []
            queue.drain(events: &newEvents, notices: &newNotices)
            // Apply notices where they happened: a restart voids what came before it.
            var start = 0
            for n in newNotices {
                events += newEvents[start..<n.position]
                start = n.position
                if case .restarted = n.notice { events.removeAll() }
                // A log reader hands lines over in blocks: seen here as their events and unreadable lines.
                if case .lines(let block) = n.notice {
                    events += block.decodedEvents()
                    notices += block.unreadable.map { .unreadable($0) }
                    continue
                }
                notices.append(n.notice)
            }
            events += newEvents[start...]
        }
        return true
    }
}

@Suite struct EventLogCursorTests {
    @Test func readsCompleteLinesAndWaitsForThePartialOne() {
        let folder = TemporaryFolder()
        let log = folder.file("events.jsonl")
        var cursor = EventLogCursor(path: log)
        var outputs: [SourceNotice] = []
        var events: [Event] = []
        let sink: (EventLogCursor.Output) -> Void = {
            switch $0 {
            case .events(let e): events += e
            case .notice(let n): outputs.append(n)
            case .lines, .ownedLines, .longLine, .oversizedLine, .bytes: Issue.record("lines in events mode")
            }
        }
        cursor.readAvailable(sink)
        #expect(outputs == [.waiting(log)])
        let second = line("two")
        append(line("one") + second.prefix(10), to: log)
        cursor.readAvailable(sink)
        #expect(messages(events) == ["one"])
        append(String(second.dropFirst(10)), to: log)
        cursor.readAvailable(sink)
        #expect(messages(events) == ["one", "two"])
    }

    @Test func aLogRewrittenLongerBetweenTwoLooksIsReadAgain() {
        let folder = TemporaryFolder()
        let log = folder.file("events.jsonl")
        append(line("old 1") + line("old 2"), to: log)
        var cursor = EventLogCursor(path: log)
        var events: [Event] = []
        var notices: [SourceNotice] = []
        let sink: (EventLogCursor.Output) -> Void = {
            switch $0 {
            case .events(let e): events += e
            case .lines, .ownedLines, .longLine, .oversizedLine, .bytes: Issue.record("lines in events mode")
            case .notice(let n):
                notices.append(n)
                if case .restarted = n { events.removeAll() }
            }
        }
        cursor.readAvailable(sink)
        #expect(messages(events) == ["old 1", "old 2"])
        // Truncated and rewritten with more than before, all before the cursor looks again.
        #expect(truncate(log, 0) == 0)
        append(line("new 1 is longer") + line("new 2 is longer") + line("new 3"), to: log)
        cursor.readAvailable(sink)
        #expect(messages(events) == ["new 1 is longer", "new 2 is longer", "new 3"])
        #expect(notices.contains { if case .restarted = $0 { true } else { false } })
    }

    @Test func smallChunksStillDecodeEveryLine() {
        let folder = TemporaryFolder()
        let log = folder.file("events.jsonl")
        append((0..<500).map { line("m\($0)") }.joined(), to: log)
        var cursor = EventLogCursor(path: log, chunkSize: 4096)
        var events: [Event] = []
        cursor.readAvailable { if case .events(let e) = $0 { events += e } }
        #expect(messages(events) == (0..<500).map { "m\($0)" })
    }

    @Test func readingStopsWhenAskedAndGoesOnFromThereNextTime() {
        let folder = TemporaryFolder()
        let log = folder.file("events.jsonl")
        append((0..<500).map { line("m\($0)") }.joined(), to: log)
        var cursor = EventLogCursor(path: log, chunkSize: 4096, delivery: .lines)
        var lines: [UInt8] = []
        var chunks = 0
        // A follower being stopped: only one chunk, not the rest of the log.
        cursor.readAvailable(while: { chunks < 1 }) { if case .lines(let b) = $0 { lines += b; chunks += 1 } }
        #expect(chunks == 1 && lines.count < 4096 && cursor.offset == 4096)
        cursor.readAvailable { if case .lines(let b) = $0 { lines += b } }
        cursor.finish { if case .lines(let b) = $0 { lines += b } }
        var reader = LogBlockReader()
        let block = lines.withUnsafeBufferPointer { reader.read($0) }
        #expect(messages(block.decodedEvents()) == (0..<500).map { "m\($0)" })
    }

    @Test func handedOverBuffersCarryEveryLineOnceAndInOrder() throws {
        let folder = TemporaryFolder()
        let log = folder.file("events.jsonl")
        // Lines of many lengths, so chunks end anywhere inside one.
        let texts = (0..<700).map { "m\($0)" + String(repeating: "x", count: $0 % 37) }
        append(texts.map { line($0) }.joined(), to: log)
        var cursor = EventLogCursor(path: log, chunkSize: 4096, delivery: .lines)
        // The buffers handed over come back at once, old bytes and all, as the pipeline lends them out.
        var returned: [[UInt8]] = []
        var lent = 0
        cursor.bufferSource = { count in
            lent += 1
            return returned.popLast().flatMap { $0.count == count ? $0 : nil } ?? [UInt8](repeating: 0xFF, count: count)
        }
        var lines: [UInt8] = []
        var owned = 0
        var copied = 0
        let take: (EventLogCursor.Output) -> Void = {
            switch $0 {
            case .lines(let b):
                copied += 1
                lines += b
            case .ownedLines(let buffer, let range):
                owned += 1
                lines += buffer[range]
                returned.append(buffer)
            default: break
            }
        }
        cursor.readAvailable(take)
        cursor.finish(take)
        #expect(owned > 10 && lent == owned)
        // A line a chunk left unfinished went in front of the next chunk's bytes, not out on its own.
        #expect(copied == 0)
        var reader = LogBlockReader()
        let block = lines.withUnsafeBufferPointer { reader.read($0) }
        #expect(block.problems.isEmpty)
        #expect(messages(block.decodedEvents()) == texts)
    }

    /// Lines over half a chunk are not put in front of the next one (they may be long lines, shortened
    /// on the way): every line still arrives once, whole, in order, the log grown between reads too.
    @Test func linesOverHalfAChunkStillArriveWholeAndInOrder() throws {
        let folder = TemporaryFolder()
        let log = folder.file("events.jsonl")
        var rng = SplitMix64(seed: 0xC4A7)
        let texts = (0..<400).map { i in "m\(i)" + String(repeating: "y", count: rng.below(6) == 0 ? 1500 + rng.below(2500) : rng.below(60)) }
        var cursor = EventLogCursor(path: log, chunkSize: 4096, delivery: .lines)
        cursor.bufferSource = { [UInt8](repeating: 0xEE, count: $0) }
        var lines: [UInt8] = []
        let take: (EventLogCursor.Output) -> Void = {
            switch $0 {
            case .lines(let b): lines += b
            case .ownedLines(let buffer, let range): lines += buffer[range]
            default: break
            }
        }
        // Written in pieces that end inside lines, read after each.
        let whole = Array(texts.map { line($0) }.joined().utf8)
        var at = 0
        while at < whole.count {
            let end = min(whole.count, at + 1 + rng.below(9000))
            append(String(decoding: whole[at..<end], as: UTF8.self), to: log)
            cursor.readAvailable(take)
            at = end
        }
        cursor.finish(take)
        var reader = LogBlockReader()
        let block = lines.withUnsafeBufferPointer { reader.read($0) }
        #expect(block.problems.isEmpty)
        #expect(messages(block.decodedEvents()) == texts)
    }

    @Test func unreadableLinesAreReportedWithTheirNumber() {
        let folder = TemporaryFolder()
        let log = folder.file("events.jsonl")
        append(line("a") + "not json\n" + line("b"), to: log)
        var cursor = EventLogCursor(path: log)
        var notices: [SourceNotice] = []
        var events: [Event] = []
        cursor.readAvailable {
            switch $0 {
            case .events(let e): events += e
            case .notice(let n): notices.append(n)
            case .lines, .ownedLines, .longLine, .oversizedLine, .bytes: Issue.record("lines in events mode")
            }
        }
        #expect(messages(events) == ["a", "b"])
        #expect(notices.contains { if case .unreadable(let u) = $0 { u.lineNumber == 2 } else { false } })
    }
}

@Suite(.serialized) struct EventLogTailerTests {
    @Test func followsAFileThatAppearsLaterThenGrows() throws {
        let folder = TemporaryFolder()
        let log = folder.file("events.jsonl")
        let queue = try EventQueue()
        let tailer = try EventLogTailer(path: log)
        tailer.start(into: queue)
        defer { tailer.stop() }
        let reader = QueueReader(queue)
        #expect(reader.wait { $0.notices.contains(.waiting(log)) })
        append(line("first"), to: log)
        #expect(reader.wait { messages($0.events) == ["first"] })
        append(line("second"), to: log)
        #expect(reader.wait { messages($0.events) == ["first", "second"] })
    }

    @Test func partialLastLineWaitsForItsNewline() throws {
        let folder = TemporaryFolder()
        let log = folder.file("events.jsonl")
        let full = line("whole")
        append(line("before") + full.dropLast(5), to: log)
        let queue = try EventQueue()
        let tailer = try EventLogTailer(path: log)
        tailer.start(into: queue)
        defer { tailer.stop() }
        let reader = QueueReader(queue)
        #expect(reader.wait { messages($0.events) == ["before"] })
        #expect(!reader.wait(timeout: 0.3) { $0.events.count > 1 }, "half a line is never decoded")
        append(String(full.suffix(5)), to: log)
        #expect(reader.wait { messages($0.events) == ["before", "whole"] })
    }

    @Test func truncatedAndRewrittenLogIsReadAgainFromTheStart() throws {
        let folder = TemporaryFolder()
        let log = folder.file("events.jsonl")
        append(line("old 1") + line("old 2") + line("old 3"), to: log)
        let queue = try EventQueue()
        let tailer = try EventLogTailer(path: log)
        tailer.start(into: queue)
        defer { tailer.stop() }
        let reader = QueueReader(queue)
        #expect(reader.wait { $0.events.count == 3 })
        #expect(truncate(log, 0) == 0)
        append(line("new"), to: log)
        #expect(reader.wait { messages($0.events) == ["new"] })
        #expect(reader.notices.contains { if case .restarted = $0 { true } else { false } })
    }

    @Test func replacedByRenameIsReopened() throws {
        let folder = TemporaryFolder()
        let log = folder.file("events.jsonl")
        append(line("old"), to: log)
        let queue = try EventQueue()
        let tailer = try EventLogTailer(path: log)
        tailer.start(into: queue)
        defer { tailer.stop() }
        let reader = QueueReader(queue)
        #expect(reader.wait { messages($0.events) == ["old"] })
        let temporary = folder.file("events.jsonl.tmp")
        append(line("replacement 1") + line("replacement 2"), to: temporary)
        #expect(rename(temporary, log) == 0)
        #expect(reader.wait { messages($0.events) == ["replacement 1", "replacement 2"] })
        append(line("replacement 3"), to: log)
        #expect(reader.wait { messages($0.events).last == "replacement 3" })
    }

    @Test func stopReturnsPromptlyAndPushesNothingAfter() throws {
        let folder = TemporaryFolder()
        let queue = try EventQueue()
        let tailer = try EventLogTailer(path: folder.file("events.jsonl"), heartbeat: 60)
        tailer.start(into: queue)
        let started = Date()
        tailer.stop()
        #expect(Date().timeIntervalSince(started) < 2, "stop wakes the thread instead of waiting a heartbeat")
    }
}
