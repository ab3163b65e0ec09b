import Foundation
import Testing
import SynapseTestSupport
@testable import SynapsePlugins

/// The console fixtures are real synapse-sdk 2026.2.17 output captured by
/// `integrations/python/tests/capture_console.py` (the Python tests check they are still what the SDK prints).
enum ConsoleFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/console")

    static func text(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: folder.appendingPathComponent(name)), as: UTF8.self)
    }

    static func events(_ capture: String) throws -> [Event] {
        ConsoleLineParser.parse(stdout: try text("\(capture).stdout"), stderr: try text("\(capture).stderr"), now: { 0 })
    }
}

@Suite struct ConsoleLineParserTests {
    func one(_ line: String, stream: OutputLine.Stream = .stdout) -> [Event] {
        var parser = ConsoleLineParser(now: { 7 })
        return parser.parse(line: line, stream: stream) + parser.finish()
    }

    // MARK: the real capture

    @Test func realLocalRunGivesTheSameRecordsAsTheBridge() throws {
        let parsed = try ConsoleFixtures.events("local-train")
        let bridgeText = try ConsoleFixtures.text("bridge-train.jsonl")
        let bridge = try bridgeText.split(separator: "\n").compactMap { try EventCodec.decodeLine(String($0)) }

        func comparable(_ events: [Event]) -> [String] {
            events.compactMap { e in
                switch e.payload {
                case .message, .metrics, .metric: break
                case .devEvent(let d): return "dev_event \(d.message) \(e.level?.rawValue ?? "-")"
                case .custom(let name, _) where ["custom_event", "prediction", "warn_event"].contains(name): break
                default: return nil
                }
                return "\(e.step ?? "-") \(e.level?.rawValue ?? "-") " + EventCodec.encodeString(Event(timestamp: 0, payload: e.payload))
            }
        }
        let expected = comparable(bridge)
        #expect(expected.count == 22)
        #expect(comparable(parsed) == expected)
    }

    @Test func realLocalRunResultProgressAndOutput() throws {
        let events = try ConsoleFixtures.events("local-train")
        let statuses = events.compactMap { e -> RunStatusUpdate? in if case .runStatus(let u) = e.payload { return u }; return nil }
        #expect(statuses == [RunStatusUpdate(status: .completed, result: ["epochs": 3, "final_loss": 0.3333])])

        let bars = events.compactMap { e -> String? in
            if case .progress(let p) = e.payload { return "\(p.step ?? "-") \(p.current)/\(p.total)" }
            return nil
        }
        #expect(bars == ["train 0/100", "train 33/100", "train 67/100", "train 100/100", "- 0/100", "- 100/100"])

        let outputs = events.compactMap { e -> OutputLine? in if case .output(let o) = e.payload { return o }; return nil }
        #expect(outputs.contains(OutputLine(stream: .stdout, text: "plain stdout line from the plugin")))
        #expect(outputs.contains(OutputLine(stream: .stderr, text: "plain stderr line from the plugin")))
        #expect(outputs.contains(OutputLine(stream: .stdout, text: "Plugin: synapse-tui-demo")))
        // the stdlib logger's copies on stderr stay plain output (not duplicate messages)
        #expect(outputs.contains(OutputLine(stream: .stderr, text: "message {'content': 'Checkpoint missing'}")))
        #expect(outputs.allSatisfy { !$0.text.contains("\u{1B}") })
        let messages = events.filter { if case .message = $0.payload { return true }; return false }
        #expect(messages.count == 10)
        #expect(messages.last?.payload == .message(Message(content: "Plugin run is complete.", key: "PLUGIN_RUN_COMPLETE")))
    }

    @Test func realFailedLocalRun() throws {
        let events = try ConsoleFixtures.events("local-fail")
        let statuses = events.compactMap { e -> RunStatusUpdate? in if case .runStatus(let u) = e.payload { return u }; return nil }
        #expect(statuses == [RunStatusUpdate(status: .failed, error: RunError(type: "ExecutionError", message: "disk on fire"))])
        #expect(events.contains { $0.payload == .message(Message(content: "About to fail")) && $0.level == .warning })
        #expect(events.contains { if case .progress(let p) = $0.payload { return p.step == "fail" && p.current == 25 }; return false })
        // "message {...}" glued after the bar by the stdlib logger: kept as output, bar still read
        #expect(events.contains { $0.payload == .output(OutputLine(stream: .stderr, text: "message {'content': 'About to fail'}")) })
    }

    @Test func realFailedLocalRunWithAnErrorRichWrapped() throws {
        // synapse-sdk's CLI prints the error through Rich, wrapped at 100 columns over three lines (the space it
        // wrapped at kept), plus the message's own line break: one error again, whole.
        let events = try ConsoleFixtures.events("local-fail-wrapped")
        let statuses = events.compactMap { e -> RunStatusUpdate? in if case .runStatus(let u) = e.payload { return u }; return nil }
        let message = "書き込みに失敗しました: item #1700 „Ünïcödé“ — the storage backend refused the write after 3 retries "
            + "(quota exceeded for bucket 'datasets-eu-west': 1.2 GiB over the limit of 500 GiB)\n"
            + "hint: free some space or raise the quota, then run the action again"
        #expect(statuses == [RunStatusUpdate(status: .failed, error: RunError(type: "ExecutionError", message: message))])
        // The lines stay in Output as printed: nothing a run prints is lost.
        #expect(events.contains { $0.payload == .output(OutputLine(stream: .stderr, text: "limit of 500 GiB)")) })
    }

    @Test func aHeldErrorEndsAtARecordABlankLineAnotherStreamOrTheEnd() {
        func statuses(_ lines: [(String, OutputLine.Stream)], flushEarly: Bool = false) -> [RunStatusUpdate] {
            var parser = ConsoleLineParser(now: { 7 })
            var events: [Event] = []
            for (line, stream) in lines { events += parser.parse(line: line, stream: stream) }
            events += flushEarly ? parser.flush() : parser.finish()
            return events.compactMap { e in if case .runStatus(let u) = e.payload { return u }; return nil }
        }
        func failed(_ message: String) -> RunStatusUpdate {
            RunStatusUpdate(status: .failed, error: RunError(type: "ExecutionError", message: message))
        }
        let error = "Error: Action execution failed: first part "
        #expect(statuses([(error, .stderr), ("second part", .stderr)]) == [failed("first part second part")])
        #expect(statuses([(error, .stderr), ("second part", .stderr)], flushEarly: true) == [failed("first part second part")])
        #expect(statuses([("Error: Action execution failed: line one", .stderr), ("line two", .stderr)]) == [failed("line one\nline two")])
        // A logger line, a blank line or the other stream is not part of it.
        #expect(statuses([(error, .stderr), ("[LEVEL: INFO] message {'content': 'x'}", .stderr), ("tail", .stderr)])
                == [failed("first part")])
        #expect(statuses([(error, .stderr), ("", .stderr), ("tail", .stderr)]) == [failed("first part")])
        #expect(statuses([(error, .stderr), ("tail", .stdout)]) == [failed("first part")])
        // Bounded: a flood of lines after it ends the error at maxErrorBytes.
        let flood = Array(repeating: (String(repeating: "x", count: 1000) + " ", OutputLine.Stream.stderr), count: 200)
        let long = statuses([(error, .stderr)] + flood)
        #expect(long.count == 1 && (long.first?.error?.message.utf8.count ?? 0) < ConsoleLineParser.maxErrorBytes)
    }

    @Test func realRayJobEntrypointOutput() throws {
        let events = try ConsoleFixtures.events("job-train")
        let statuses = events.compactMap { e -> RunStatusUpdate? in if case .runStatus(let u) = e.payload { return u }; return nil }
        #expect(statuses == [RunStatusUpdate(status: .completed, result: ["epochs": 2, "final_loss": 0.5])])
        #expect(!events.contains { if case .output(let o) = $0.payload { return o.text.contains("__SYNAPSE_RESULT") }; return false })
        #expect(events.contains { $0.payload == .output(OutputLine(stream: .stdout, text: "INFO: synapse-sdk version: 2026.2.17")) })
        let dev = events.first { if case .devEvent = $0.payload { return true }; return false }
        #expect(dev?.payload == .devEvent(DevEvent(message: "env probe", data: ["job_id": "capture-job-1", "env": nil])))
    }

    // MARK: hand-written edge cases

    @Test func prefixesStepsAndLevels() throws {
        let e = one("\u{1B}[1m\u{1B}[94m[STEP: train]\u{1B}[0m\u{1B}[1m\u{1B}[94m [LEVEL: INFO]\u{1B}[0m\u{1B}[94m Metrics: {'epoch': 1, 'loss': nan, 'name': 'r18'}\u{1B}[0m")
        #expect(e.count == 1)
        let first = try #require(e.first)
        #expect(first.step == "train" && first.level == nil && first.timestamp == 7)
        let m = try #require(first.payload.asMetrics, "not metrics: \(first.payload)")
        #expect(m.keys == ["epoch", "loss", "name"] && m["loss"]?.doubleValue?.isNaN == true)

        #expect(one("[LEVEL: WARNING] message {'content': 'low'}") == [Event(timestamp: 7, level: .warning, payload: .message(Message(content: "low")))])
        #expect(one("[LEVEL: DANGER] Disk almost full") == [Event(timestamp: 7, level: .danger, payload: .message(Message(content: "Disk almost full")))])
        #expect(one("(TrainActor pid=4242) [LEVEL: DEBUG] dev_event {'message': 'm', 'data': None}")
                == [Event(timestamp: 7, level: .debug, payload: .devEvent(DevEvent(message: "m")))])
        // event == step: ConsoleLogger leaves the name out
        #expect(one("[STEP: upload] [LEVEL: INFO] {'files': 3}") == [Event(timestamp: 7, step: "upload", level: .info, payload: .custom(name: "upload", data: ["files": 3]))])
        #expect(one("[LEVEL: INFO] checkpoint {'epoch': 5, 'path': PosixPath('/m.pt')}")
                == [Event(timestamp: 7, level: .info, payload: .custom(name: "checkpoint", data: ["epoch": 5, "path": "PosixPath('/m.pt')"]))])
    }

    /// Written and read back, the events give the same line (the fuzz target FuzzConsole's invariant).
    func survivesTheLog(_ events: [Event]) -> Bool {
        events.allSatisfy { event in
            let line = EventCodec.encodeLine(event)
            let again = try? line.withUnsafeBufferPointer { try EventCodec.decodeLine($0) }
            return again.map { EventCodec.encodeLine($0) } == line
        }
    }

    @Test func aReservedNameWhoseDataIsNotThatRecordsShapeStaysText() {
        // Written as custom events under these names, the log's reader rejected the records (a dev_event
        // without message, a progress without current); FuzzConsole found the first in mutated SDK output.
        let lines = [
            "\u{1B}[1m\u{1B}[90m[LEVEL: DEBUG]\u{1B}[0m\u{1B}[90m dev_event {'mes\u{8C}age': 'env probe', 'data': None}\u{1B}[0m",
            "[LEVEL: INFO] message {'text': 'no content'}",
            "[LEVEL: INFO] [progress] {'x': 1}",
            "[LEVEL: INFO] [run_status] {'status': 'sideways'}",
            "[LEVEL: INFO] output {'stream': 'stdout'}",
            "[LEVEL: INFO] end {'a': 1}",
            "[STEP: action_status] [LEVEL: INFO] {'a': 1}",
        ]
        for line in lines {
            let events = one(line)
            #expect(survivesTheLog(events), "\(line)")
            #expect(events.count == 1 && events.allSatisfy { if case .message = $0.payload { true } else { false } }, "\(line)")
        }
        #expect(one("[LEVEL: INFO] end {'a': 1}").first?.payload == .message(Message(content: "end {'a': 1}")))
        // the typed shape still gives the typed record
        #expect(one("[LEVEL: DEBUG] dev_event {'message': 'm', 'data': {'k': 1}}").first?.payload == .devEvent(DevEvent(message: "m", data: ["k": 1])))
    }

    @Test func everyConsoleFuzzSeedSurvivesTheLog() throws {
        // The seeds of Fuzz/Corpus/FuzzConsole (finding-* are inputs the fuzzer once failed on), fed as the
        // target feeds them: split at the first byte's offset, on the stream the second byte picks.
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz/Corpus/FuzzConsole")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names.contains("finding-roundtrip-1"))
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
            let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
            let stream: OutputLine.Stream = bytes.count > 1 && bytes[1] & 1 == 1 ? .stderr : .stdout
            var parser = ConsoleLineParser(now: { 1_764_076_800 })
            var events = parser.feed(bytes[..<split], stream: stream)
            events += parser.feed(bytes[split...], stream: stream)
            events += parser.finish()
            #expect(!events.isEmpty, "\(name)")
            #expect(survivesTheLog(events), "\(name)")
        }
    }

    @Test func metricVisualizationTrialsAndLogEvent() {
        #expect(one("[LEVEL: INFO] [metric] category=validation, epoch=3, {'val_loss': 0.015, 'val_iou': 0.25}")
                == [Event(timestamp: 7, payload: .metric(MetricRecord(category: "validation", key: "epoch", value: 3, metrics: ["val_loss": 0.015, "val_iou": 0.25])))])
        #expect(one("[LEVEL: INFO] [metric] category=train, loss=0.5, {}")
                == [Event(timestamp: 7, payload: .metric(MetricRecord(category: "train", key: "loss", value: 0.5, metrics: [:])))])
        #expect(one("[LEVEL: INFO] [metric] category=train, phase=warm up, {'a': 1}")
                == [Event(timestamp: 7, payload: .metric(MetricRecord(category: "train", key: "phase", value: "warm up", metrics: ["a": 1])))])
        #expect(one("[LEVEL: INFO] [visualization] category=val, group=epoch_1, index=0, image=/tmp/p.png")
                == [Event(timestamp: 7, file: "/tmp/p.png", payload: .custom(name: "visualization", data: ["category": "val", "group": "epoch_1", "index": 0, "image": "/tmp/p.png"]))])
        #expect(one("[LEVEL: INFO] [trials] {'trials': {}, 'best_trial': ''}")
                == [Event(timestamp: 7, level: .info, payload: .custom(name: "trials", data: ["trials": .object([:]), "best_trial": ""]))])
        #expect(one("[LEVEL: INFO] [prediction] {'class': 'cat'} (file: /data/img.jpg)")
                == [Event(timestamp: 7, level: .info, file: "/data/img.jpg", payload: .custom(name: "prediction", data: ["class": "cat"]))])
    }

    @Test func jobLoggerProgressLines() throws {
        #expect(one("[STEP: train] [LEVEL: INFO] Progress: 33.33% | ETA: 1.5s")
                == [Event(timestamp: 7, step: "train", payload: .progress(ProgressData(current: 3333, total: 10000, timeRemaining: 1.5, percentOnly: true)))])
        let e = one("[LEVEL: INFO] Progress: 0.0% | ETA: Nones")
        #expect(e == [Event(timestamp: 7, payload: .progress(ProgressData(current: 0, total: 10000, percentOnly: true)))])
        let half = one("[STEP: s] [LEVEL: INFO] Progress: 50.0% | ETA: 0.0s")
        let p = try #require(half.first?.payload.asProgress, "not progress: \(half)")
        #expect(p.percent == 50)
    }

    @Test func tqdmBarsAreRewrittenAndDeduplicated() {
        var parser = ConsoleLineParser(now: { 1 })
        let esc = "\u{1B}"
        let line = "\r\(esc)[90m[STEP: train]\(esc)[0m:   0%|\(esc)[37m          \(esc)[0m| [00:00<?]\r          \r\r\(esc)[90m[STEP: train]\(esc)[0m:  50%|\(esc)[37m█████     \(esc)[0m| [00:01<00:01]\r\(esc)[90m[STEP: train]\(esc)[0m:  50%|\(esc)[37m█████     \(esc)[0m| [00:01<00:01]\r\(esc)[90m[STEP: train]\(esc)[0m: 100%|\(esc)[37m██████████\(esc)[0m| [1:02:03<00:00]"
        let events = parser.parse(line: line, stream: .stderr)
        #expect(events == [
            Event(timestamp: 1, step: "train", payload: .progress(ProgressData(current: 0, total: 100, step: "train", elapsed: 0, percentOnly: true))),
            Event(timestamp: 1, step: "train", payload: .progress(ProgressData(current: 50, total: 100, step: "train", elapsed: 1, timeRemaining: 1, percentOnly: true))),
            Event(timestamp: 1, step: "train", payload: .progress(ProgressData(current: 100, total: 100, step: "train", elapsed: 3723, timeRemaining: 0, percentOnly: true))),
        ])
        // a default tqdm bar with counts, from user code
        let plain = parser.parse(line: "Downloading: 40%|████      | 4/10 [00:02<00:03, 2.00it/s]", stream: .stderr)
        #expect(plain == [Event(timestamp: 1, step: "Downloading", payload: .progress(ProgressData(current: 4, total: 10, step: "Downloading", elapsed: 2, timeRemaining: 3)))])
        // not bars
        #expect(parser.parse(line: "50%|done| but no", stream: .stderr).count == 1)
        #expect(parser.parse(line: "rate is 5%|ok", stream: .stderr) == [Event(timestamp: 1, payload: .output(OutputLine(stream: .stderr, text: "rate is 5%|ok")))])
    }

    @Test func carriageReturnLinesKeepWhatTheScreenShowsLast() {
        #expect(one("Downloading 10%\rDownloading 20%\rDone") == [Event(timestamp: 7, payload: .output(OutputLine(text: "Done")))])
        #expect(one("line with crlf\r") == [Event(timestamp: 7, payload: .output(OutputLine(text: "line with crlf")))])
    }

    @Test func resultsAndMarkers() throws {
        #expect(one(#"Result: {"a": 1, "b": [1, 2]}"#) == [Event(timestamp: 7, payload: .runStatus(RunStatusUpdate(status: .completed, result: ["a": 1, "b": [1, 2]])))])
        #expect(one("Result: not json") == [Event(timestamp: 7, payload: .output(OutputLine(text: "Result: not json")))])

        var parser = ConsoleLineParser(now: { 2 })
        var events: [Event] = []
        for line in ["__SYNAPSE_RESULT_START__", "{\"x\":", " [1, NaN]}", "__SYNAPSE_RESULT_END__", "after"] {
            events += parser.parse(line: line)
        }
        try #require(events.count == 2)
        let u = try #require(events.first?.payload.asRunStatus, "not run_status: \(events)")
        let xs = try #require(u.result?["x"]?.arrayValue, "no result: \(u)")
        try #require(xs.count == 2)
        #expect(xs[0] == 1 && xs[1].doubleValue?.isNaN == true)
        #expect(events[1].payload == .output(OutputLine(text: "after")))

        // no end marker: everything comes back as output at the end
        var open = ConsoleLineParser(now: { 2 })
        _ = open.parse(line: "__SYNAPSE_RESULT_START__")
        _ = open.parse(line: "{\"partial\"")
        #expect(open.finish().map(\.payload) == [.output(OutputLine(text: "__SYNAPSE_RESULT_START__")), .output(OutputLine(text: "{\"partial\""))])
        // a broken result is output too
        var broken = ConsoleLineParser(now: { 2 })
        let out = ["__SYNAPSE_RESULT_START__", "{oops", "__SYNAPSE_RESULT_END__"].flatMap { broken.parse(line: $0) }
        #expect(out.count == 3 && out.allSatisfy { if case .output = $0.payload { return true }; return false })
    }

    @Test func markedLinesUseTheCoreCodec() {
        let record = #"{"v":1,"event":"progress","timestamp":5.5,"step":"s","data":{"current":1,"total":4,"percent":25.0}}"#
        #expect(one("2026-11-25 12:00:00 INFO __SYNAPSE_EVENT__ " + record)
                == [Event(timestamp: 5.5, step: "s", payload: .progress(ProgressData(current: 1, total: 4, step: "s")))])
        #expect(one("__SYNAPSE_EVENT__ {broken") == [Event(timestamp: 7, payload: .output(OutputLine(text: "__SYNAPSE_EVENT__ {broken")))])
    }

    @Test func everythingElseIsPlainOutput() {
        for text in ["", "hello", "[LEVEL: ] x", "[STEP: a] no level", "{'not': 'prefixed'}", "Traceback (most recent call last):",
                     "[LEVEL: INFO", "message {'content': 'bare stdlib copy'}"] {
            #expect(one(text, stream: .stderr) == [Event(timestamp: 7, payload: .output(OutputLine(stream: .stderr, text: text)))], "\(text)")
        }
        // ANSI codes removed from plain output
        #expect(one("\u{1B}[31mred\u{1B}[0m \u{1B}]0;title\u{07}done") == [Event(timestamp: 7, payload: .output(OutputLine(text: "red done")))])
    }

    @Test func feedSplitsChunksAnywhere() throws {
        let text = try ConsoleFixtures.text("local-train.stdout")
        let whole = ConsoleLineParser.parse(stdout: text, now: { 0 })
        var parser = ConsoleLineParser(now: { 0 })
        var pieces: [Event] = []
        for (i, byte) in Array(text.utf8).enumerated() {
            pieces += parser.feed([byte], stream: .stdout)
            if i % 997 == 0 { pieces += [] }
        }
        pieces += parser.finish()
        #expect(pieces.map(EventCodec.encodeString) == whole.map(EventCodec.encodeString))
        #expect(whole.count > 40)
    }

    @Test func endlessLinesAreCutSoMemoryStaysBounded() {
        var parser = ConsoleLineParser(now: { 0 })
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
        var events: [Event] = []
        for _ in 0..<48 { events += parser.feed(chunk, stream: .stderr) }  // 3 MiB, no newline
        #expect(events.count == 3)
        events += parser.finish()
        #expect(events.count == 3)
        #expect(events.allSatisfy { if case .output(let o) = $0.payload { return o.text.utf8.count == ConsoleLineParser.maxLineBytes }; return false })
    }

    @Test func statelessEntryPointForLogFollowers() {
        #expect(ConsoleLineParser.structuredEvents(forLine: "plain", now: { 0 }) == nil)
        #expect(ConsoleLineParser.structuredEvents(forLine: "[LEVEL: SUCCESS] message {'content': 'ok'}", now: { 0 })
                == [Event(timestamp: 0, level: .success, payload: .message(Message(content: "ok")))])
        #expect(ConsoleLineParser.structuredEvents(forLine: "\r[STEP: a]: 10%|█         | [00:00<00:01]", now: { 0 })?.count == 1)
    }
}

@Suite struct ConsoleFileTailerTests {
    @Test func wholeCaptureFile() throws {
        let events = try ConsoleFileTailer.events(ofFile: ConsoleFixtures.folder.appendingPathComponent("local-train.stdout").path)
        #expect(events.contains { if case .runStatus(let u) = $0.payload { return u.status == .completed }; return false })
        #expect(events.filter { if case .metrics = $0.payload { return true }; return false }.count == 4)
    }

    @Test(.timeLimit(.minutes(1))) func followsAGrowingFileAndRestartsOnTruncation() throws {
        let path = temporaryFolder() + "/capture.txt"
        let queue = try EventQueue()
        let tailer = try ConsoleFileTailer(path: path, heartbeat: 0.05)
        tailer.start(into: queue)
        defer { tailer.stop() }
        var events: [Event] = []
        var notices: [QueuedNotice] = []
        func waitFor(_ count: Int) {
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline, events.count < count {
                var newEvents: [Event] = [], newNotices: [QueuedNotice] = []
                queue.drain(events: &newEvents, notices: &newNotices)
                events += newEvents
                notices += newNotices
                usleep(10_000)
            }
        }
        usleep(100_000)
        try Data("[LEVEL: INFO] message {'content': 'one'}\npartial".utf8).write(to: URL(fileURLWithPath: path))
        waitFor(1)
        #expect(events.map(\.payload) == [.message(Message(content: "one"))])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(" line\n[STEP: s] [LEVEL: INFO] Metrics: {'a': 1}\n".utf8))
        try handle.close()
        waitFor(3)
        #expect(events.count == 3)
        #expect(events[1].payload == .output(OutputLine(text: "partial line")))
        // truncate: read again from the start
        try Data("Result: {\"ok\": 1}\n".utf8).write(to: URL(fileURLWithPath: path))
        waitFor(4)
        #expect(events.last?.payload == .runStatus(RunStatusUpdate(status: .completed, result: ["ok": 1])))
        #expect(notices.contains { if case .waiting = $0.notice { return true }; return false })
        #expect(notices.contains { if case .restarted = $0.notice { return true }; return false })
        // The CLI's error, wrapped by Rich, then nothing more: once the file stays quiet it is one error, whole.
        let appender = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try appender.seekToEnd()
        try appender.write(contentsOf: Data("Error: Action execution failed: wrapped at a space \nand the rest\n".utf8))
        try appender.close()
        waitFor(7)
        #expect(events.last?.payload == .runStatus(RunStatusUpdate(
            status: .failed, error: RunError(type: "ExecutionError", message: "wrapped at a space and the rest"))))
    }
}
