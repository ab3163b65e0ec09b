import Foundation
import Testing

/// Drives the built `synapse-tui` binary as a user would, with its own `SYNAPSE_HOME`.
@Suite(.serialized) struct CLIRunTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let home: URL = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("synapse-cli-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// The binary next to the test bundle (SwiftPM builds it because this target depends on it).
    static let binary: URL? = {
        if let path = ProcessInfo.processInfo.environment["SYNAPSE_TUI_BINARY"] { return URL(fileURLWithPath: path) }
        var candidates: [URL] = []
        for start in [URL(fileURLWithPath: CommandLine.arguments[0]), Bundle.main.bundleURL, Bundle.main.executableURL]
            .compactMap({ $0 }) {
            var dir = start.deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(dir.appendingPathComponent("synapse-tui"))
                dir = dir.deletingLastPathComponent()
            }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/synapse-tui"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) && !$0.hasDirectoryPath }
    }()

    func launch(_ arguments: [String]) throws -> (Process, URL, URL) {
        let binary = try #require(Self.binary, "synapse-tui binary not found; set SYNAPSE_TUI_BINARY")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SYNAPSE_HOME"] = home.path
        environment["NO_COLOR"] = "1"
        environment["LC_ALL"] = "C.UTF-8"  // else the screen is ASCII where the machine has no UTF-8 locale
        process.environment = environment
        let id = UUID().uuidString.prefix(8)
        let out = home.appendingPathComponent("out-\(id)"), err = home.appendingPathComponent("err-\(id)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    /// Waits for the process with a deadline (killing it if it overruns) and collects its output.
    func finish(_ launched: (Process, URL, URL), timeout: Double = 60) async throws -> Run {
        let (process, out, err) = launched
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            process.terminate()
            Issue.record("synapse-tui \(process.arguments ?? []) did not finish within \(timeout)s")
        }
        process.waitUntilExit()
        return Run(status: process.terminationStatus,
                   stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                   stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    func run(_ arguments: [String]) async throws -> Run {
        try await finish(try launch(arguments))
    }

    func jobID(_ run: Run) -> String? {
        run.stdout.split(separator: "\n").first { $0.hasPrefix("Job: ") }.map { String($0.dropFirst(5)) }
    }

    func jobsJSON() async throws -> [[String: Any]] {
        let listing = try await run(["jobs", "--json"])
        #expect(listing.status == 0)
        return listing.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test func runTwiceThenJobsListsBothWithTheirStatus() async throws {
        let completed = try await run(["run", "train", "--params", #"{"epochs": 3, "epoch_seconds": 0.01}"#])
        #expect(completed.status == 0, "stderr: \(completed.stderr)")
        #expect(completed.stdout.contains(#"Result: {"#) && completed.stdout.contains(#""epochs_trained":3"#))
        #expect(completed.stderr.contains("✔ train completed"))
        let first = try #require(jobID(completed))

        let failed = try await run(["run", "evaluate", "--params", #"{"fail": true, "batch_seconds": 0}"#])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("EvaluationFailed"))
        let second = try #require(jobID(failed))

        let jobs = try await jobsJSON()
        #expect(jobs.compactMap { $0["id"] as? String } == [second, first])  // newest first
        #expect(jobs.compactMap { $0["status"] as? String } == ["failed", "completed"])
        #expect(jobs.compactMap { $0["action"] as? String } == ["evaluate", "train"])

        let table = try await run(["jobs"])
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("JOB ID") == true)
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix(second.prefix(8)) && lines[1].contains("failed"))
        #expect(lines[2].hasPrefix(first.prefix(8)) && lines[2].contains("completed") && lines[2].contains("100% 3/3"))
        #expect(lines.allSatisfy { $0.count <= 80 }, "jobs fits 80 columns: \(table.stdout)")
        let wide = try await run(["jobs", "--wide"]).stdout.split(separator: "\n")
        #expect(wide[1].hasPrefix(second) && wide[2].hasPrefix(first))

        // The event log is where the issue says, private, and complete.
        let log = home.appendingPathComponent("jobs/\(first)/events.jsonl")
        let text = try String(contentsOf: log, encoding: .utf8)
        #expect(text.split(separator: "\n").last?.contains(#""status":"completed""#) == true)
    }

    @Test func invalidParamsAndUnknownActionsExitTwo() async throws {
        let invalid = try await run(["run", "train", "--params", #"{"epochs": 0, "batch_size": "x"}"#])
        #expect(invalid.status == 2)
        #expect(invalid.stderr.contains("2 validation errors for TrainAction.Params"))
        #expect(invalid.stderr.contains("[rule=ge, input_value=0]"))
        let unknown = try await run(["run", "nope"])
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown action 'nope'"))
        let badJSON = try await run(["run", "train", "--params", "{"])
        #expect(badJSON.status == 2)
        let badCheckpoint = try await run(["run", "train", "--checkpoint", "nocolon"])
        #expect(badCheckpoint.status == 2)
        let usage = try await run(["run"])
        #expect(usage.status == 64)
    }

    @Test func sigintCancelsTheRunAndIsRecorded() async throws {
        let launched = try launch(["run", "train", "--params", #"{"epochs": 1000, "epoch_seconds": 0.05}"#])
        // Wait until the run is really going: its log shows progress.
        let jobs = home.appendingPathComponent("jobs")
        let going = await poll(timeout: 30) {
            let ids = (try? FileManager.default.contentsOfDirectory(atPath: jobs.path)) ?? []
            return ids.contains { id in
                ((try? String(contentsOf: jobs.appendingPathComponent("\(id)/events.jsonl"), encoding: .utf8)) ?? "")
                    .contains(#""event":"progress""#)
            }
        }
        #expect(going)
        launched.0.interrupt()
        let result = try await finish(launched)
        #expect(result.status == 130, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("Status: cancelled"))
        let listed = try await jobsJSON()
        #expect(listed.first?["status"] as? String == "cancelled")
        #expect(result.stderr.contains("cancelled by SIGINT (Ctrl-C)"), "stderr: \(result.stderr)")
    }

    @Test func sigtermAlsoCancels() async throws {
        let launched = try launch(["run", "train", "--params", #"{"epochs": 1000, "epoch_seconds": 0.05}"#])
        let jobs = home.appendingPathComponent("jobs")
        #expect(await poll(timeout: 30) {
            ((try? FileManager.default.contentsOfDirectory(atPath: jobs.path)) ?? []).contains { id in
                ((try? String(contentsOf: jobs.appendingPathComponent("\(id)/events.jsonl"), encoding: .utf8)) ?? "")
                    .contains(#""event":"progress""#)
            }
        })
        launched.0.terminate()
        let result = try await finish(launched)
        #expect(result.status == 130)
        let log = try #require(try FileManager.default.contentsOfDirectory(atPath: jobs.path).first)
        let text = try String(contentsOf: jobs.appendingPathComponent("\(log)/events.jsonl"), encoding: .utf8)
        #expect(text.contains(#""message":"cancelled by SIGTERM""#), "log tail: \(text.suffix(400))")
        #expect(try await jobsJSON().first?["status"] as? String == "cancelled")
    }

    /// The final run_status's error message in a job's log, polled until it is there or `timeout` passes.
    func finalCancelMessage(job: String, timeout: Double) async -> String? {
        let log = home.appendingPathComponent("jobs/\(job)/events.jsonl")
        var found: String?
        _ = await poll(timeout: timeout) {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            guard let line = text.split(separator: "\n").last(where: { $0.contains(#""status":"cancelled""#) }) else { return false }
            found = String(line)
            return true
        }
        return found
    }

    @Test func headlessSighupCancelsAndRecords() async throws {
        let launched = try launch(["run", "train", "--headless", "--job-id", "hup", "--params",
                                   #"{"epochs": 1000, "epoch_seconds": 0.05}"#])
        #expect(await poll(timeout: 30) {
            ((try? String(contentsOf: home.appendingPathComponent("jobs/hup/events.jsonl"), encoding: .utf8)) ?? "")
                .contains(#""event":"progress""#)
        })
        #expect(kill(launched.0.processIdentifier, SIGHUP) == 0)
        let line = await finalCancelMessage(job: "hup", timeout: 30)
        #expect(line?.contains("cancelled by SIGHUP") == true, "final status: \(line ?? "none")")
        _ = try await finish(launched)
    }

    @Test func headlessRunWhoseReaderWentAwayIsCancelledAndRecorded() async throws {
        let binary = try #require(Self.binary)
        // `head -n 1` reads "Job: pipe" and exits: the run's stdout pipe has no reader any more.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "'\(binary.path)' run train --headless --job-id pipe --params "
                             + #"'{"epochs": 1000, "epoch_seconds": 0.05}' 2>/dev/null | head -n 1 >/dev/null"#]
        var environment = ProcessInfo.processInfo.environment
        environment["SYNAPSE_HOME"] = home.path
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let line = await finalCancelMessage(job: "pipe", timeout: 30)
        #expect(line?.contains("standard output closed (broken pipe)") == true, "final status: \(line ?? "none")")
        let ended = await poll(timeout: 30) { !process.isRunning }
        if !ended { process.terminate() }
        #expect(ended, "the pipeline ends once the run recorded cancelled")
    }

    @Test func headlessChildRunWhoseReaderWentAwayIsCancelledAndRecorded() async throws {
        let binary = try #require(Self.binary)
        // The supervisor of `run -- CMD` echoes the child's lines to stderr, which goes into a pipe whose reader
        // (`head -n 1`, after "Job: cmd-pipe") is gone: it cancels the child instead of dying of SIGPIPE (which
        // would leave the job without a final status).
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "'\(binary.path)' run --job-id cmd-pipe -- sh -c 'while :; do echo tick; sleep 0.1; done' "
                             + "2>&1 | head -n 1 >/dev/null"]
        var environment = ProcessInfo.processInfo.environment
        environment["SYNAPSE_HOME"] = home.path
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let line = await finalCancelMessage(job: "cmd-pipe", timeout: 30)
        #expect(line?.contains("closed (broken pipe)") == true, "final status: \(line ?? "none")")
        let ended = await poll(timeout: 30) { !process.isRunning }
        if !ended { process.terminate() }
        #expect(ended, "the pipeline ends once the run recorded cancelled")
    }

    @Test func paramsFileCheckpointEnvFileAndDebug() async throws {
        let params = home.appendingPathComponent("params.json")
        try #"{"epochs": 2, "epoch_seconds": 0}"#.write(to: params, atomically: true, encoding: .utf8)
        let env = home.appendingPathComponent("plugin.env")
        try "storage_path = \"/data\"\naccess_token = \"sekrit\"\n".write(to: env, atomically: true, encoding: .utf8)
        let result = try await run(["run", "train", "--params-file", params.path, "--checkpoint", "base:/models/m.pt",
                                    "--env-file", env.path, "--debug"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains(#"checkpoint_loaded {"category":"base","path":"/models/m.pt"}"#))
        #expect(result.stderr.contains("Debug mode enabled"))  // a dev event, shown because of --debug
        #expect(result.stderr.contains("SYNAPSE_STORAGE_PATH"))
        #expect(!result.stderr.contains("sekrit"))  // the env dump masks secrets
        let id = try #require(jobID(result))
        let log = try String(contentsOf: home.appendingPathComponent("jobs/\(id)/events.jsonl"), encoding: .utf8)
        #expect(!log.contains("sekrit"))
    }

    @Test func actionsListsTheRegistry() async throws {
        let result = try await run(["actions", "--json"])
        #expect(result.status == 0)
        #expect(result.stdout.contains(#"{"name":"train""#) && result.stdout.contains(#""epochs":50"#))
    }

    @Test func pipelineFromTheCommandLine() async throws {
        let result = try await run(["run", "preprocess", "evaluate", "--params",
                                    #"{"preprocess": {"shard_seconds": 0}, "evaluate": {"batch_seconds": 0}}"#])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("[2/2] evaluate completed"))
    }

    @Test func helpEverywhere() async throws {
        for arguments in [["--help"], ["run", "--help"], ["jobs", "--help"]] {
            let help = try await run(arguments)
            #expect(help.status == 0)
            #expect(help.stdout.contains("USAGE"), "\(arguments)")
        }
        let runHelp = try await run(["run", "--help"])
        #expect(runHelp.stdout.contains("train") && runHelp.stdout.contains("130"))
    }

    func poll(timeout: Double, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }
}
