import Foundation
import Testing
import SynapsePlugins
import SynapseTestSupport
@testable import SynapseRay

/// The parts of the Ray integration that need no Ray: status mapping, dedupe, backoff, Retry-After, addresses.
@Suite struct RayPureTests {
    @Test func statusMapping() {
        #expect(RayJobStatus("PENDING").runStatus == .pending)
        #expect(RayJobStatus("RUNNING").runStatus == .running)
        #expect(RayJobStatus("STOPPED").runStatus == .cancelled)
        #expect(RayJobStatus("SUCCEEDED").runStatus == .completed)
        #expect(RayJobStatus("FAILED").runStatus == .failed)
        #expect(RayJobStatus("succeeded") == .succeeded)
        #expect(RayJobStatus("RESTARTING") == .other("RESTARTING"))
        #expect(RayJobStatus("RESTARTING").runStatus == .running)
        #expect(!RayJobStatus("RESTARTING").isTerminal)
        #expect([RayJobStatus.stopped, .succeeded, .failed].allSatisfy { $0.isTerminal })
        #expect(![RayJobStatus.pending, .running].contains { $0.isTerminal })
    }

    @Test func jobInfoFromRayJSON() throws {
        let json = try JSONParser.parse(#"""
        {"type": "SUBMISSION", "job_id": null, "submission_id": "probe1", "driver_info": null, "status": "FAILED",
         "entrypoint": "python x.py", "message": "Job entrypoint command failed with exit code 3", "error_type": null,
         "start_time": 1795612471351, "end_time": 1795612478479, "metadata": {"synapse_action": "train", "n": "1"},
         "runtime_env": null, "driver_agent_http_address": null, "driver_node_id": null, "driver_exit_code": 3}
        """#)
        let info = try RayJobInfo(json: json)
        #expect(info.id == "probe1")
        #expect(info.status == .failed)
        #expect(info.action == "train")
        #expect(info.startTime == 1795612471.351)
        #expect(info.driverExitCode == 3)
        #expect(info.runtimeEnv == nil)
        #expect(throws: RayError.self) { try RayJobInfo(json: .object(["submission_id": "x"])) }
    }

    @Test func cursorSkipsWhatWasShownAcrossReplays() {
        var cursor = LogCursor()
        let log = Array("a\nbb\nccc\n".utf8)
        // First connection delivers 5 bytes in two chunks.
        #expect(cursor.accept(log[0..<2], at: 0).map(Array.init) == Array("a\n".utf8))
        #expect(cursor.accept(log[2..<5], at: 2).map(Array.init) == Array("bb\n".utf8))
        // A reconnect replays from 0: nothing before byte 5 comes out again, the chunk straddling it is cut.
        #expect(cursor.accept(log[0..<4], at: 0)?.isEmpty == true)
        #expect(cursor.accept(log[4..<7], at: 4).map(Array.init) == Array("cc".utf8))
        // Polling returns the whole log.
        #expect(cursor.acceptWhole(log).map(Array.init) == Array("c\n".utf8))
        #expect(cursor.acceptWhole(log)?.isEmpty == true)
        #expect(cursor.shown == log.count)
        // A gap is a caller bug, never papered over.
        #expect(cursor.accept(log[...], at: log.count + 1) == nil)
        // A shorter log means the log was replaced.
        #expect(cursor.acceptWhole(Array("a\n".utf8)) == nil)
    }

    @Test func splitterKeepsPartialLinesAcrossChunks() {
        var splitter = LineSplitter()
        #expect(splitter.push(Array("one\ntw".utf8)) == ["one"])
        #expect(splitter.hasPartialLine)
        #expect(splitter.push(Array("o\r\nthree".utf8)) == ["two"])
        #expect(splitter.push(Array("\n\n".utf8)) == ["three", ""])
        #expect(splitter.finish() == nil)
        #expect(splitter.push(Array("tail".utf8)) == [])
        #expect(splitter.finish() == "tail")
        // Multi-byte characters split across chunks come out whole.
        let bytes = Array("é✓\n".utf8)
        #expect(splitter.push(bytes[0..<1]) == [])
        #expect(splitter.push(bytes[1..<4]) == [])
        #expect(splitter.push(bytes[4...]) == ["é✓"])
    }

    /// The property the follower relies on: however a log is cut into chunks and replayed from the start
    /// (reconnects) or fetched whole (polling), each line comes out exactly once, in order.
    @Test func replayedChunksYieldEachLineOnce() {
        let lines = (0..<200).map { "line \($0) " + String(repeating: "x", count: $0 % 13) }
        let log = Array(lines.map { $0 + "\n" }.joined().utf8)
        var rng = SplitMix64(seed: 42)
        for _ in 0..<50 {
            var cursor = LogCursor()
            var splitter = LineSplitter()
            var out: [String] = []
            var available = 0
            while available < log.count {
                available = min(log.count, available + Int(rng.next() % 300) + 1)
                if rng.next() % 3 == 0 {
                    out += splitter.push(cursor.acceptWhole(Array(log[0..<available]))!)  // a poll
                } else {
                    // A connection that replays from 0 in random chunks up to `available`.
                    var offset = 0
                    while offset < available {
                        let end = min(available, offset + Int(rng.next() % 97) + 1)
                        out += splitter.push(cursor.accept(log[offset..<end], at: offset)!)
                        offset = end
                    }
                }
            }
            if let last = splitter.finish() { out.append(last) }
            #expect(out == lines)
        }
    }

    @Test func backoffDoublesUpToTheCapAndResets() {
        var backoff = Backoff(initial: 0.5, factor: 2, maximum: 4)
        #expect((0..<6).map { _ in backoff.next() } == [0.5, 1, 2, 4, 4, 4])
        #expect(backoff.attempts == 6)
        backoff.reset()
        #expect(backoff.next() == 0.5)
        // Retry-After wins when longer, never shortens the wait, and is capped.
        #expect(backoff.next(honouring: 7) == 7)
        #expect(backoff.next(honouring: 0.1) == 2)
        #expect(backoff.next(honouring: 100_000, cap: 60) == 60)
    }

    @Test func retryAfterParsing() {
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(RetryAfter.parse("120", now: now) == 120)
        #expect(RetryAfter.parse(" 0 ", now: now) == 0)
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:50:07 GMT", now: now) == 30)
        #expect(RetryAfter.parse("Sunday, 06-Nov-94 08:49:47 GMT", now: now) == 10)
        #expect(RetryAfter.parse("Sun Nov  6 08:49:57 1994", now: now) == 20)
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == 0)  // in the past
        #expect(RetryAfter.parse("-5", now: now) == nil)
        #expect(RetryAfter.parse("soon", now: now) == nil)
        #expect(RetryAfter.parse("", now: now) == nil)
    }

    @Test func addressResolutionFollowsRaysCLI() throws {
        func url(_ address: String?, _ env: [String: String] = [:]) throws -> String {
            try RayEndpoint.resolve(address: address, token: nil, environment: env).description
        }
        #expect(try url(nil) == "http://127.0.0.1:8265")
        #expect(try url(nil, ["RAY_ADDRESS": "10.0.0.5:8265"]) == "http://10.0.0.5:8265")
        #expect(try url(nil, ["RAY_ADDRESS": "http://a:1", "RAY_API_SERVER_ADDRESS": "http://b:2/"]) == "http://b:2")
        #expect(try url("https://ray.example/dash/", ["RAY_API_SERVER_ADDRESS": "http://b:2"]) == "https://ray.example/dash")
        #expect(try url("ray://head:10001") == "http://head:8265")
        #expect(try url("auto") == "http://127.0.0.1:8265")
        #expect(try url("auto", ["RAY_ADDRESS": "h:1"]) == "http://h:1")
        #expect(try url("", ["RAY_API_SERVER_ADDRESS": "h:2"]) == "http://h:2")
        #expect(throws: RayError.self) { try url("ftp://x") }
    }

    @Test func tokenIsSentButNeverShown() throws {
        let endpoint = try RayEndpoint.resolve(address: "http://u:pw@h:8265", token: nil,
                                               environment: ["RAY_AUTH_TOKEN": "s3cret-token"])
        #expect(endpoint.headers.contains { $0 == ("Authorization", "Bearer s3cret-token") })
        var dumped = ""
        dump(endpoint, to: &dumped)
        for text in [endpoint.description, "\(endpoint)", String(reflecting: endpoint), dumped,
                     String(describing: endpoint.token!)] {
            #expect(!text.contains("s3cret"), "token leaked in: \(text)")
            #expect(!text.contains("pw@"), "password leaked in: \(text)")
        }
        let flag = try RayEndpoint.resolve(address: nil, token: "from-flag", environment: ["RAY_AUTH_TOKEN": "env"])
        #expect(flag.headers.contains { $0 == ("Authorization", "Bearer from-flag") })
        let none = try RayEndpoint.resolve(address: nil, token: nil, environment: [:])
        #expect(!none.headers.contains { $0.0 == "Authorization" })
        let missing = "/nonexistent/token"
        #expect(throws: RayError.self) {
            try RayEndpoint.resolve(address: nil, token: nil, environment: ["RAY_AUTH_TOKEN_PATH": missing])
        }
    }

    @Test func errorMessagesAreClear() {
        let unreachable = RayError.unreachable(address: "http://127.0.0.1:9", reason: "connection refused")
        #expect(unreachable.description.contains("cannot reach the Ray dashboard at http://127.0.0.1:9"))
        #expect(RayError.jobNotFound(id: "abc", address: "http://h:8265").description.contains("has no job \"abc\""))
        #expect(RayError.http(status: 503, message: "busy", retryAfter: 2).description == "Ray answered HTTP 503: busy (retry after 2 s)")
        #expect(RayError.unauthorized(status: 401, message: "").description.contains("RAY_AUTH_TOKEN"))
        #expect(RayError.clusterRestarted(id: "j", address: "a").description.contains("restarted"))
        #expect(RayJobsClient.bodyMessage(Array("Traceback (most recent call last):\n  File x\nValueError: boom\n".utf8)) == "ValueError: boom")
    }

    /// `--ray-ca FILE` / `SSL_CERT_FILE`: a readable PEM is kept (the flag wins), anything else is refused when
    /// the address is resolved, before any request.
    @Test func caFileIsCheckedWhenResolved() throws {
        let folder = NSTemporaryDirectory() + "ray-ca-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let pem = folder + "/ca.pem", other = folder + "/other.pem", junk = folder + "/junk.pem"
        try Data(Self.testCA.utf8).write(to: URL(fileURLWithPath: pem))
        try Data(Self.testCA.utf8).write(to: URL(fileURLWithPath: other))
        try Data("not a certificate\n".utf8).write(to: URL(fileURLWithPath: junk))
        #expect(try RayEndpoint.resolve(address: "https://h", token: nil, caFile: pem, environment: [:]).caFile == pem)
        #expect(try RayEndpoint.resolve(address: "https://h", token: nil, environment: ["SSL_CERT_FILE": pem]).caFile == pem)
        #expect(try RayEndpoint.resolve(address: "https://h", token: nil, caFile: other,
                                        environment: ["SSL_CERT_FILE": pem]).caFile == other)
        #expect(try RayEndpoint.resolve(address: "https://h", token: nil, environment: [:]).caFile == nil)
        for bad in [junk, folder + "/missing.pem"] {
            #expect {
                _ = try RayEndpoint.resolve(address: "https://h", token: nil, caFile: bad, environment: [:])
            } throws: { error in
                guard case RayError.invalidArgument(let message) = error else { return false }
                return message.contains(bad) && message.contains("PEM")
            }
        }
        let client = RayJobsClient(endpoint: RayEndpoint(baseURL: URL(string: "https://h")!, caFile: junk))
        #expect(throws: RayError.self) { _ = try client.transport.get() }
    }

    /// Nothing listens on port 1: the error says why, for the HTTP client and the log stream alike. (How fast
    /// it comes is not a unit test's business: the pool is told not to retry, see RayTransport.)
    @Test func refusedConnectionSaysSo() async throws {
        let client = RayJobsClient(endpoint: try RayEndpoint.resolve(address: "http://127.0.0.1:1", token: nil, environment: [:]))
        await #expect(throws: RayError.unreachable(address: "http://127.0.0.1:1", reason: "connection refused")) {
            _ = try await client.version()
        }
        // The log stream says the same.
        do {
            for try await _ in RayLogStream.messages(url: URL(string: "ws://127.0.0.1:1/x")!, headers: [], tls: nil) {}
            Issue.record("no error")
        } catch let error as WebSocketError {
            #expect(error == .connect("connection refused"))
        }
    }

    /// A self-signed CA certificate (public part only) for the CA-file checks.
    static let testCA = """
        -----BEGIN CERTIFICATE-----
        MIIBkzCCATmgAwIBAgIUTqp5NfBERatqPbsbeX+2x1tbbE0wCgYIKoZIzj0EAwIw
        HjEcMBoGA1UEAwwTc3luYXBzZS10dWkgdGVzdCBDQTAgFw0yNjEyMDIwMjA3MjZa
        GA8yMTI2MTEwODAyMDcyNlowHjEcMBoGA1UEAwwTc3luYXBzZS10dWkgdGVzdCBD
        QTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABIFWA9EzOj8AM40b24FBxsyxpvbf
        bChcC4yHNKWQasQT4t4VS9LQI/Paf1ZeVcHYOAdgX6wQ9ru3Ry8T2QPLXK6jUzBR
        MB0GA1UdDgQWBBSgZ5DjL64gewJPG9VF/i/gEdvSMzAfBgNVHSMEGDAWgBSgZ5Dj
        L64gewJPG9VF/i/gEdvSMzAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gA
        MEUCIQClYBpwnUltpDpHhqmHx/SJXrJLIw80LxXokCJRYmP6PgIgIGBMBmlEJnJK
        WT8OQpVCrlNj9T2+fyoUmXu452jjc18=
        -----END CERTIFICATE-----

        """

    @Test func sha1MatchesKnownDigests() {
        // The package hash's SHA-1, on RFC 6455 §1.3's example (key + GUID → "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=").
        let accept = Data(SHA1.hash(Array("dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11".utf8)))
            .base64EncodedString()
        #expect(accept == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(Data(SHA1.hash([])).base64EncodedString() == "2jmj7l5rSw0yVb/vlWAYkK/YBwk=")
    }

    @Test func mapperTurnsLinesAndStatusIntoEvents() throws {
        var mapper = RayEventMapper(submissionID: "job-1", console: nil)
        let running = RayJobInfo(submissionID: "job-1", status: .running, entrypoint: "python x.py",
                                 metadata: [RayJobInfo.actionMetadataKey: "train"])
        var events = mapper.events(for: .job(running))
        #expect(events.map(\.payload) == [.runStatus(RunStatusUpdate(status: .running, action: "train", jobID: "job-1"))])
        #expect(mapper.events(for: .job(running)).isEmpty)  // unchanged status says nothing

        let marked = MarkedLine.encode(Event(timestamp: 5, step: "train",
                                             payload: .progress(ProgressData(current: 1, total: 4, step: "train"))))
        events = mapper.events(for: .lines(["2026-01-01 INFO prefix " + marked, "plain text",
                                            "__SYNAPSE_EVENT__ {not json"]))
        #expect(events.count == 3)
        #expect(events[0].name == "progress")
        #expect(events[1].payload == .output(OutputLine(stream: .stdout, text: "plain text")))
        #expect(events[2].level == .warning)
        #expect(mapper.unreadableLines == 1)

        // With the console parser, synapse-sdk's console lines become events too.
        mapper.console = ConsoleLineParser()
        #expect(mapper.events(forLine: "\u{1B}[1m\u{1B}[94m[LEVEL: INFO]\u{1B}[0m\u{1B}[94m message {'content': 'Starting training'}\u{1B}[0m")
            .first?.payload == .message(Message(content: "Starting training")))
        #expect(mapper.events(forLine: "other").first?.payload == .output(OutputLine(text: "other")))

        // The final status comes with Ray's reason.
        let stopped = RayJobInfo(submissionID: "job-1", status: .stopped, message: "Job was intentionally stopped.")
        #expect(mapper.events(for: .job(stopped)).isEmpty)  // said at .finished, after the last line
        events = mapper.events(for: .finished(stopped))
        let update = try #require(events.first?.payload.asRunStatus, "no run_status")
        #expect(update.status == .cancelled)
        #expect(update.action == "train")
        #expect(update.error?.type == "RayJobStopped")
        #expect(mapper.events(for: .finished(stopped)).isEmpty)
    }

    @Test func mapperDoesNotContradictTheBridge() throws {
        var mapper = RayEventMapper(submissionID: "j")
        let completed = MarkedLine.encode(Event(payload: .runStatus(RunStatusUpdate(status: .completed, action: "a", jobID: "j",
                                                                                      result: ["x": 1]))))
        _ = mapper.events(for: .lines([completed]))
        // The runner's console `Result:` line repeats the outcome: not said twice.
        #expect(mapper.events(for: .lines([#"Result: {"x": 1}"#])).isEmpty)
        // Ray still says RUNNING while the driver exits: no regression to running.
        #expect(mapper.events(for: .job(RayJobInfo(submissionID: "j", status: .running))).isEmpty)
        // SUCCEEDED agrees with the bridge: nothing more to say.
        #expect(mapper.events(for: .finished(RayJobInfo(submissionID: "j", status: .succeeded))).isEmpty)

        var failing = RayEventMapper(submissionID: "j")
        let running = MarkedLine.encode(Event(payload: .runStatus(RunStatusUpdate(status: .running, action: "a"))))
        _ = failing.events(for: .lines([running]))
        let events = failing.events(for: .finished(RayJobInfo(submissionID: "j", status: .failed, message: "exit code 1")))
        let update = try #require(events.first?.payload.asRunStatus, "no run_status")
        #expect(update.status == .failed)
        #expect(update.action == "a")
        #expect(update.error == RunError(type: "RayJobFailed", message: "exit code 1"))
    }

    @Test func consoleResultCountsAsTheRunsStatus() throws {
        var mapper = RayEventMapper(submissionID: "j")
        var events = mapper.events(for: .lines(["__SYNAPSE_RESULT_START__", #"{"epochs": 2}"#, "__SYNAPSE_RESULT_END__"]))
        let update = try #require(events.last?.payload.asRunStatus, "\(events)")
        #expect(update.status == .completed)
        #expect(update.result == ["epochs": 2])
        // Ray's SUCCEEDED agrees: not said twice.
        events = mapper.events(for: .finished(RayJobInfo(submissionID: "j", status: .succeeded)))
        #expect(events.isEmpty)
        // A result whose end marker never came is flushed at the end, as output.
        var cut = RayEventMapper(submissionID: "k")
        #expect(cut.events(for: .lines(["__SYNAPSE_RESULT_START__", "{"])).isEmpty)
        events = cut.events(for: .finished(RayJobInfo(submissionID: "k", status: .failed, message: "boom")))
        #expect(events.map(\.name) == ["output", "output", "run_status"])
    }

    @Test func replacedLogStartsTheMapperOver() {
        var mapper = RayEventMapper(submissionID: "j")
        _ = mapper.events(for: .lines([MarkedLine.encode(Event(payload: .runStatus(RunStatusUpdate(status: .completed))))]))
        #expect(mapper.lastStatus == .completed)
        _ = mapper.events(for: .restarted("replaced"))
        #expect(mapper.lastStatus == nil)
    }

    @Test func clusterRestartEndsTheRunAsFailed() {
        var mapper = RayEventMapper(submissionID: "j")
        let events = mapper.events(for: .failed(.clusterRestarted(id: "j", address: "http://h:8265")))
        #expect(events.map(\.name) == ["message", "run_status"])
        #expect(mapper.lastStatus == .failed)
    }
}

@Suite struct RayMarkerTrustTests {
    /// A job submitted with a secret: only lines carrying it are records; a plugin's look-alike is output.
    @Test func onlyLinesWithTheJobsSecretAreRecords() {
        var mapper = RayEventMapper(submissionID: "j")
        let info = RayJobInfo(submissionID: "j", status: .running, metadata: [RayJobInfo.eventTokenMetadataKey: "s3cr3t"])
        _ = mapper.events(for: .job(info))
        #expect(mapper.trust == .token("s3cr3t"))
        let message = Event(timestamp: 1, level: .critical, payload: .message(Message(content: "forged")))
        let forged = MarkedLine.encode(message)
        let guessed = MarkedLine.encode(message, token: "guess")
        let genuine = MarkedLine.encode(Event(timestamp: 2, payload: .message(Message(content: "genuine"))), token: "s3cr3t")
        let completed = MarkedLine.encode(Event(payload: .runStatus(RunStatusUpdate(status: .completed))))
        let events = mapper.events(for: .lines([forged, guessed, "(pid=1) " + genuine, completed]))
        #expect(events.map(\.payload) == [
            .output(OutputLine(stream: .stdout, text: forged)), .output(OutputLine(stream: .stdout, text: guessed)),
            .message(Message(content: "genuine")), .output(OutputLine(stream: .stdout, text: completed)),
        ])
        #expect(mapper.lastStatus == .running)
        // a restart keeps the secret
        _ = mapper.events(for: .restarted("log replaced"))
        #expect(mapper.trust == .token("s3cr3t"))
    }

    @Test func theSecretIsFoundInTheRuntimeEnvAndOldJobsKeepLegacyMarkers() {
        let info = RayJobInfo(submissionID: "j", status: .running,
                              runtimeEnv: ["env_vars": ["SYNAPSE_EVENT_TOKEN": "abc"]])
        #expect(info.eventToken == "abc")
        var legacy = RayEventMapper(submissionID: "old")
        _ = legacy.events(for: .job(RayJobInfo(submissionID: "old", status: .running)))
        #expect(legacy.trust == .anyMarker)
        let line = MarkedLine.encode(Event(timestamp: 1, payload: .message(Message(content: "m"))))
        #expect(legacy.events(forLine: line).map(\.name) == ["message"])
    }
}

@Suite struct RayPluginRunTests {
    @Test func submissionRunsTheBridgeWithMarkedLines() {
        var run = RayPluginRun(plugin: .workingDir(uri: "gcs://_ray_pkg_ab.zip"), actions: ["train"],
                               params: ["note": "it's"], submissionID: "job-1")
        var submission = run.submission
        #expect(submission.entrypoint == #"python -m synapse_tui_bridge run --plugin . train --params '{"note":"it'\''s"}' --job-id job-1"#)
        #expect(submission.submissionID == "job-1")
        #expect(submission.runtimeEnv["working_dir"] == "gcs://_ray_pkg_ab.zip")
        #expect(submission.runtimeEnv["env_vars"]?["SYNAPSE_TUI_STDOUT"] == "1")
        #expect(submission.runtimeEnv["env_vars"]?["SYNAPSE_JOB_ID"] == "job-1")
        #expect(submission.metadata == [RayJobInfo.actionMetadataKey: "train", RayJobInfo.eventTokenMetadataKey: run.eventToken])
        #expect(submission.runtimeEnv["env_vars"]?["SYNAPSE_EVENT_TOKEN"] == .string(run.eventToken))
        #expect(run.eventToken.count == 32)
        run = RayPluginRun(plugin: .path("/shared/my plugin"), actions: ["fetch", "report"], submissionID: "j")
        run.python = "/opt/py/bin/python"
        submission = run.submission
        #expect(submission.entrypoint == "/opt/py/bin/python -m synapse_tui_bridge run --plugin '/shared/my plugin' --pipeline fetch,report --job-id j")
        #expect(submission.runtimeEnv["working_dir"] == nil)
        #expect(submission.metadata[RayJobInfo.pluginMetadataKey] == "/shared/my plugin")
    }
}

@Suite struct RayPackageTests {
    @Test func crc32() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    /// The zip must be one Python's `zipfile` (what Ray unpacks with) reads back exactly.
    @Test func zipIsReadByPythonsZipfile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("raypkg-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("pkg/__pycache__"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try Data("name: demo\n".utf8).write(to: dir.appendingPathComponent("config.yaml"))
        try Data("print('héllo')\n".utf8).write(to: dir.appendingPathComponent("pkg/mod.py"))
        try Data([0, 1, 2, 255]).write(to: dir.appendingPathComponent("pkg/blob.bin"))
        try Data("x".utf8).write(to: dir.appendingPathComponent("pkg/__pycache__/mod.cpython-312.pyc"))
        try Data("x".utf8).write(to: dir.appendingPathComponent(".git/HEAD"))
        let (bytes, hash) = try RayPackage.zip(directory: dir.path)
        #expect(hash.count == 32)
        #expect(try RayPackage.zip(directory: dir.path).hash == hash)  // content-addressed: stable
        let zipPath = dir.path + ".zip"
        defer { try? FileManager.default.removeItem(atPath: zipPath) }
        try Data(bytes).write(to: URL(fileURLWithPath: zipPath))
        let check = try shell("""
            python3 -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; \
            print(sorted(z.namelist())); print(z.read('pkg/mod.py').decode()); print(list(z.read('pkg/blob.bin')))" '\(zipPath)'
            """)
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output == "['config.yaml', 'pkg/blob.bin', 'pkg/mod.py']\nprint('héllo')\n\n[0, 1, 2, 255]\n")
        #expect(throws: RayError.self) { try RayPackage.zip(directory: dir.path + "/nope") }
    }
}
