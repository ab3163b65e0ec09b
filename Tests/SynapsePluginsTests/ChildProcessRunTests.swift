import Foundation
import Testing
@testable import SynapsePlugins

/// The Python venv with synapse-sdk and the bridge (`scripts/python-tests.sh --setup` makes it; CI has it).
enum PythonVenv {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let demoPlugin = repoRoot.appendingPathComponent("integrations/python/tests/plugins/demo_plugin").path
    /// Look-alike records and background processes (`forge`, `spawn`).
    static let probePlugin = repoRoot.appendingPathComponent("integrations/python/tests/plugins/probe_plugin").path

    /// `$SYNAPSE_TUI_PYTHON`, else the repo's `.venv/bin/python`, when it can import the bridge.
    static let python: String? = {
        let env = ProcessInfo.processInfo.environment
        let candidates = [env["SYNAPSE_TUI_PYTHON"], repoRoot.appendingPathComponent(".venv/bin/python").path].compactMap { $0 }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: candidate)
            p.arguments = ["-c", "import synapse_tui_bridge, synapse_sdk"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            if (try? p.run()) != nil {
                p.waitUntilExit()
                if p.terminationStatus == 0 { return candidate }
            }
        }
        print("NOTE: Python venv with synapse-sdk and the bridge not found (run scripts/python-tests.sh --setup or set SYNAPSE_TUI_PYTHON); skipping the tests that drive real plugins")
        return nil
    }()

    static let skipReason: Comment = "needs the Python venv (scripts/python-tests.sh --setup, or SYNAPSE_TUI_PYTHON)"
}

final class EventBox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Event] = []
    func add(_ events: [Event]) { lock.withLock { items += events } }
    var all: [Event] { lock.withLock { items } }
}

func temporaryFolder() -> String {
    let path = NSTemporaryDirectory() + "synapse-child-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func readLog(_ path: String) throws -> [Event] {
    var decoder = EventLogDecoder()
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let batch = decoder.feed(Array(data))
    #expect(batch.unreadable.isEmpty, "unreadable lines: \(batch.unreadable)")
    #expect(decoder.pending.isEmpty)
    return batch.events
}

func outputs(_ events: [Event]) -> [OutputLine] {
    events.compactMap { if case .output(let o) = $0.payload { return o }; return nil }
}

func statuses(_ events: [Event]) -> [RunStatusUpdate] {
    events.compactMap { if case .runStatus(let u) = $0.payload { return u }; return nil }
}

@Suite struct ChildProcessRunTests {
    func run(_ mode: ChildProcessRun.Mode, _ executable: String, _ args: [String], env: [String: String]? = nil,
             during: ((ChildProcessRun, EventBox) -> Void)? = nil) throws -> (ChildProcessRun.Outcome, [Event], [Event]) {
        let log = temporaryFolder() + "/jobs/j1/events.jsonl"
        let box = EventBox()
        let child = ChildProcessRun(executable: executable, arguments: args, environment: env, mode: mode,
                                    eventLogPath: log, action: "act", jobID: "j1") { box.add($0) }
        try child.start()
        during?(child, box)
        let outcome = child.wait()
        return (outcome, box.all, try readLog(log))
    }

    @Test func childWithoutFinalStatusIsRecordedFailedAndItsOutputKept() throws {
        let (outcome, events, log) = try run(.console, "sh", ["-c", "echo hello; echo oops >&2; printf 'no newline'; exit 3"])
        #expect(outcome.status == .failed && outcome.synthesized && outcome.exitStatus == 3 && outcome.commandExitCode == 1)
        #expect(outcome.error?.type == "ChildProcessExited")
        #expect(outcome.error?.message.contains("exited with status 3") == true)
        #expect(Set(outputs(events)) == [OutputLine(stream: .stdout, text: "hello"), OutputLine(stream: .stderr, text: "oops"),
                                         OutputLine(stream: .stdout, text: "no newline")])
        #expect(log.map(EventCodec.encodeString) == events.map(EventCodec.encodeString))
        #expect(statuses(log).last?.status == .failed && statuses(log).last?.jobID == "j1" && statuses(log).last?.action == "act")
        let folder = (temporaryFolder() as NSString).deletingLastPathComponent
        _ = folder
    }

    @Test func consoleModeUnderstandsSDKLinesAndRecordsOnTheRecordDescriptor() throws {
        let script = #"""
        printf '\033[1m\033[94m[LEVEL: INFO]\033[0m\033[94m message {'"'"'content'"'"': '"'"'hi'"'"'}\033[0m\n'
        echo '[STEP: train] [LEVEL: INFO] Metrics: {'"'"'loss'"'"': 0.5}'
        echo '{"v":1,"event":"end","timestamp":1.0,"data":{}}' >&"$SYNAPSE_EVENT_FD"
        echo '__SYNAPSE_EVENT__ {"v":1,"event":"end","timestamp":1.0,"data":{}}'
        echo 'Result: {"ok": true}'
        """#
        let (outcome, events, log) = try run(.console, "/bin/sh", ["-c", script])
        #expect(outcome.status == .completed && !outcome.synthesized && outcome.commandExitCode == 0)
        // two pipes: the record's place among the stdout lines is not fixed
        #expect(events.map(\.name).sorted() == ["end", "message", "metrics", "output", "run_status"])
        #expect(events.filter { $0.name != "end" }.map(\.name) == ["message", "metrics", "output", "run_status"])
        #expect(outputs(events).map(\.text) == [#"__SYNAPSE_EVENT__ {"v":1,"event":"end","timestamp":1.0,"data":{}}"#])
        #expect(log.count == 5)
    }

    @Test func signalsAreReported() throws {
        let (outcome, _, _) = try run(.console, "sh", ["-c", "kill -9 $$"])
        #expect(outcome.status == .failed && outcome.exitStatus == 137)
        #expect(outcome.error?.message.contains("signal 9") == true)
    }

    @Test func interruptIsACancel() throws {
        let (outcome, _, log) = try run(.console, "sh", ["-c", "echo started; exec sleep 30"]) { child, box in
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline, outputs(box.all).isEmpty { usleep(10_000) }
            child.interrupt()
        }
        #expect(outcome.status == .cancelled && outcome.synthesized && outcome.commandExitCode == 130)
        #expect(statuses(log).last?.status == .cancelled)
    }

    @Test func aChildThatCannotStartIsRecordedFailedWhenAsked() throws {
        let log = temporaryFolder() + "/jobs/j1/events.jsonl"
        let box = EventBox()
        let child = ChildProcessRun(executable: "definitely-not-a-command-xyz", arguments: [], mode: .console,
                                    eventLogPath: log, action: "act", jobID: "j1") { box.add($0) }
        let failure = try #require(child.startRecordingFailure())
        #expect(failure.message.contains("definitely-not-a-command-xyz"))
        for events in [box.all, try readLog(log)] {
            let status = try #require(statuses(events).last)
            #expect(status.status == .failed && status.action == "act" && status.jobID == "j1" && status.error == failure)
        }
    }

    @Test func missingExecutableThrows() {
        let child = ChildProcessRun(executable: "definitely-not-a-command-xyz", arguments: [], mode: .console, eventLogPath: nil) { _ in }
        #expect(throws: RunError.self) { try child.start() }
    }

    // MARK: the real plugin through the real synapse-sdk and the bridge

    func bridgeEnv(_ home: String, job: String) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["SYNAPSE_HOME"] = home
        env["SYNAPSE_JOB_ID"] = job
        env["SYNAPSE_TUI_STDOUT"] = "1"  // the record descriptor wins: no marked lines even when asked for
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONWARNINGS"] = "ignore"
        return env
    }

    func runBridge(_ action: String, params: String = "{}", during: ((ChildProcessRun, EventBox) -> Void)? = nil)
        throws -> (ChildProcessRun.Outcome, [Event], [Event]) {
        let home = temporaryFolder()
        let log = home + "/jobs/b1/events.jsonl"
        let box = EventBox()
        let child = ChildProcessRun(
            executable: PythonVenv.python!, arguments: ["-m", "synapse_tui_bridge", "run", "--plugin", PythonVenv.demoPlugin, action, "--params", params],
            environment: bridgeEnv(home, job: "b1"), mode: .bridge, eventLogPath: log, action: action, jobID: "b1") { box.add($0) }
        try child.start()
        during?(child, box)
        let outcome = child.wait()
        return (outcome, box.all, try readLog(log))
    }

    @Test(.enabled(if: PythonVenv.python != nil, PythonVenv.skipReason), .timeLimit(.minutes(2)))
    func realPluginThroughTheBridge() throws {
        let (outcome, events, log) = try runBridge("train", params: #"{"epochs": 3}"#)
        #expect(outcome.status == .completed && !outcome.synthesized && outcome.exitStatus == 0)
        // the bridge's records and our output records share one log, whole lines only
        let records = log.filter { if case .output = $0.payload { return false }; return true }
        let marked = events.filter { if case .output = $0.payload { return false }; return true }
        #expect(records.map(EventCodec.encodeString) == marked.map(EventCodec.encodeString))
        #expect(statuses(records).map(\.status) == [.pending, .running, .completed])
        #expect(statuses(records).last?.result == ["epochs": 3, "final_loss": 0.3333])
        #expect(records.filter { if case .message = $0.payload { return true }; return false }.count == 10)
        #expect(records.contains { $0.payload == .end })
        let out = outputs(log)
        #expect(out.contains(OutputLine(stream: .stdout, text: "plain stdout line from the plugin")))
        #expect(out.contains(OutputLine(stream: .stderr, text: "plain stderr line from the plugin")))
        #expect(out.contains(OutputLine(stream: .stdout, text: #"Result: {"epochs": 3, "final_loss": 0.3333}"#)))
        #expect(!out.contains { $0.text.contains("__SYNAPSE_EVENT__") })
    }

    @Test(.enabled(if: PythonVenv.python != nil, PythonVenv.skipReason), .timeLimit(.minutes(2)))
    func realFailingPlugin() throws {
        let (outcome, _, log) = try runBridge("fail", params: #"{"message": "disk on fire"}"#)
        #expect(outcome.status == .failed && !outcome.synthesized && outcome.exitStatus == 1)
        #expect(outcome.error == RunError(type: "ValueError", message: "disk on fire"))
        #expect(outputs(log).contains { $0.stream == .stderr && $0.text == "ValueError: disk on fire" })
    }

    @Test(.enabled(if: PythonVenv.python != nil, PythonVenv.skipReason), .timeLimit(.minutes(2)))
    func realPluginKilledMidRunIsRecordedFailed() throws {
        let (outcome, _, log) = try runBridge("slow", params: #"{"seconds": 30}"#) { child, box in
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline, !box.all.contains(where: { $0.name == "progress" }) { usleep(20_000) }
            child.send(SIGKILL)
        }
        #expect(outcome.status == .failed && outcome.synthesized && outcome.exitStatus == 137)
        let final = statuses(log)
        #expect(final.map(\.status) == [.pending, .running, .failed])
        #expect(final.last?.error?.type == "ChildProcessExited")
    }

    @Test(.enabled(if: PythonVenv.python != nil, PythonVenv.skipReason), .timeLimit(.minutes(2)))
    func realPluginInterruptedIsCancelledByTheBridge() throws {
        let (outcome, _, log) = try runBridge("slow", params: #"{"seconds": 30}"#) { child, box in
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline, !box.all.contains(where: { $0.name == "progress" }) { usleep(20_000) }
            child.interrupt()
        }
        #expect(outcome.status == .cancelled && !outcome.synthesized && outcome.exitStatus == 130)
        #expect(statuses(log).last?.error?.type == "KeyboardInterrupt")
    }
}
