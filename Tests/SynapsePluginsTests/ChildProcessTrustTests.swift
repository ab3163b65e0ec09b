import Foundation
import Testing
@testable import SynapsePlugins

/// True once `pid` no longer runs (gone, or a zombie nobody reaped yet); polls until `timeout`.
func processEnds(_ pid: Int32, within timeout: Double) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    repeat {
        if !processRuns(pid) { return true }
        usleep(20_000)
    } while Date() < deadline
    return !processRuns(pid)
}

func processRuns(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return false }
    let state = stat[stat.index(close, offsetBy: 2)]
    return state != "Z" && state != "X"
}

/// Waits until `path` holds a line of pids (written by the child), and returns them.
func pids(in path: String, within timeout: Double = 60) -> [Int32] {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if let text = try? String(contentsOfFile: path, encoding: .utf8), text.hasSuffix("\n") {
            return text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int32($0) }
        }
        usleep(20_000)
    }
    return []
}

/// Records reach us on the record descriptor only; a child's output cannot pass for them, and its exit
/// status has the last word. A cancel stops the child's whole process group.
@Suite(.timeLimit(.minutes(3))) struct ChildProcessTrustTests {
    func start(_ mode: ChildProcessRun.Mode, _ executable: String, _ args: [String], grace: Double = 5,
               env: [String: String]? = nil) throws -> (ChildProcessRun, EventBox, String) {
        let log = temporaryFolder() + "/jobs/j1/events.jsonl"
        let box = EventBox()
        let child = ChildProcessRun(executable: executable, arguments: args, environment: env, mode: mode,
                                    eventLogPath: log, action: "act", jobID: "j1") { box.add($0) }
        child.gracePeriod = grace
        child.succeedsOnExitZero = mode == .console  // as `run -- CMD` does
        try child.start()
        return (child, box, log)
    }

    static let forgedCompleted = #"__SYNAPSE_EVENT__ {"v":1,"event":"run_status","timestamp":1.0,"data":{"status":"completed","action":"x","result":{"forged":true}}}"#

    @Test func aForgedCompletedMarkerAndExit3IsFailed() throws {
        let script = "echo '\(Self.forgedCompleted)'; echo 'Result: {\"ok\": true}'; exit 3"
        let (child, box, log) = try start(.console, "/bin/sh", ["-c", script])
        let outcome = child.wait()
        #expect(outcome.status == .failed && outcome.exitStatus == 3 && outcome.commandExitCode == 1)
        #expect(outcome.error?.message.contains("exited with status 3 after reporting completed") == true)
        let logged = try readLog(log)
        #expect(statuses(logged).last?.status == .failed)
        // the marker line is output, live and in the log alike
        #expect(outputs(box.all).contains(OutputLine(stream: .stdout, text: Self.forgedCompleted)))
        #expect(logged.map(EventCodec.encodeString) == box.all.map(EventCodec.encodeString))
    }

    @Test func recordsOnTheDescriptorAreRecords() throws {
        let record = #"{"v":1,"event":"message","timestamp":2.0,"level":"warning","data":{"content":"from fd 3"}}"#
        let script = "[ \"$SYNAPSE_EVENT_FD\" = 3 ] || exit 9; echo '\(record)' >&3; echo 'not json' >&3; echo plain"
        let (child, box, log) = try start(.console, "/bin/sh", ["-c", script])
        let outcome = child.wait()
        #expect(outcome.status == .completed && outcome.exitStatus == 0)
        let messages = box.all.compactMap { event -> Message? in if case .message(let m) = event.payload { return m }; return nil }
        #expect(messages.map(\.content).first == "from fd 3")
        #expect(messages.contains { $0.key == "UNREADABLE_RECORD" })
        #expect(try readLog(log).map(EventCodec.encodeString) == box.all.map(EventCodec.encodeString))
    }

    @Test func aCommandInterruptedAfterPrintingAResultIsCancelled() throws {
        let folder = temporaryFolder()
        let script = "echo 'Result: {\"ok\": true}'; echo $$ > \(folder)/pid; exec sleep 300"
        let (child, box, log) = try start(.console, "/bin/sh", ["-c", script])
        #expect(!pids(in: folder + "/pid").isEmpty)
        child.cancel()
        let outcome = child.wait()
        #expect(outcome.status == .cancelled && outcome.synthesized && outcome.commandExitCode == 130)
        #expect(statuses(try readLog(log)).last?.status == .cancelled)
        #expect(statuses(box.all).last?.status == .cancelled)
    }

    @Test func aCancelStopsABackgroundGrandchildWithinTheGracePeriod() throws {
        let folder = temporaryFolder()
        // a non-interactive shell starts its background jobs with SIGINT ignored: SIGINT alone would not do
        let script = "sleep 300 & echo \"$$ $!\" > \(folder)/pids; wait"
        let (child, _, log) = try start(.console, "/bin/sh", ["-c", script])
        let started = pids(in: folder + "/pids")
        try #require(started.count == 2)
        // a fatal signal to synapse-tui would kill this group (ChildGroups), until it is gone
        #expect(ChildGroups.registered.contains(child.processIdentifier))
        let began = Date()
        child.cancel()
        let outcome = child.wait()
        let took = Date().timeIntervalSince(began)
        #expect(!ChildGroups.registered.contains(child.processIdentifier))
        #expect(took < 5, "took \(took) s")
        #expect(outcome.status == .cancelled && !outcome.killed)
        for pid in started { #expect(processEnds(pid, within: 2), "pid \(pid) still runs") }
        #expect(statuses(try readLog(log)).last?.status == .cancelled)
    }

    @Test func aChildIgnoringSIGINTAndSIGTERMIsKilledAfterTheGracePeriod() throws {
        let folder = temporaryFolder()
        let script = "trap '' INT TERM; sleep 300 & echo \"$$ $!\" > \(folder)/pids; while :; do sleep 0.05; done"
        let (child, box, log) = try start(.console, "/bin/sh", ["-c", script], grace: 1.5)
        let started = pids(in: folder + "/pids")
        try #require(started.count == 2)
        let began = Date()
        child.cancel()
        let stopping = try #require(child.stopState)
        #expect(!stopping.killed && stopping.killAt > Event.now())
        let outcome = child.wait()
        let took = Date().timeIntervalSince(began)
        #expect(took >= 1.4 && took < 4, "took \(took) s")
        #expect(outcome.status == .cancelled && outcome.killed && outcome.exitStatus == 137)
        #expect(outcome.error?.type == "Killed")
        #expect(outcome.error?.message.contains("did not stop within 1.5 s of the cancel and was killed (SIGKILL)") == true)
        for pid in started { #expect(processEnds(pid, within: 2), "pid \(pid) still runs") }
        #expect(statuses(try readLog(log)).last?.error?.type == "Killed")
        #expect(statuses(box.all).last?.error?.type == "Killed")
        #expect(child.stopState == nil)
    }

    @Test func whatTheChildLeftRunningIsStoppedWhenItExits() throws {
        let folder = temporaryFolder()
        let script = "sleep 300 & echo $! > \(folder)/pids; echo done"
        let (child, box, _) = try start(.console, "/bin/sh", ["-c", script])
        let outcome = child.wait()
        #expect(outcome.status == .completed)
        let left = pids(in: folder + "/pids")
        try #require(left.count == 1)
        #expect(processEnds(left[0], within: 2))
        let messages = box.all.compactMap { event -> Message? in if case .message(let m) = event.payload { return m }; return nil }
        #expect(messages.contains { $0.key == "CHILD_LEFTOVERS" && $0.content.contains("1 process the run left running was stopped") })
    }

    @Test func aProcessThatLeftTheGroupHoldingThePipesIsNotWaitedFor() throws {
        let folder = temporaryFolder()
        // setsid: a new session, out of the child's group, with our stdout and stderr pipes still open
        let script = "setsid sleep 300 & echo $! > \(folder)/pids; echo bye"
        let began = Date()
        let (child, box, _) = try start(.console, "/bin/sh", ["-c", script])
        let outcome = child.wait()
        let took = Date().timeIntervalSince(began)
        let escaped = pids(in: folder + "/pids")
        for pid in escaped { kill(pid, SIGKILL) }
        #expect(took < 5, "took \(took) s")
        #expect(outcome.status == .completed)
        #expect(outputs(box.all).contains(OutputLine(stream: .stdout, text: "bye")))
    }

    @Test func aNonExecutableFileIsReportedAsSuch() throws {
        let folder = temporaryFolder()
        let path = folder + "/script.sh"
        try "#!/bin/sh\necho hi\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o644)
        #expect(throws: RunError(type: "PermissionError", message: "\(path): permission denied (not executable)")) {
            try ChildProcessRun.locate(executable: path)
        }
        #expect(throws: RunError(type: "PermissionError", message: "\(folder): is a directory")) {
            try ChildProcessRun.locate(executable: folder)
        }
        #expect(throws: RunError(type: "FileNotFoundError", message: "\(folder)/nope: command not found")) {
            try ChildProcessRun.locate(executable: folder + "/nope")
        }
        #expect(throws: RunError(type: "PermissionError", message: "script.sh: permission denied (not executable)")) {
            try ChildProcessRun.locate(executable: "script.sh", environment: ["PATH": folder])
        }
    }

    @Test func markedLinesNeedTheRunsToken() throws {
        let event = Event(timestamp: 3, payload: .message(Message(content: "m")))
        let withToken = "prefix " + MarkedLine.encode(event, token: "abc123")
        let legacy = MarkedLine.encode(event)
        #expect(try #require(MarkedLine.decode(withToken[...], trust: .token("abc123"))) == .success(event))
        #expect(MarkedLine.decode(legacy[...], trust: .token("abc123")) == nil)
        #expect(MarkedLine.decode(withToken[...], trust: .token("abc124")) == nil)
        #expect(MarkedLine.decode(withToken[...], trust: .none) == nil)
        #expect(try #require(MarkedLine.decode(legacy[...], trust: .anyMarker)) == .success(event))
        #expect(try #require(MarkedLine.decode(withToken[...], trust: .anyMarker)) == .success(event))
        #expect(MarkedLine.decode("__SYNAPSE_EVENT__x {}"[...], trust: .anyMarker) == nil)
        let token = MarkedLine.newToken()
        #expect(token.count == 32 && token.allSatisfy(\.isHexDigit) && token != MarkedLine.newToken())
    }

    // MARK: the real plugin through the real synapse-sdk and the bridge

    func bridge(_ action: String, params: String, grace: Double = 5) throws -> (ChildProcessRun, EventBox, String) {
        let home = temporaryFolder()
        var env = ProcessInfo.processInfo.environment
        env["SYNAPSE_HOME"] = home
        env["SYNAPSE_JOB_ID"] = "b1"
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONWARNINGS"] = "ignore"
        let box = EventBox()
        let log = home + "/jobs/b1/events.jsonl"
        let child = ChildProcessRun(
            executable: PythonVenv.python!, arguments: ["-m", "synapse_tui_bridge", "run", "--plugin", PythonVenv.probePlugin, action, "--params", params],
            environment: env, mode: .bridge, eventLogPath: log, action: action, jobID: "b1") { box.add($0) }
        child.gracePeriod = grace
        try child.start()
        return (child, box, log)
    }

    @Test(.enabled(if: PythonVenv.python != nil, PythonVenv.skipReason))
    func aPluginsForgedRecordsAreOutputLiveAndInTheLog() throws {
        let (child, box, log) = try bridge("forge", params: "{}")
        let outcome = child.wait()
        #expect(outcome.status == .completed && !outcome.synthesized)
        let logged = try readLog(log)
        // what the screen got is what the log holds (the log's order interleaves two writers)
        #expect(Set(logged.map(EventCodec.encodeString)) == Set(box.all.map(EventCodec.encodeString)))
        #expect(logged.count == box.all.count)
        let messages = logged.compactMap { event -> Message? in if case .message(let m) = event.payload { return m }; return nil }
        #expect(messages.map(\.content) == ["genuine message"])
        #expect(outputs(logged).filter { $0.text.contains("__SYNAPSE_EVENT__") }.count == 3)
        #expect(outputs(logged).contains { $0.text == "channel visible: fd=None token=None" })
        #expect(statuses(logged).last?.result == ["forged": false])
    }

    @Test(.enabled(if: PythonVenv.python != nil, PythonVenv.skipReason), arguments: [false, true])
    func cancellingAPluginStopsItsGrandchild(stubbornGrandchild: Bool) throws {
        let folder = temporaryFolder()
        let params = #"{"pid_file": "\#(folder)/pids", "stubborn_grandchild": \#(stubbornGrandchild)}"#
        let (child, _, log) = try bridge("spawn", params: params, grace: 2)
        let started = pids(in: folder + "/pids")
        try #require(started.count == 2)
        let began = Date()
        child.cancel()
        let outcome = child.wait()
        let took = Date().timeIntervalSince(began)
        #expect(took < 4, "took \(took) s")
        // the bridge recorded the cancel itself; a grandchild ignoring SIGTERM was killed and the job says so
        #expect(outcome.status == .cancelled && !outcome.synthesized)
        for pid in started { #expect(processEnds(pid, within: 2), "pid \(pid) still runs") }
        let logged = try readLog(log)
        #expect(statuses(logged).last?.status == .cancelled)
        let leftovers = logged.compactMap { event -> Message? in
            if case .message(let m) = event.payload, m.key == "CHILD_LEFTOVERS" { return m }; return nil
        }
        if stubbornGrandchild {
            #expect(leftovers.map(\.content) == ["1 process the run left running ignored SIGTERM and was killed (SIGKILL)"])
        }
    }

    @Test(.enabled(if: PythonVenv.python != nil, PythonVenv.skipReason))
    func aPluginIgnoringTheCancelIsKilledAfterTheGracePeriod() throws {
        let folder = temporaryFolder()
        let (child, _, log) = try bridge("spawn", params: #"{"pid_file": "\#(folder)/pids", "stubborn": true}"#, grace: 2)
        let started = pids(in: folder + "/pids")
        try #require(started.count == 2)
        // the plugin ignores SIGINT/SIGTERM only once it said so
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !((try? readLog(log)) ?? []).contains(where: { $0.name == "message" }) { usleep(20_000) }
        let began = Date()
        child.cancel()
        let outcome = child.wait()
        let took = Date().timeIntervalSince(began)
        #expect(took >= 1.9 && took < 4, "took \(took) s")
        #expect(outcome.status == .cancelled && outcome.synthesized && outcome.killed)
        #expect(outcome.error?.message.contains("did not stop within 2 s of the cancel and was killed (SIGKILL)") == true)
        for pid in started { #expect(processEnds(pid, within: 2), "pid \(pid) still runs") }
        #expect(statuses(try readLog(log)).last?.error?.type == "Killed")
    }
}
