import Foundation
import Testing
import SynapsePlugins
@testable import SynapseRay

/// Real jobs on a real Ray cluster (scripts/ray-tests.sh starts one and sets SYNAPSE_RAY_URL; without it
/// these tests are skipped, with the reason printed).
@Suite(.serialized, .enabled(if: RayTestEnv.available, "SYNAPSE_RAY_URL is not set: no Ray cluster (run scripts/ray-tests.sh)"))
struct RayClusterTests {
    /// Everything the follower said, as dashboard events.
    static func events(_ collector: Collector, id: String) -> [Event] {
        var mapper = RayEventMapper(submissionID: id)
        return collector.updates.flatMap { mapper.events(for: $0) }
    }

    static func finalRunStatus(_ events: [Event]) -> RunStatusUpdate? {
        events.compactMap { if case .runStatus(let u) = $0.payload { return u } else { return nil } }.last
    }

    /// The lines the follower delivered must be exactly the job's whole log, line for line.
    static func expectWholeLog(_ collector: Collector, client: RayJobsClient, id: String,
                               sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let log = String(decoding: try await client.logs(id), as: UTF8.self)
        var expected = log.components(separatedBy: "\n")
        if expected.last == "" { expected.removeLast() }
        #expect(collector.lines == expected, "delivered lines differ from GET /logs", sourceLocation: sourceLocation)
    }

    func bridgeSubmission(_ id: String, action: String, params: String) -> RayJobSubmission {
        RayJobSubmission(
            entrypoint: "python -m synapse_tui_bridge run --plugin '\(RayTestEnv.demoPlugin)' \(action) --params '\(params)' --job-id \(id)",
            submissionID: id,
            runtimeEnv: ["env_vars": ["SYNAPSE_TUI_STDOUT": "1", "SYNAPSE_HOME": "/tmp/synapse-ray-tests"]],
            metadata: [RayJobInfo.actionMetadataKey: action])
    }

    @Test func bridgePluginJobIsFollowedToCompletion() async throws {
        let client = try RayTestEnv.client()
        let id = RayTestEnv.uniqueID("bridge-train")
        #expect(try await client.submit(bridgeSubmission(id, action: "train", params: #"{"epochs": 3}"#)) == id)
        let collector = await follow(RayLogFollower(client: client, submissionID: id))
        let info = try #require(collector.final?.finishedInfo, "not finished: \(String(describing: collector.final))")
        #expect(info.status == .succeeded)
        try await Self.expectWholeLog(collector, client: client, id: id)

        let events = Self.events(collector, id: id)
        let names = Set(events.map(\.name))
        for name in ["progress", "metrics", "message", "dev_event", "custom_event", "output", "end"] {
            #expect(names.contains(name), "no \(name) event")
        }
        let marked = collector.lines.filter { $0.contains(MarkedLine.marker) }
        #expect(marked.count > 10)
        #expect(Set(marked).count == marked.count, "a marked line was delivered twice")
        #expect(events.contains { $0.payload == .output(OutputLine(text: "plain stdout line from the plugin")) })
        let last = try #require(Self.finalRunStatus(events))
        #expect(last.status == .completed)
        #expect(last.result?["epochs"] == .int(3))
        let statuses = events.compactMap { if case .runStatus(let u) = $0.payload { return u.status } else { return nil } }
        #expect(statuses.filter { $0 == .completed }.count == 1, "completed said more than once: \(statuses)")
    }

    /// `run --ray`'s submission carries the run's secret: the bridge marks its records with it, and what the
    /// plugin prints that looks like a record (legacy marker, a guessed secret) is output.
    @Test func aPluginCannotForgeRecordsOnTheLogStream() async throws {
        let client = try RayTestEnv.client()
        let id = RayTestEnv.uniqueID("forge")
        var run = RayPluginRun(plugin: .path(RayTestEnv.probePlugin), actions: ["forge"], submissionID: id)
        run.environment = ["SYNAPSE_HOME": "/tmp/synapse-ray-tests"]
        #expect(try await client.submit(run.submission) == id)
        let collector = await follow(RayLogFollower(client: client, submissionID: id))
        let info = try #require(collector.final?.finishedInfo, "not finished: \(String(describing: collector.final))")
        #expect(info.status == .succeeded && info.eventToken == run.eventToken)
        let events = Self.events(collector, id: id)
        let messages = events.compactMap { event -> String? in
            if case .message(let m) = event.payload, m.key != "RAY_CONNECTION" { return m.content }; return nil
        }
        #expect(messages == ["genuine message"])
        #expect(collector.lines.contains { $0.contains("__SYNAPSE_EVENT__:\(run.eventToken) ") })
        let outputs = events.compactMap { event -> String? in if case .output(let o) = event.payload { return o.text }; return nil }
        #expect(outputs.filter { $0.contains("__SYNAPSE_EVENT__") }.count == 3, "\(outputs)")
        #expect(outputs.contains("channel visible: fd=None token=None"))
        #expect(Self.finalRunStatus(events)?.result == ["forged": false])
    }

    @Test func unmodifiedSDKPluginJob() async throws {
        let client = try RayTestEnv.client()
        let id = RayTestEnv.uniqueID("sdk-train")
        // Exactly what synapse-sdk's `job` mode submits: its own entrypoint, no bridge.
        _ = try await client.submit(RayJobSubmission(
            entrypoint: "cd '\(RayTestEnv.demoPlugin)' && python -m synapse_sdk.plugins.entrypoint",
            submissionID: id,
            runtimeEnv: ["env_vars": ["SYNAPSE_ACTION_ENTRYPOINT": "tui_demo.actions.TrainAction",
                                      "SYNAPSE_ACTION_PARAMS": #"{"epochs": 2}"#, "SYNAPSE_JOB_ID": .string(id)]]))
        let collector = await follow(RayLogFollower(client: client, submissionID: id))
        let info = try #require(collector.final?.finishedInfo, "not finished: \(String(describing: collector.final))")
        #expect(info.status == .succeeded)
        try await Self.expectWholeLog(collector, client: client, id: id)
        #expect(collector.lines.contains("__SYNAPSE_RESULT_START__"))
        #expect(collector.lines.contains { $0.contains("Starting training") })
        let last = try #require(Self.finalRunStatus(Self.events(collector, id: id)))
        #expect(last.status == .completed)
        #expect(last.jobID == id)
    }

    @Test func failingJobEndsFailedWithRaysReason() async throws {
        let client = try RayTestEnv.client()
        let id = RayTestEnv.uniqueID("fail-exit")
        _ = try await client.submit(RayJobSubmission(
            entrypoint: #"python -c "import sys; print('about to fail', flush=True); sys.exit(3)""#, submissionID: id))
        let collector = await follow(RayLogFollower(client: client, submissionID: id))
        let info = try #require(collector.final?.finishedInfo, "not finished: \(String(describing: collector.final))")
        #expect(info.status == .failed)
        #expect(collector.lines.contains("about to fail"))
        let last = try #require(Self.finalRunStatus(Self.events(collector, id: id)))
        #expect(last.status == .failed)
        #expect(last.error?.message.contains("exit code 3") == true, "\(String(describing: last.error))")
    }

    @Test func failingBridgeActionKeepsThePluginsError() async throws {
        let client = try RayTestEnv.client()
        let id = RayTestEnv.uniqueID("bridge-fail")
        _ = try await client.submit(bridgeSubmission(id, action: "fail", params: "{}"))
        let collector = await follow(RayLogFollower(client: client, submissionID: id))
        let info = try #require(collector.final?.finishedInfo, "not finished: \(String(describing: collector.final))")
        #expect(info.status == .failed)
        let statuses = Self.events(collector, id: id).compactMap { if case .runStatus(let u) = $0.payload { return u } else { return nil } }
        let last = try #require(statuses.last)
        #expect(last.status == .failed)
        #expect(last.error?.type == "ValueError", "\(statuses)")
        #expect(statuses.filter { $0.status == .failed }.count == 1, "failed said twice: \(statuses)")
    }

    @Test func stoppedJobEndsCancelled() async throws {
        let client = try RayTestEnv.client()
        let id = RayTestEnv.uniqueID("bridge-slow")
        _ = try await client.submit(bridgeSubmission(id, action: "slow", params: #"{"seconds": 60}"#))
        let collector = Collector()
        let task = Task { await RayLogFollower(client: client, submissionID: id).run { collector.add($0) } }
        // Stop it once it is really running (the bridge said so).
        let running = await eventually(timeout: 60) { collector.lines.contains("slow action started") }
        #expect(running, "the job never said running; lines: \(collector.lines.suffix(5))")
        #expect(try await client.stop(id))
        let done = await eventually(timeout: 60) { collector.final != nil }
        task.cancel()
        await task.value
        #expect(done)
        let info = try #require(collector.final?.finishedInfo, "not finished: \(String(describing: collector.final))")
        #expect(info.status == .stopped)
        let last = try #require(Self.finalRunStatus(Self.events(collector, id: id)))
        #expect(last.status == .cancelled)
        #expect(try await client.stop(id) == false)  // already stopped
    }

    /// A job printing numbered lines while every connection is cut twice: websocket reconnects (and, in
    /// the second run, the fallback to polling) deliver each line exactly once.
    @Test(arguments: [false, true])
    func droppedConnectionsLoseAndRepeatNothing(fallBackToPolling: Bool) async throws {
        let direct = try RayTestEnv.client()
        let upstream = UInt16(URL(string: RayTestEnv.url!)!.port ?? 8265)
        let proxy = try FaultyProxy(upstreamPort: upstream)
        defer { proxy.close() }
        let client = RayJobsClient(endpoint: try RayEndpoint.resolve(address: proxy.url, token: nil, environment: [:]))
        let id = RayTestEnv.uniqueID("drops")
        _ = try await direct.submit(RayJobSubmission(
            entrypoint: "python -c \"import time\nfor i in range(60):\n    print('n', i, flush=True); time.sleep(0.1)\"",
            submissionID: id))
        var options = RayLogFollower.Options()
        options.backoff = Backoff(initial: 0.2, factor: 2, maximum: 1)
        options.maxWebSocketFailures = fallBackToPolling ? 1 : 100
        options.pollInterval = 0.3
        let collector = Collector()
        let task = Task { await RayLogFollower(client: client, submissionID: id, options: options).run { collector.add($0) } }
        for threshold in [10, 30] {
            let reached = await eventually(timeout: 60) { collector.lines.filter { $0.hasPrefix("n ") }.count >= threshold }
            #expect(reached)
            proxy.dropAll()
        }
        let done = await eventually(timeout: 60) { collector.final != nil }
        task.cancel()
        await task.value
        #expect(done)
        let numbered = collector.lines.filter { $0.hasPrefix("n ") }
        #expect(numbered == (0..<60).map { "n \($0)" })
        try await Self.expectWholeLog(collector, client: direct, id: id)
        #expect(collector.notices.contains { $0.contains("dropped") || $0.contains("polling") },
                "no notice about the drop: \(collector.notices)")
        if fallBackToPolling {
            #expect(collector.notices.contains { $0.contains("polling the log instead") }, "\(collector.notices)")
        }
    }

    @Test func retryAfterIsHonoured() async throws {
        let upstream = UInt16(URL(string: RayTestEnv.url!)!.port ?? 8265)
        let proxy = try FaultyProxy(upstreamPort: upstream)
        defer { proxy.close() }
        let retries = Collector()
        var client = RayJobsClient(endpoint: try RayEndpoint.resolve(address: proxy.url, token: nil, environment: [:]))
        client.onRetry = { retries.add(.notice(.warning, $0)) }
        proxy.failNext(2, status: 503, retryAfter: "1")
        let started = Date()
        _ = try await client.jobs()
        #expect(Date().timeIntervalSince(started) >= 1.9, "retried before Retry-After elapsed")
        #expect(retries.notices.count == 2)
        #expect(retries.notices.allSatisfy { $0.contains("HTTP 503") && $0.contains("Retry-After") })
        // A delay longer than the client will wait is reported, not slept through.
        proxy.failNext(1, status: 429, retryAfter: "600")
        await #expect(throws: RayError.http(status: 429, message: "busy", retryAfter: 600)) { _ = try await client.jobs() }
    }

    @Test func unreachableAddressIsAClearError() async throws {
        let client = RayJobsClient(endpoint: try RayEndpoint.resolve(address: "http://127.0.0.1:1", token: nil, environment: [:]))
        do {
            _ = try await client.job("x")
            Issue.record("no error")
        } catch {
            if case .unreachable = error {
                #expect(error.description.contains("cannot reach the Ray dashboard at http://127.0.0.1:1"))
            } else {
                Issue.record("wrong error \(error)")
            }
        }
        let collector = await follow(RayLogFollower(client: client, submissionID: "x"), timeout: 30)
        let unreachable = if case .failed(.unreachable) = collector.final { true } else { false }
        #expect(unreachable, "\(collector.updates)")
    }

    @Test func wrongIDIsAClearError() async throws {
        let client = try RayTestEnv.client()
        await #expect(throws: RayError.jobNotFound(id: "no-such-job", address: client.endpoint.description)) {
            _ = try await client.job("no-such-job")
        }
        await #expect(throws: RayError.jobNotFound(id: "no-such-job", address: client.endpoint.description)) {
            _ = try await client.logs("no-such-job")
        }
        await #expect(throws: RayError.jobNotFound(id: "no-such-job", address: client.endpoint.description)) {
            try await client.stop("no-such-job")
        }
        let collector = await follow(RayLogFollower(client: client, submissionID: "no-such-job"), timeout: 30)
        let notFound = if case .failed(.jobNotFound) = collector.final { true } else { false }
        #expect(notFound, "\(collector.updates)")
        // The websocket itself answers 404 before upgrading.
        let follower = RayLogFollower(client: client, submissionID: "no-such-job")
        do {
            for try await _ in RayLogStream.messages(url: follower.tailURL, headers: client.endpoint.headers, tls: nil) {}
            Issue.record("no error")
        } catch let error as WebSocketError {
            #expect(error == .rejected(status: 404, body: ""))
        }
    }

    /// The dashboard's `c`: the event source's cancel hook asks Ray to stop the job; the queue then gets
    /// the run's final `cancelled` status from the stream and `finished`.
    @Test func eventSourceCancelHookStopsTheJob() async throws {
        let client = try RayTestEnv.client()
        let id = RayTestEnv.uniqueID("hook-slow")
        _ = try await client.submit(bridgeSubmission(id, action: "slow", params: #"{"seconds": 60}"#))
        let queue = try EventQueue()
        let source = RayEventSource(client: client, submissionID: id)
        source.start(into: queue)
        let drained = Drained()
        let started = await eventually(timeout: 60) {
            drained.take(queue)
            return drained.events.contains { $0.payload == .output(OutputLine(text: "slow action started")) }
        }
        #expect(started)
        let cancel = try #require(source.cancelHook(reportingTo: queue))
        cancel()
        let finished = await eventually(timeout: 60) { drained.take(queue); return drained.notices.contains(.finished) }
        #expect(finished)
        await source.wait()
        let statuses = drained.events.compactMap { if case .runStatus(let u) = $0.payload { return u.status } else { return nil } }
        #expect(statuses.last == .cancelled, "\(statuses)")
        #expect(drained.events.contains { if case .message(let m) = $0.payload { return m.content.contains("stop requested") } else { return false } })
        #expect(drained.notices.first == .following(source.label))
        #expect(try await client.job(id).status == .stopped)
    }

    /// `show`'s snapshot of a finished job says what following it said.
    @Test func snapshotOfAFinishedJob() async throws {
        let client = try RayTestEnv.client()
        let id = RayTestEnv.uniqueID("snap")
        _ = try await client.submit(bridgeSubmission(id, action: "train", params: #"{"epochs": 2}"#))
        let collector = await follow(RayLogFollower(client: client, submissionID: id))
        let followed = Self.events(collector, id: id)
        let (info, events) = try await RayEventSource.snapshot(client: client, submissionID: id)
        #expect(info.status == .succeeded)
        // Same records in the same order (timestamps of synthesized events aside).
        let snapshotNames: [String] = events.map(\.name).filter { $0 != "run_status" }
        let followedNames: [String] = followed.map(\.name).filter { $0 != "run_status" }
        #expect(snapshotNames == followedNames)
        #expect(Self.finalRunStatus(events)?.status == .completed)
        let starts = events.filter { if case .message(let m) = $0.payload { return m.content == "Starting training" } else { return false } }
        #expect(starts.count == 1, "a message was decoded twice (marked line and console line?)")
    }

    @Test func cliListsRayJobs() async throws {
        let binary = try #require(RayTestEnv.cliBinary, "SYNAPSE_TUI_BIN is not set (scripts/ray-tests.sh sets it)")
        let client = try RayTestEnv.client()
        let id = RayTestEnv.uniqueID("cli-list")
        _ = try await client.submit(RayJobSubmission(entrypoint: "echo hi", submissionID: id))
        _ = await follow(RayLogFollower(client: client, submissionID: id))
        let table = try shell("'\(binary)' jobs --ray '\(RayTestEnv.url!)'")
        #expect(table.status == 0, "\(table.output)")
        let row = try #require(table.output.split(separator: "\n").first { $0.hasPrefix(id) })
        #expect(row.contains("completed") && row.contains("SUCCEEDED"))
        let json = try shell("'\(binary)' jobs --ray '\(RayTestEnv.url!)' --json")
        #expect(json.output.contains("\"id\":\"\(id)\""))
        let unreachable = try shell("'\(binary)' jobs --ray http://127.0.0.1:9")
        #expect(unreachable.status == 1)
        #expect(unreachable.output.contains("cannot reach the Ray dashboard at http://127.0.0.1:9"))
    }

    /// `run --ray`'s path: the plugin folder shipped as a working_dir package, the bridge run from it.
    @Test func pluginShippedAsWorkingDirRuns() async throws {
        let client = try RayTestEnv.client()
        let uri = try await client.uploadWorkingDir(RayTestEnv.demoPlugin)
        #expect(uri.hasPrefix("gcs://_ray_pkg_"))
        #expect(try await client.uploadWorkingDir(RayTestEnv.demoPlugin) == uri)  // already there: same package
        let id = RayTestEnv.uniqueID("shipped")
        _ = try await client.submit(RayPluginRun(plugin: .workingDir(uri: uri), actions: ["train"],
                                                 params: ["epochs": 2], submissionID: id).submission)
        let collector = await follow(RayLogFollower(client: client, submissionID: id))
        let info = try #require(collector.final?.finishedInfo, "not finished: \(String(describing: collector.final)) \(collector.lines.suffix(10))")
        #expect(info.status == .succeeded, "\(collector.lines.suffix(10))")
        let last = try #require(Self.finalRunStatus(Self.events(collector, id: id)))
        #expect(last.status == .completed)
        #expect(last.result?["epochs"] == .int(2))
        #expect(last.action == "train")
    }

    /// `synapse-tui run --ray URL --plugin DIR <action>` headless: submits, follows, prints the result, exits
    /// with the run's outcome; then `jobs --ray` lists it.
    @Test func cliRunOnRay() async throws {
        let binary = try #require(RayTestEnv.cliBinary, "SYNAPSE_TUI_BIN is not set (scripts/ray-tests.sh sets it)")
        let id = RayTestEnv.uniqueID("cli-run")
        let ok = try shell("'\(binary)' run --ray '\(RayTestEnv.url!)' --plugin '\(RayTestEnv.demoPlugin)' train --params '{\"epochs\": 2}' --job-id \(id) --headless 2>/dev/null")
        #expect(ok.status == 0, "\(ok.output)")
        #expect(ok.output == "Job: \(id)\nResult: {\"epochs\":2,\"final_loss\":0.5}\n")
        let failed = try shell("'\(binary)' run --ray '\(RayTestEnv.url!)' --plugin '\(RayTestEnv.demoPlugin)' fail --headless 2>/dev/null")
        #expect(failed.status == 1, "\(failed.output)")
        #expect(failed.output.hasSuffix("Status: failed\n"), "\(failed.output)")
        let usage = try shell("'\(binary)' run --ray '\(RayTestEnv.url!)' train 2>&1")
        #expect(usage.status != 0 && usage.output.contains("--plugin"), "\(usage.output)")
        let table = try shell("'\(binary)' jobs --ray '\(RayTestEnv.url!)'")
        #expect(table.output.split(separator: "\n").contains { $0.hasPrefix(id) && $0.contains("completed") && $0.contains("train") })
    }

    /// `show --ray`: the final dashboard as text, for a completed and a failed job; a wrong id exits 2.
    @Test func cliShowOnRay() async throws {
        let binary = try #require(RayTestEnv.cliBinary, "SYNAPSE_TUI_BIN is not set (scripts/ray-tests.sh sets it)")
        let client = try RayTestEnv.client()
        let ok = RayTestEnv.uniqueID("show-ok"), bad = RayTestEnv.uniqueID("show-fail")
        _ = try await client.submit(bridgeSubmission(ok, action: "train", params: #"{"epochs": 2}"#))
        _ = try await client.submit(bridgeSubmission(bad, action: "fail", params: "{}"))
        _ = await follow(RayLogFollower(client: client, submissionID: ok))
        _ = await follow(RayLogFollower(client: client, submissionID: bad))
        let shown = try shell("'\(binary)' show --ray '\(RayTestEnv.url!)' \(ok) --size 120x40")
        #expect(shown.status == 0, "\(shown.output)")
        for text in ["COMPLETED", "job \(ok)", "Starting training", "Training finished", "loss"] {
            #expect(shown.output.contains(text), "no \(text) in:\n\(shown.output)")
        }
        let failed = try shell("'\(binary)' show --ray '\(RayTestEnv.url!)' \(bad) --size 120x40")
        #expect(failed.status == 0)
        #expect(failed.output.contains("FAILED"), "\(failed.output)")
        #expect(failed.output.contains("ValueError"), "\(failed.output)")
        // The summary comes first: what happened, with the job's id.
        let head = failed.output.split(separator: "\n").first ?? ""
        #expect(head.contains(" failed after ") && head.hasSuffix(")"), "\(failed.output)")
        let wrong = try shell("'\(binary)' show --ray '\(RayTestEnv.url!)' no-such-job 2>&1")
        #expect(wrong.status == 2)
        #expect(wrong.output.contains("has no job \"no-such-job\""))
        // attach off a terminal: console lines, then the outcome, as the exit code too.
        let attached = try shell("'\(binary)' attach --ray '\(RayTestEnv.url!)' \(ok) 2>/dev/null")
        #expect(attached.status == 0, "\(attached.output)")
        #expect(attached.output == "Result: {\"epochs\":2,\"final_loss\":0.5}\n")
        let attachedFailed = try shell("'\(binary)' attach --ray '\(RayTestEnv.url!)' \(bad) 2>&1")
        #expect(attachedFailed.status == 1)
        #expect(attachedFailed.output.contains("ValueError") && attachedFailed.output.hasSuffix("Status: failed\n"),
                "\(attachedFailed.output)")
        let attachWrong = try shell("'\(binary)' attach --ray '\(RayTestEnv.url!)' no-such-job 2>&1")
        #expect(attachWrong.status == 2, "\(attachWrong.output)")
    }

    /// The dashboard in a real terminal: `attach --ray` follows a running job, `c` + `y` asks Ray to stop
    /// it, the screen ends CANCELLED, `q` leaves, and Ray says STOPPED (also what `show --ray` prints).
    @Test func dashboardCStopsTheRayJob() async throws {
        let binary = try #require(RayTestEnv.cliBinary, "SYNAPSE_TUI_BIN is not set (scripts/ray-tests.sh sets it)")
        try #require(RayTmux.executable != nil, "tmux is not installed")
        let client = try RayTestEnv.client()
        let id = RayTestEnv.uniqueID("tmux-slow")
        _ = try await client.submit(bridgeSubmission(id, action: "slow", params: #"{"seconds": 90}"#))
        let tmux = try RayTmux(command: "'\(binary)' attach --ray '\(RayTestEnv.url!)' \(id)")
        var screen = tmux.waitFor("slow action started", timeout: 60)
        #expect(screen.ok, "\(screen.screen)")
        #expect(screen.screen.contains("RUNNING"), "\(screen.screen)")
        try tmux.send("c")
        screen = tmux.waitFor("Cancel the run?")
        #expect(screen.ok, "\(screen.screen)")
        try tmux.send("y")
        screen = tmux.waitFor("CANCELLED", timeout: 60)
        #expect(screen.ok, "\(screen.screen)")
        // The bridge records `cancelled` as the job's Python gets SIGTERM; Ray says STOPPED once it is gone.
        let stopped = await eventually(timeout: 30) { (try? await client.job(id).status) == .stopped }
        #expect(stopped)
        try tmux.send("q")
        let gone = await eventually(timeout: 15) { tmux.isDead }
        #expect(gone, "q did not leave the dashboard")
        let shown = try shell("'\(binary)' show --ray '\(RayTestEnv.url!)' \(id) --size 120x40")
        #expect(shown.output.contains("CANCELLED"), "\(shown.output)")
    }

    /// The jobs browser on a cluster (`synapse-tui --ray URL`, issue #20): the running job is listed with
    /// its status, Enter attaches (and `S` says system figures are not available for a Ray job), `q` comes
    /// back to the list, `c` + `y` asks Ray to stop it and the list shows it cancelled.
    @Test func browserListsAttachesAndStopsARayJob() async throws {
        let binary = try #require(RayTestEnv.cliBinary, "SYNAPSE_TUI_BIN is not set (scripts/ray-tests.sh sets it)")
        try #require(RayTmux.executable != nil, "tmux is not installed")
        let client = try RayTestEnv.client()
        let id = RayTestEnv.uniqueID("browse")
        _ = try await client.submit(bridgeSubmission(id, action: "slow", params: #"{"seconds": 90}"#))
        let tmux = try RayTmux(command: "'\(binary)' --ray '\(RayTestEnv.url!)'")
        // The list shows the shortest prefix of 8 or more characters no other job shares.
        var screen = tmux.waitFor(String(id.prefix(8)), timeout: 30)
        #expect(screen.ok, "the job is listed:\n\(screen.screen)")
        // Only this job under the cursor, whatever else the cluster ran.
        try tmux.send("/")
        try tmux.send("-l", id)
        try tmux.send("Enter")
        screen = tmux.waitFor("filter \"\(id)\"")
        #expect(screen.ok, "the filter keeps the job:\n\(screen.screen)")
        let running = await eventually(timeout: 60) { tmux.capture().contains(" running ") }
        #expect(running, "listed as running:\n\(tmux.capture())")
        try tmux.send("Enter")
        screen = tmux.waitFor("slow action started", timeout: 60)
        #expect(screen.ok, "Enter attaches:\n\(screen.screen)")
        try tmux.send("S")
        screen = tmux.waitFor("not available for Ray jobs")
        #expect(screen.ok, "S says system figures are not available:\n\(screen.screen)")
        try tmux.send("q")
        let back = await eventually(timeout: 15) { let s = tmux.capture(); return s.contains(" Jobs ") && !s.contains("Progress") }
        #expect(back, "q comes back to the list:\n\(tmux.capture())")
        try tmux.send("c")
        screen = tmux.waitFor("Cancel the running job")
        #expect(screen.ok, "c asks first:\n\(screen.screen)")
        try tmux.send("y")
        let stopped = await eventually(timeout: 30) { (try? await client.job(id).status) == .stopped }
        #expect(stopped, "Ray stopped the job")
        let cancelled = await eventually(timeout: 15) { tmux.capture().contains(" cancelled ") }
        #expect(cancelled, "the list says cancelled:\n\(tmux.capture())")
        try tmux.send("q")
        let gone = await eventually(timeout: 15) { tmux.isDead }
        #expect(gone, "q leaves the browser")
    }

    @Test func listsJobs() async throws {
        let client = try RayTestEnv.client()
        let id = RayTestEnv.uniqueID("listed")
        _ = try await client.submit(RayJobSubmission(entrypoint: "echo listed", submissionID: id, metadata: ["k": "v"]))
        let jobs = try await client.jobs()
        let job = try #require(jobs.first { $0.submissionID == id })
        #expect(job.metadata["k"] == "v")
        #expect(job.entrypoint == "echo listed")
        _ = await follow(RayLogFollower(client: client, submissionID: id))
    }
}

/// Restarts the cluster under a followed job (scripts/ray-tests.sh runs this suite on its own, last).
@Suite(.serialized, .enabled(if: RayTestEnv.available && ProcessInfo.processInfo.environment["SYNAPSE_RAY_RESTART_CMD"] != nil
                             && ProcessInfo.processInfo.environment["SYNAPSE_RAY_SKIP_RESTART"] == nil,
                             "needs SYNAPSE_RAY_URL and SYNAPSE_RAY_RESTART_CMD (scripts/ray-tests.sh runs it last)"))
struct RayRestartTests {
    @Test func clusterRestartedMidRunIsReported() async throws {
        let client = try RayTestEnv.client()
        let id = RayTestEnv.uniqueID("restart")
        _ = try await client.submit(RayJobSubmission(
            entrypoint: "python -c \"import time\nfor i in range(600):\n    print('tick', i, flush=True); time.sleep(0.2)\"",
            submissionID: id))
        var options = RayLogFollower.Options()
        options.backoff = Backoff(initial: 0.5, factor: 2, maximum: 2)
        let collector = Collector()
        let task = Task { await RayLogFollower(client: client, submissionID: id, options: options).run { collector.add($0) } }
        #expect(await eventually(timeout: 60) { collector.lines.contains("tick 3") })
        let restart = try shell(ProcessInfo.processInfo.environment["SYNAPSE_RAY_RESTART_CMD"]!)
        #expect(restart.status == 0, "restart failed: \(restart.output)")
        let done = await eventually(timeout: 90) { collector.final != nil }
        task.cancel()
        await task.value
        #expect(done, "\(collector.updates.suffix(5))")
        if case .failed(.clusterRestarted(let failedID, _)) = collector.final {
            #expect(failedID == id)
        } else {
            Issue.record("\(String(describing: collector.final))")
        }
        var mapper = RayEventMapper(submissionID: id)
        let events = collector.updates.flatMap { mapper.events(for: $0) }
        let last = try #require(RayClusterTests.finalRunStatus(events))
        #expect(last.status == .failed)
        #expect(last.error?.type == "RayClusterRestarted")
    }
}

/// A cluster in Ray's token mode (scripts/ray-tests.sh restarts it so, last, and sets SYNAPSE_RAY_TOKEN).
@Suite(.serialized, .enabled(if: RayTestEnv.available && ProcessInfo.processInfo.environment["SYNAPSE_RAY_TOKEN"] != nil,
                             "needs a token-mode cluster: SYNAPSE_RAY_URL and SYNAPSE_RAY_TOKEN (scripts/ray-tests.sh)"))
struct RayTokenTests {
    let token = ProcessInfo.processInfo.environment["SYNAPSE_RAY_TOKEN"] ?? ""

    func client(token: String?) throws -> RayJobsClient {
        RayJobsClient(endpoint: try RayEndpoint.resolve(address: RayTestEnv.url, token: token, environment: [:]))
    }

    @Test func missingOrWrongTokenIsAClearError() async throws {
        await #expect(throws: RayError.unauthorized(status: 401, message: "Unauthorized: Missing authentication token")) {
            _ = try await client(token: nil).jobs()
        }
        do {
            _ = try await client(token: "not-the-token").jobs()
            Issue.record("no error")
        } catch let error as RayError {
            if case .unauthorized(403, _) = error {
                #expect(error.description.contains("rejected"))
                #expect(!error.description.contains("not-the-token"))
            } else {
                Issue.record("\(error)")
            }
        }
        let collector = await follow(RayLogFollower(client: try client(token: nil), submissionID: "x"), timeout: 30)
        let unauthorized = if case .failed(.unauthorized(401, _)) = collector.final { true } else { false }
        #expect(unauthorized, "\(collector.updates)")
    }

    /// With the token, HTTP and the websocket both get in: a job is followed to its end.
    @Test func tokenIsSentOnRequestsAndTheWebsocket() async throws {
        let client = try client(token: token)
        let id = RayTestEnv.uniqueID("token")
        _ = try await client.submit(RayJobSubmission(
            entrypoint: "python -c \"import time\nfor i in range(5):\n    print('t', i, flush=True); time.sleep(0.2)\"",
            submissionID: id))
        let collector = await follow(RayLogFollower(client: client, submissionID: id))
        let info = try #require(collector.final?.finishedInfo, "\(collector.updates.suffix(5))")
        #expect(info.status == .succeeded)
        #expect(collector.lines.filter { $0.hasPrefix("t ") } == (0..<5).map { "t \($0)" })
        #expect(!collector.notices.contains { $0.contains("polling") }, "the websocket was refused: \(collector.notices)")
        // The websocket without the token is refused before the upgrade.
        let anonymous = RayLogFollower(client: try self.client(token: nil), submissionID: id)
        do {
            for try await _ in RayLogStream.messages(url: anonymous.tailURL, headers: [], tls: nil) {}
            Issue.record("no error")
        } catch let error as WebSocketError {
            let rejected = if case .rejected(401, _) = error { true } else { false }
            #expect(rejected, "\(error)")
        }
    }

    @Test func cliTakesTheTokenFromTheFlagOrTheEnvironmentAndNeverPrintsIt() async throws {
        let binary = try #require(RayTestEnv.cliBinary, "SYNAPSE_TUI_BIN is not set (scripts/ray-tests.sh sets it)")
        var environment = ProcessInfo.processInfo.environment
        environment["RAY_AUTH_TOKEN"] = nil
        let flag = try shell("'\(binary)' jobs --ray '\(RayTestEnv.url!)' --ray-token '\(token)' --json", environment: environment)
        #expect(flag.status == 0, "\(flag.output)")
        environment["RAY_AUTH_TOKEN"] = token
        let env = try shell("'\(binary)' jobs --ray auto", environment: environment.merging(["RAY_ADDRESS": RayTestEnv.url!]) { $1 })
        #expect(env.status == 0, "\(env.output)")
        environment["RAY_AUTH_TOKEN"] = "wrong-\(token)"
        let wrong = try shell("'\(binary)' jobs --ray '\(RayTestEnv.url!)'", environment: environment)
        #expect(wrong.status != 0)
        #expect(wrong.output.contains("rejected"), "\(wrong.output)")
        for output in [flag.output, env.output, wrong.output] {
            #expect(!output.contains(token), "the token was printed")
        }
    }
}
