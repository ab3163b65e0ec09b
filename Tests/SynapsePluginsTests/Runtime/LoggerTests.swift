import Foundation
import Testing
@testable import SynapsePlugins

@Suite struct JSONLinesLoggerTests {
    func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    @Test func everyRecordIsOneLineOfTheFormat() throws {
        let path = RT.temporaryFolder("jsonl").appendingPathComponent("events.jsonl").path
        let log = try JSONLinesLogger(path: path, flushInterval: 0)
        let event = Event(timestamp: 1.5, level: .warning, payload: .message(Message(content: "a\nb")))
        log.record(event)
        // Written at once with flushInterval 0: no flush needed to see it.
        #expect(read(path) == EventCodec.encodeString(event) + "\n")
        log.close()
        log.record(event)  // after close: dropped, no crash
        #expect(read(path).split(separator: "\n").count == 1)
    }

    @Test func bufferedRecordsReachTheFileWithinTheFlushIntervalWithoutAFlush() async throws {
        let path = RT.temporaryFolder("jsonl").appendingPathComponent("events.jsonl").path
        let log = try JSONLinesLogger(path: path, flushInterval: 0.05)
        log.record(Event(payload: .metrics(["loss": 0.5])))
        // The timer writes it even though nothing else happens; allow generous slack on a busy machine.
        #expect(await RT.poll(timeout: 2) { read(path).hasSuffix("\n") })
        log.close()
    }

    @Test func statusRecordsAreWrittenAtOnce() throws {
        let path = RT.temporaryFolder("jsonl").appendingPathComponent("events.jsonl").path
        let log = try JSONLinesLogger(path: path, flushInterval: 60)
        log.record(Event(payload: .metrics(["loss": 0.5])))
        log.record(Event(payload: .runStatus(RunStatusUpdate(status: .running))))
        #expect(read(path).split(separator: "\n").count == 2)
        log.close()
    }

    @Test func concurrentWritersNeverInterleave() async throws {
        let path = RT.temporaryFolder("jsonl").appendingPathComponent("events.jsonl").path
        let a = try JSONLinesLogger(path: path, flushInterval: 0.01, maxPending: 64)
        let b = try JSONLinesLogger(path: path, flushInterval: 0)  // a second writer on the same file
        await withTaskGroup(of: Void.self) { group in
            for (i, log) in [a, b, a, b].enumerated() {
                group.addTask {
                    for n in 0..<2000 {
                        log.record(Event(payload: .metrics(["w": .int(i), "n": .int(n), "pad": "xxxxxxxxxxxxxxxxxxxxxx"])))
                    }
                }
            }
        }
        a.close()
        b.close()
        var decoder = EventLogDecoder()
        let batch = decoder.feed(Array(read(path).utf8))
        #expect(batch.unreadable.isEmpty)
        #expect(batch.events.count == 8000)
        #expect(decoder.pending.isEmpty)
    }

    @Test func fanOutReachesEveryLoggerInOrder() {
        let a = MemoryLogger(), b = MemoryLogger()
        let fan = FanOutLogger([a, b])
        fan.record(Event(payload: .end))
        fan.flush()
        #expect(a.events.count == 1 && b.events.count == 1 && a.flushCount == 1 && b.flushCount == 1)
    }
}

@Suite struct ConsoleLoggerTests {
    /// Runs `body` with a console logger writing into a pipe; returns what it wrote.
    func capture(colors: ConsoleColors = .never, debug: Bool = false, _ body: (ConsoleLogger) -> Void) -> String {
        var fds: [Int32] = [0, 0]
        pipe(&fds)
        let console = ConsoleLogger(fd: fds[1], colors: colors, showDevEvents: debug, throttle: 60)
        body(console)
        close(fds[1])
        var out = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fds[0], &buffer, buffer.count)
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        close(fds[0])
        // Drop the HH:MM:SS clock so lines compare.
        return String(decoding: out, as: UTF8.self).split(separator: "\n").map { String($0.dropFirst(9)) }.joined(separator: "\n")
    }

    @Test func plainLinesWhenNotColoured() {
        let text = capture { c in
            c.record(Event(payload: .runStatus(RunStatusUpdate(status: .running, action: "train", jobID: "j1"))))
            c.record(Event(level: .warning, payload: .message(Message(content: "GPU memory low"))))
            c.record(Event(level: .debug, payload: .devEvent(DevEvent(message: "hidden"))))
            c.record(Event(payload: .custom(name: "checkpoint_loaded", data: ["path": "/m"])))
            c.record(Event(payload: .runStatus(RunStatusUpdate(status: .completed, action: "train"))))
        }
        #expect(text == """
            ── train running  job j1
            WARN GPU memory low
            checkpoint_loaded {"path":"/m"}
            ✔ train completed
            """)
        #expect(!text.contains("\u{1B}"))
    }

    @Test func escapeSequencesInEventTextAreShownNotObeyed() {
        let text = capture(colors: .always) { c in
            c.record(Event(level: .info, payload: .message(Message(content: "evil \u{1B}[2J clear"))))
        }
        #expect(text.contains("evil \u{241B}[2J clear"))
        #expect(!text.contains("\u{1B}[2J"))
    }

    @Test func devEventsOnlyInDebug() {
        let text = capture(debug: true) { c in
            c.record(Event(level: .debug, payload: .devEvent(DevEvent(message: "probe", data: ["x": 1]))))
        }
        #expect(text == #"DBG  probe {"x":1}"#)
    }

    @Test func progressAndMetricsAreThrottledButTheLastIsShownAtTheEnd() {
        let text = capture { c in
            for i in 1...100 {
                c.record(Event(step: "training", payload: .progress(ProgressData(current: i, total: 100, step: "training"))))
                c.record(Event(step: "training", payload: .metrics(["epoch": .int(i)])))
            }
            c.record(Event(payload: .end))
        }
        let lines = text.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("training  [--------------------]   1%  1/100"))
        #expect(lines[1] == "training  epoch=1")
        #expect(lines[2] == "training  [####################] 100%  100/100")
        #expect(lines[3] == "training  epoch=100")
    }

    @Test func colourFollowsTheTerminalAndNoColor() {
        #expect(!ConsoleColors.auto.enabled(fd: -1, environment: [:]))  // not a terminal
        #expect(!ConsoleColors.auto.enabled(fd: STDIN_FILENO, environment: ["NO_COLOR": "1"]))
        #expect(ConsoleColors.always.enabled(fd: -1, environment: ["NO_COLOR": "1"]))
        #expect(!ConsoleColors.never.enabled(fd: STDOUT_FILENO))
    }
}

@Suite struct JSONLinesBackPressureTests {
    @Test func aFullBatchIsWrittenByTheCallerSoMemoryStaysBounded() throws {
        let path = RT.temporaryFolder("jsonl").appendingPathComponent("events.jsonl").path
        let log = try JSONLinesLogger(path: path, flushInterval: 60, maxPending: 10)
        for i in 0..<25 { log.record(Event(payload: .metrics(["i": .int(i)]))) }
        // 20 written by the callers (two full batches), 5 waiting for the timer or a flush.
        let written = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        #expect(written.split(separator: "\n").count == 20)
        log.flush()
        #expect(((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").count == 25)
        log.close()
    }
}
