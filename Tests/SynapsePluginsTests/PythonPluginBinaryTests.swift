import Foundation
import Testing
@testable import SynapsePlugins

/// The built `synapse-tui` binary (beside the test bundle), or `$SYNAPSE_TUI_BIN`.
enum SynapseBinary {
    static let path: String? = {
        if let env = ProcessInfo.processInfo.environment["SYNAPSE_TUI_BIN"], FileManager.default.isExecutableFile(atPath: env) { return env }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for folder in [beside, beside.deletingLastPathComponent()] {
            let candidate = folder.appendingPathComponent("synapse-tui").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        print("NOTE: synapse-tui binary not found beside the tests (swift build first, or set SYNAPSE_TUI_BIN); skipping binary tests")
        return nil
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var home: String

        func log(_ job: String) throws -> [Event] { try readLog(home + "/jobs/\(job)/events.jsonl") }
    }

    static func run(_ arguments: [String], home: String = temporaryFolder()) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["SYNAPSE_HOME"] = home
        env["PYTHONWARNINGS"] = "ignore"
        env.removeValue(forKey: "SYNAPSE_JOB_ID")
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // read both pipes while the child runs (a full pipe would block it)
        let box = EventBoxData()
        let group = DispatchGroup()
        for (pipe, isOut) in [(out, true), (err, false)] {
            group.enter()
            Thread {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                box.set(data, isOut)
                group.leave()
            }.start()
        }
        process.waitUntilExit()
        group.wait()
        return Result(status: process.terminationStatus, stdout: String(decoding: box.out, as: UTF8.self),
                      stderr: String(decoding: box.err, as: UTF8.self), home: home)
    }

    static var ready: Bool { path != nil }
    static var readyWithPython: Bool { path != nil && PythonVenv.python != nil }
}

final class EventBoxData: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var out = Data(), err = Data()
    func set(_ data: Data, _ isOut: Bool) { lock.withLock { if isOut { out = data } else { err = data } } }
}

@Suite(.serialized) struct PythonPluginBinaryTests {
    let plugin = PythonVenv.demoPlugin
    let optionsPlugin = PythonVenv.demoPlugin.replacingOccurrences(of: "/demo_plugin", with: "/options_plugin")

    @Test(.enabled(if: SynapseBinary.readyWithPython, PythonVenv.skipReason), .timeLimit(.minutes(3)))
    func runPluginThroughTheBinary() throws {
        let r = try SynapseBinary.run(["run", "--plugin", plugin, "train", "--params", #"{"epochs": 2}"#,
                                       "--python", PythonVenv.python!, "--job-id", "cli-1", "--headless"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "Job: cli-1\nResult: {\"epochs\":2,\"final_loss\":0.5}\n")
        let log = try r.log("cli-1")
        #expect(statuses(log).map(\.status) == [.pending, .running, .completed])
        #expect(outputs(log).contains(OutputLine(stream: .stdout, text: "plain stdout line from the plugin")))
        #expect(outputs(log).contains(OutputLine(stream: .stderr, text: "plain stderr line from the plugin")))
        #expect(log.contains { $0.payload == .end })
        #expect(r.stderr.contains("Training finished"))

        // `synapse-tui show` prints the final state of that job
        let show = try SynapseBinary.run(["show", "cli-1", "--size", "110x40", "--ascii"], home: r.home)
        #expect(show.status == 0, "\(show.stderr)")
        for needle in ["COMPLETED", "job cli-1", "2/2", "100%", "loss", "validation", "mAP", "Training finished",
                       "Plugin run is complete."] {
            #expect(show.stdout.contains(needle), "'\(needle)' missing from show:\n\(show.stdout)")
        }
    }

    @Test(.enabled(if: SynapseBinary.ready, "needs the synapse-tui binary"), .timeLimit(.minutes(2)))
    func showConsoleCapture() throws {
        // what `synapse plugin run fail --mode local ... > capture 2>&1` leaves
        let capture = temporaryFolder() + "/capture.txt"
        try Data((try ConsoleFixtures.text("local-fail.stdout") + (try ConsoleFixtures.text("local-fail.stderr"))).utf8)
            .write(to: URL(fileURLWithPath: capture))
        let show = try SynapseBinary.run(["show", "--console", capture, "--size", "100x30", "--ascii"])
        #expect(show.status == 0, "\(show.stderr)")
        for needle in ["FAILED", "About to fail", "disk on fire"] {
            #expect(show.stdout.contains(needle), "'\(needle)' missing from show:\n\(show.stdout)")
        }
        let both = try SynapseBinary.run(["show", "cli-1", "--console", capture])
        #expect(both.status != 0)
    }

    @Test(.enabled(if: SynapseBinary.readyWithPython, PythonVenv.skipReason), .timeLimit(.minutes(3)))
    func failingAndUnknownActions() throws {
        let failed = try SynapseBinary.run(["run", "--plugin", plugin, "fail", "--python", PythonVenv.python!, "--job-id", "cli-f"])
        #expect(failed.status == 1)
        #expect(failed.stdout.hasSuffix("Status: failed\n"))
        #expect(statuses(try failed.log("cli-f")).last?.error == RunError(type: "ValueError", message: "simulated failure"))

        let unknown = try SynapseBinary.run(["run", "--plugin", plugin, "nope", "--python", PythonVenv.python!, "--job-id", "cli-u"])
        #expect(unknown.status == 2)
        #expect(statuses(try unknown.log("cli-u")).last?.error?.type == "ActionNotFoundError")
    }

    @Test(.enabled(if: SynapseBinary.readyWithPython, PythonVenv.skipReason), .timeLimit(.minutes(3)))
    func pipelineOfPluginActions() throws {
        let r = try SynapseBinary.run(["run", "--plugin", plugin, "fetch", "transform", "report", "--params", #"{"count": 3}"#,
                                       "--python", PythonVenv.python!, "--job-id", "cli-p"])
        #expect(r.status == 0, "\(r.stderr)")
        let log = try r.log("cli-p")
        let actionStatuses = log.compactMap { e -> String? in
            if case .actionStatus(let a) = e.payload { return "\(a.action):\(a.status.rawValue)" }
            return nil
        }
        #expect(actionStatuses.suffix(2) == ["report:running", "report:completed"])
        #expect(statuses(log).last?.result == ["report": "total=6", "total": 6])
    }

    @Test(.enabled(if: SynapseBinary.ready, "needs the synapse-tui binary"), .timeLimit(.minutes(2)))
    func pythonWithoutTheBridgeIsAFailedRun() throws {
        let r = try SynapseBinary.run(["run", "--plugin", plugin, "train", "--python", "/bin/sh", "--job-id", "cli-x"])
        #expect(r.status == 1)
        let final = statuses(try r.log("cli-x")).last
        #expect(final?.status == .failed && final?.error?.type == "ChildProcessExited")
        #expect(r.stderr.contains("without a final status"))
    }

    @Test(.enabled(if: SynapseBinary.ready, "needs the synapse-tui binary"), .timeLimit(.minutes(2)))
    func runAnyCommand() throws {
        let script = """
            echo "[STEP: train] [LEVEL: INFO] Metrics: {'loss': 0.25}"
            echo "just text"
            echo 'Result: {"ok": true}'
            """
        let r = try SynapseBinary.run(["run", "--job-id", "cmd-1", "--", "sh", "-c", script])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "Job: cmd-1\nResult: {\"ok\":true}\n")
        let log = try r.log("cmd-1")
        #expect(log.map(\.name) == ["run_status", "metrics", "output", "run_status"])
        #expect(statuses(log).first?.status == RunStatus.running)
        #expect(statuses(log).last == RunStatusUpdate(status: .completed, action: "sh -c \(script)", jobID: "cmd-1", result: ["ok": true]))

        let failing = try SynapseBinary.run(["run", "--job-id", "cmd-2", "--", "sh", "-c", "echo oops >&2; exit 5"])
        #expect(failing.status == 1)
        #expect(statuses(try failing.log("cmd-2")).last?.error?.message.contains("exited with status 5") == true)

        let missing = try SynapseBinary.run(["run", "--job-id", "cmd-3", "--", "no-such-command-xyz"])
        #expect(missing.status == 1)
        #expect(statuses(try missing.log("cmd-3")).last?.error?.type == "FileNotFoundError")
    }

    @Test(.enabled(if: SynapseBinary.ready, "needs the synapse-tui binary"), .timeLimit(.minutes(2)))
    func aForgedCompletedRecordAndExit3IsAFailedRun() throws {
        let forged = #"__SYNAPSE_EVENT__ {"v":1,"event":"run_status","timestamp":1.0,"data":{"status":"completed","result":{"forged":true}}}"#
        let r = try SynapseBinary.run(["run", "--job-id", "cmd-f", "--", "sh", "-c", "echo '\(forged)'; exit 3"])
        #expect(r.status == 1)
        #expect(r.stdout == "Job: cmd-f\nStatus: failed\n")
        let log = try r.log("cmd-f")
        #expect(statuses(log).map(\.status) == [.running, .failed])
        #expect(outputs(log) == [OutputLine(stream: .stdout, text: forged)])
        // what `show` prints is the log: the forged text as output, the run failed
        let show = try SynapseBinary.run(["show", "cmd-f", "--size", "200x30", "--ascii"], home: r.home)
        #expect(show.stdout.contains("FAILED") && show.stdout.contains("exited with status 3"), "\(show.stdout)")
    }

    @Test(.enabled(if: SynapseBinary.ready, "needs the synapse-tui binary"), .timeLimit(.minutes(2)))
    func errorsNameANonExecutableCommandAndShowNoRawEscapes() throws {
        let folder = temporaryFolder()
        let script = folder + "/script.sh"
        try "#!/bin/sh\necho hi\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o644)
        let r = try SynapseBinary.run(["run", "--job-id", "cmd-x", "--", script])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(script): permission denied (not executable)"), "\(r.stderr)")
        #expect(statuses(try r.log("cmd-x")).last?.error?.type == "PermissionError")

        let escape = try SynapseBinary.run(["run", "--job-id", "cmd-e", "--", "no-such-\u{1B}[31mred\u{9B}2J"])
        #expect(escape.status == 1)
        #expect(!escape.stderr.unicodeScalars.contains { $0 == "\u{1B}" || (0x80...0x9F).contains($0.value) }, "\(escape.stderr.debugDescription)")
        #expect(escape.stderr.contains("command not found"))

        // `jobs --json` escapes C1 controls too (still the same JSON value)
        let jobs = try SynapseBinary.run(["jobs", "--json"], home: escape.home)
        #expect(jobs.status == 0)
        #expect(!jobs.stdout.unicodeScalars.contains { $0 == "\u{1B}" || (0x80...0x9F).contains($0.value) }, "\(jobs.stdout.debugDescription)")
        #expect(jobs.stdout.contains(#"no-such-\u001b[31mred\u009b2J"#), "\(jobs.stdout)")
        let parsed = try JSONParser.parse(String(jobs.stdout.split(separator: "\n")[0]))
        #expect(parsed.objectValue?["action"] == .string("no-such-\u{1B}[31mred\u{9B}2J"))

        // argument errors quote the arguments: no raw escapes there either
        let bad = try SynapseBinary.run(["bogus\u{1B}[31m\u{9B}"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("bogus"), "\(bad.stderr)")
        #expect(!bad.stderr.unicodeScalars.contains { $0 == "\u{1B}" || (0x80...0x9F).contains($0.value) }, "\(bad.stderr.debugDescription)")
    }

    @Test(.enabled(if: SynapseBinary.readyWithPython, PythonVenv.skipReason), .timeLimit(.minutes(3)))
    func runTheBridgeAsAPlainCommandUsesItsRecordDescriptor() throws {
        let r = try SynapseBinary.run(["run", "--job-id", "cmd-b", "--", PythonVenv.python!, "-m", "synapse_tui_bridge", "run",
                                       "--plugin", plugin, "transform", "--params", #"{"items": [4, 5]}"#, "--no-result"])
        #expect(r.status == 0, "\(r.stderr)")
        let log = try r.log("cmd-b")
        #expect(log.contains { if case .metrics(let m) = $0.payload { return m["total"] == 9 }; return false })
        #expect(statuses(log).last?.status == .completed && statuses(log).last?.result == ["total": 9])
    }

    /// `--checkpoint`, `--env-file` and `--debug` reach the plugin (ctx.checkpoint, ctx.env, SYNAPSE_DEBUG), the
    /// job id is SYNAPSE_JOB_ID, and stdlib logging arrives as messages with levels (debug with --debug).
    @Test(.enabled(if: SynapseBinary.readyWithPython, PythonVenv.skipReason), .timeLimit(.minutes(3)))
    func optionsReachThePlugin() throws {
        let home = temporaryFolder()
        let envFile = home + "/plugin.env"
        try Data("FROM_FILE = \"from the file\"\nDEMO_PLUGIN_ENV=overridden\n".utf8).write(to: URL(fileURLWithPath: envFile))
        let r = try SynapseBinary.run(["run", "--plugin", optionsPlugin, "options", "--checkpoint", "base:/models/r18.pt",
                                       "--env-file", envFile, "--debug", "--python", PythonVenv.python!,
                                       "--job-id", "cli-o", "--headless"], home: home)
        #expect(r.status == 0, "\(r.stderr)")
        let log = try r.log("cli-o")
        let result = try #require(statuses(log).last?.result)
        #expect(result["checkpoint"] == ["category": "base", "path": "/models/r18.pt"])
        #expect(result["env"]?["FROM_FILE"] == "from the file")
        #expect(result["env"]?["DEMO_PLUGIN_ENV"] == "overridden")
        #expect(result["synapse_debug"] == "1")
        #expect(result["job_id_env"] == "cli-o")
        let logged = log.compactMap { e -> String? in
            guard case .message(let m) = e.payload, m.content.hasPrefix("tui_demo.options: ") else { return nil }
            return "\(e.level?.rawValue ?? "-") \(m.content.split(separator: "\n")[0])"
        }
        #expect(logged == ["debug tui_demo.options: debug from logging", "info tui_demo.options: info from logging",
                           "warning tui_demo.options: warning from logging", "danger tui_demo.options: error from logging",
                           "critical tui_demo.options: critical from logging", "danger tui_demo.options: with a traceback"])

        // A bad env file or checkpoint is said before any job exists (exit 2).
        let bad = try SynapseBinary.run(["run", "--plugin", optionsPlugin, "options", "--env-file", home + "/missing.env",
                                         "--python", PythonVenv.python!, "--job-id", "cli-bad"], home: home)
        #expect(bad.status == 2)
        #expect(!FileManager.default.fileExists(atPath: home + "/jobs/cli-bad"))
        let badCheckpoint = try SynapseBinary.run(["run", "--plugin", optionsPlugin, "options", "--checkpoint", "nocolon",
                                                   "--python", PythonVenv.python!, "--job-id", "cli-bad2"], home: home)
        #expect(badCheckpoint.status == 2)
    }

    /// `run -- CMD` gives the child its job id and, with --debug, SYNAPSE_DEBUG.
    @Test(.enabled(if: SynapseBinary.ready, "needs the synapse-tui binary"), .timeLimit(.minutes(2)))
    func commandGetsTheJobIDAndDebug() throws {
        let script = #"echo "Result: {\"id\": \"$SYNAPSE_JOB_ID\", \"debug\": \"$SYNAPSE_DEBUG\"}""#
        let r = try SynapseBinary.run(["run", "--job-id", "cmd-j", "--debug", "--", "sh", "-c", script])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(statuses(try r.log("cmd-j")).last?.result == ["id": "cmd-j", "debug": "1"])
        let checkpoint = try SynapseBinary.run(["run", "--checkpoint", "base:/x", "--", "true"])
        #expect(checkpoint.status != 0 && checkpoint.stderr.contains("--checkpoint goes with"))
    }
}
