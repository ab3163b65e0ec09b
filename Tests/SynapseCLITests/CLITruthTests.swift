import Foundation
import Testing

/// `jobs` and `show` say what a run did: lost writers, whole logs, the same figure as `show`.
extension CLIRunTests {
    /// A job folder with `lines` as its log and, when given, a `writer.json`.
    func makeJob(_ id: String, lines: [String], writer: String? = nil) throws -> URL {
        let folder = home.appendingPathComponent("jobs/\(id)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try (lines.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("events.jsonl"), atomically: true, encoding: .utf8)
        if let writer { try writer.write(to: folder.appendingPathComponent("writer.json"), atomically: true, encoding: .utf8) }
        return folder
    }

    /// The id of a process that has exited (and been reaped): a pid that is gone.
    func deadPID() throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    static func localHost() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, 255)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    @Test func aJobWhoseWriterDiedIsLostInJobsAndShow() async throws {
        let now = Date().timeIntervalSince1970
        let pid = try deadPID()
        let writer = #"{"pid":\#(pid),"host":"\#(Self.localHost())","started":\#(now - 20),"beat":\#(now - 3)}"#
        _ = try makeJob("lost-job", lines: [
            #"{"v":1,"event":"run_status","timestamp":\#(now - 20),"data":{"status":"running","action":"train","job_id":"lost-job"}}"#,
            #"{"v":1,"event":"progress","timestamp":\#(now - 4),"step":"training","data":{"current":5,"total":50,"percent":10.0}}"#,
        ], writer: writer)
        let listed = try await jobsJSON()
        let job = try #require(listed.first { $0["id"] as? String == "lost-job" })
        #expect(job["status"] as? String == "lost")
        #expect((job["lost_since"] as? Double).map { abs($0 - (now - 3)) < 0.01 } == true)
        // The clock stopped at the writer's last proof of life, not now.
        #expect((job["duration"] as? Double).map { abs($0 - 17) < 0.1 } == true)
        let table = try await run(["jobs"])
        #expect(table.stdout.contains("lost (no writer since "))
        let shown = try await run(["show", "lost-job", "--size", "80x12"])
        // What happened comes first (the summary), and the screen's header says it too.
        let first = try #require(shown.stdout.split(separator: "\n").first)
        #expect(first.hasPrefix("train lost: no writer since ") && first.hasSuffix("(job lost-job)"), "\(shown.stdout)")
        #expect(shown.stdout.contains("Host      \(Self.localHost())"))
        #expect(shown.stdout.contains(" train  LOST   no writer since "), "\(shown.stdout)")

        // A writer that comes back (a fresh beat from a live process: this one) clears it.
        let alive = #"{"pid":\#(getpid()),"host":"\#(Self.localHost())","started":\#(now - 20),"beat":\#(Date().timeIntervalSince1970)}"#
        try alive.write(to: home.appendingPathComponent("jobs/lost-job/writer.json"), atomically: true, encoding: .utf8)
        #expect(try await jobsJSON().first { $0["id"] as? String == "lost-job" }?["status"] as? String == "running")
        // Elsewhere (another host), 30 s without a beat is lost too.
        let stale = #"{"pid":1,"host":"elsewhere.example","started":\#(now - 100),"beat":\#(now - 45)}"#
        try stale.write(to: home.appendingPathComponent("jobs/lost-job/writer.json"), atomically: true, encoding: .utf8)
        #expect(try await jobsJSON().first { $0["id"] as? String == "lost-job" }?["status"] as? String == "lost")
    }

    @Test func jobsReadsTheWholeLogAndAgreesWithShow() async throws {
        // Over 1.3 MiB of progress records: the last one (1000/1000) is past the head and the tail jobs used to read.
        var lines = [#"{"v":1,"event":"run_status","timestamp":1000,"data":{"status":"running","action":"big","job_id":"big-job"}}"#]
        let padding = String(repeating: "x", count: 200)
        for i in 0...1000 {
            lines.append(#"{"v":1,"event":"progress","timestamp":\#(1000 + Double(i) / 10),"step":"work","data":{"current":\#(i),"total":1000,"percent":\#(Double(i) / 10)}}"#)
            lines.append(#"{"v":1,"event":"message","timestamp":\#(1000 + Double(i) / 10),"data":{"content":"\#(padding)"}}"#)
            if i == 631 { lines += Array(repeating: #"{"v":1,"event":"message","timestamp":1063,"data":{"content":"\#(padding)"}}"#, count: 7000) }
        }
        lines.append(#"{"v":1,"event":"run_status","timestamp":1200,"data":{"status":"completed","action":"big","job_id":"big-job","result":{}}}"#)
        let folder = try makeJob("big-job", lines: lines)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("events.jsonl").path)[.size] as? Int)
        #expect(size > 1_400_000)
        let table = try await run(["jobs"])
        let row = try #require(table.stdout.split(separator: "\n").first { $0.hasPrefix("big-job") })
        #expect(row.contains("completed") && row.contains("100% 1000/1000"), "\(row)")
        // The summary is cached beside the log, and used while the log does not change.
        let cache = try String(contentsOf: folder.appendingPathComponent("summary.json"), encoding: .utf8)
        #expect(cache.contains(#""log_size":\#(size)"#))
        let again = try await run(["jobs"])
        #expect(again.stdout == table.stdout)
        let shown = try await run(["show", "big-job", "--size", "100x10"])
        #expect(shown.stdout.contains("1,000/1,000") && shown.stdout.contains("COMPLETED"), "\(shown.stdout)\n\(shown.stderr)")
    }

    @Test func stepsOneAfterAnotherWithNothingDeclaredListNoMadeUpPercent() async throws {
        // The training fixture (dataset, training, evaluation; nothing declared) cut where training is at 9/20:
        // `jobs` used to say 99% (the held 99.9 %) here.
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/training-completed.jsonl")
        let all = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n").map(String.init)
        let cut = try #require(all.firstIndex { $0.contains(#""step":"training""#) && $0.contains(#""current":9,"#) })
        let folder = try makeJob("half-job", lines: Array(all[...cut]))
        // A summary of the old version, stamped for this very log, holding the old figure: not to be trusted.
        var info = stat()
        #expect(stat(folder.appendingPathComponent("events.jsonl").path, &info) == 0)
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        let old = #"{"v":1,"log_size":\#(info.st_size),"log_modified":\#(modified),"status":"running","fraction":0.999,"current":9,"total":20}"#
        try old.write(to: folder.appendingPathComponent("summary.json"), atomically: true, encoding: .utf8)
        let table = try await run(["jobs"])
        let row = try #require(table.stdout.split(separator: "\n").first { $0.hasPrefix("half-job") })
        #expect(row.contains("training 45%, 1 done") && !row.contains("99%"), "\(row)")
        let entry = try #require(try await jobsJSON().first { $0["id"] as? String == "half-job" })
        let progress = try #require(entry["progress"] as? [String: Any])
        #expect(progress["percent"] == nil && progress["steps_done"] as? Int == 1 && progress["step"] as? String == "training"
                && progress["step_percent"] as? Double == 45, "\(progress)")
        let shown = try await run(["show", "half-job", "--size", "100x24"])
        #expect(shown.stdout.contains("Progress  1 step done, in step 2: training 45.0% (no weights declared)"), "\(shown.stdout)")
        #expect(shown.stdout.contains("overall  1 step done, in step 2: training 45.0%") && !shown.stdout.contains("99.9"),
                "\(shown.stdout)")
    }

    @Test func aKilledRunIsShownLostWithinSeconds() async throws {
        let launched = try launch(["run", "train", "--params", #"{"epochs": 1000, "epoch_seconds": 0.05}"#])
        let jobs = home.appendingPathComponent("jobs")
        var id: String?
        #expect(await poll(timeout: 30) {
            id = ((try? FileManager.default.contentsOfDirectory(atPath: jobs.path)) ?? []).first { id in
                FileManager.default.fileExists(atPath: jobs.appendingPathComponent("\(id)/writer.json").path)
                    && ((try? String(contentsOf: jobs.appendingPathComponent("\(id)/events.jsonl"), encoding: .utf8)) ?? "")
                        .contains(#""event":"progress""#)
            }
            return id != nil
        })
        let job = try #require(id)
        #expect(try await jobsJSON().first { $0["id"] as? String == job }?["status"] as? String == "running")
        kill(launched.0.processIdentifier, SIGKILL)
        _ = try await finish(launched)
        let started = Date()
        var status: String?
        while Date().timeIntervalSince(started) < 10 {
            status = try await jobsJSON().first { $0["id"] as? String == job }?["status"] as? String
            if status == "lost" { break }
        }
        #expect(status == "lost")
        #expect(Date().timeIntervalSince(started) < 5)
    }

    /// A real headless run SIGKILLed mid-run: `jobs`, `show <job>` and `show --file` on its log finish, call it
    /// lost, and read every line the writer had flushed; a partial last line (a write cut short) is reported.
    @Test func aSIGKILLedWriterLosesNoFlushedRecord() async throws {
        let launched = try launch(["run", "train", "--headless", "--params", #"{"epochs": 1000, "epoch_seconds": 0.05}"#])
        let jobs = home.appendingPathComponent("jobs")
        func log(_ id: String) -> URL { jobs.appendingPathComponent("\(id)/events.jsonl") }
        var id: String?
        // Killed once it has written some dozens of records, so that it dies in the middle of its work.
        #expect(await poll(timeout: 30) {
            id = ((try? FileManager.default.contentsOfDirectory(atPath: jobs.path)) ?? []).first { id in
                FileManager.default.fileExists(atPath: jobs.appendingPathComponent("\(id)/writer.json").path)
                    && ((try? String(contentsOf: log(id), encoding: .utf8)) ?? "")
                        .components(separatedBy: #""event":"progress""#).count > 40
            }
            return id != nil
        })
        let job = try #require(id)
        #expect(kill(launched.0.processIdentifier, SIGKILL) == 0)
        _ = try await finish(launched)
        #expect(launched.0.terminationReason == .uncaughtSignal && launched.0.terminationStatus == SIGKILL)

        // What the writer had flushed: the complete lines now in the file (nothing writes it any more).
        let bytes = try Data(contentsOf: log(job))
        let complete = bytes.filter { $0 == UInt8(ascii: "\n") }.count
        let partial = bytes.last != UInt8(ascii: "\n")
        #expect(complete > 40)
        func grouped(_ n: Int) -> String {
            var digits = String(n), out = ""
            while digits.count > 3 { out = "," + digits.suffix(3) + out; digits.removeLast(3) }
            return digits + out
        }
        // The last training progress the writer flushed is what `jobs` reports.
        let lastTraining = try #require(String(decoding: bytes, as: UTF8.self).split(separator: "\n").last {
            $0.contains(#""event":"progress""#) && $0.contains(#""step":"training""#) && $0.hasSuffix("}")
        })
        let lastCurrent = try #require((try JSONSerialization.jsonObject(with: Data(lastTraining.utf8)) as? [String: Any])
            .flatMap { $0["data"] as? [String: Any] }?["current"] as? Int)

        func check(partial: Bool) async throws {
            let reading = "\(grouped(complete)) records" + (partial ? ", 1 unreadable line" : ", every line read, nothing dropped")
            var entry: [String: Any]?
            // Polled: `jobs` calls a writer lost once its process is gone (each `jobs` has its own 60 s limit).
            let started = Date()
            while Date().timeIntervalSince(started) < 10 {
                entry = try await jobsJSON().first { $0["id"] as? String == job }
                if entry?["status"] as? String == "lost" { break }
            }
            #expect(entry?["status"] as? String == "lost", "\(String(describing: entry))")
            #expect((entry?["progress"] as? [String: Any])?["current"] as? Int == lastCurrent, "\(String(describing: entry))")
            for arguments in [["show", job], ["show", "--file", log(job).path]] {
                let shown = try await run(arguments + ["--size", "100x30"])
                #expect(shown.status == 0, "\(arguments): \(shown.stderr)")
                let lines = shown.stdout.split(separator: "\n")
                #expect(lines.first?.hasPrefix("train lost: no writer since") == true, "\(arguments): \(shown.stdout)")
                #expect(lines.contains { $0.hasPrefix("Log") && $0.hasSuffix(reading) }, "\(arguments): want \(reading)\n\(shown.stdout)")
                #expect(shown.stdout.contains(" LOST ") && shown.stdout.contains("\(grouped(complete)) events"), "\(arguments): \(shown.stdout)")
            }
        }
        try await check(partial: partial)
        // A write cut mid-line (as a kill during a multi-part write would leave it): the fragment is reported
        // as one unreadable line, every complete record before it still read.
        if !partial {
            let handle = try FileHandle(forWritingTo: log(job))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(#"{"v":1,"event":"metrics","timestamp":1,"step":"training","da"#.utf8))
            try handle.close()
            try await check(partial: true)
        }
    }
}

extension CLIRunTests {
    /// `show` of a failed, a cancelled and a completed job says what happened in its first lines: the status,
    /// how long, the full job id, then the whole error (its line breaks kept) or the result.
    @Test func showSaysWhatHappenedFirst() async throws {
        func status(_ t: Double, _ data: String) -> String {
            #"{"v":1,"event":"run_status","timestamp":\#(t),"data":{\#(data)}}"#
        }
        let running = #""status":"running","action":"train","params":{"epochs":0,"api_token":"hunter2"}"#
        _ = try makeJob("failed-job", lines: [
            status(1000, running + #","job_id":"failed-job""#),
            status(1001.25, #""status":"failed","error":{"type":"ParamsValidationError","message":"1 validation error\nepochs\n  must be ≥ 1"}"#),
        ])
        _ = try makeJob("cancelled-job", lines: [
            status(1000, running),
            status(1030, #""status":"cancelled","error":{"type":"Cancelled","message":"cancelled by user (q)"}"#),
        ])
        _ = try makeJob("done-job", lines: [
            status(1000, running),
            #"{"v":1,"event":"metrics","timestamp":1001,"step":"training","data":{"epoch":1,"loss":0.5}}"#,
            #"{"v":1,"event":"metrics","timestamp":1002,"step":"training","data":{"epoch":2,"loss":0.25}}"#,
            status(1090, #""status":"completed","result":{"final_loss":0.25}"#),
        ])
        func head(_ job: String, _ n: Int) async throws -> [Substring] {
            let shown = try await run(["show", job, "--size", "80x12"])
            #expect(shown.status == 0, "\(shown.stderr)")
            #expect(!shown.stdout.contains("hunter2"), "a secret-looking param is masked")
            return Array(shown.stdout.split(separator: "\n", omittingEmptySubsequences: false).prefix(n))
        }
        #expect(try await head("failed-job", 4) == ["train failed after 1.2s (job failed-job)",
                                                   "ParamsValidationError: 1 validation error", "  epochs", "    must be ≥ 1"])
        #expect(try await head("cancelled-job", 2) == ["train cancelled after 30.0s (job cancelled-job)",
                                                      "Cancelled: cancelled by user (q)"])
        let done = try await head("done-job", 20)
        #expect(Array(done.prefix(2)) == ["train completed after 1:30 (job done-job)", #"Result: {"final_loss":0.25}"#])
        #expect(done.contains("Best      training/loss 0.25 (min, epoch 2)"))
        #expect(done.contains(#"          api_token: "********""#))
        // A finished run's compact screen waits for nothing.
        let failedScreen = try await run(["show", "failed-job", "--size", "80x12", "--no-summary"])
        #expect(failedScreen.stdout.lowercased().contains("no progress was reported") && !failedScreen.stdout.lowercased().contains("waiting"))
        // The runtime's own cancel reads once, as the summary says it, not "Cancelled: Cancelled: ...".
        let cancelledScreen = try await run(["show", "cancelled-job", "--size", "80x12", "--no-summary"])
        #expect(cancelledScreen.stdout.contains("Cancelled: cancelled by user (q)") && !cancelledScreen.stdout.contains("Cancelled: Cancelled"),
                "\(cancelledScreen.stdout)")
        // --no-summary prints only the screen, as before.
        let screen = try await run(["show", "done-job", "--size", "80x12", "--no-summary"])
        // The screen without interactive chrome (no key hints, no focus) nor trailing blank rows.
        #expect(screen.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().count <= 12)
        #expect(!screen.stdout.contains("q quit") && !screen.stdout.contains("focus:"))
        #expect(screen.stdout.last == "\n" && !screen.stdout.hasSuffix(" \n\n"))
        #expect(screen.stdout.hasPrefix(" train  COMPLETED"), "\(screen.stdout)")
    }

    /// `show --console` of a real synapse-sdk failure whose error Rich wrapped over three lines: the summary
    /// starts with the whole error, joined back.
    @Test func showConsoleJoinsRichsWrappedError() async throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/console")
        let capture = home.appendingPathComponent("wrapped.txt")
        // As `2>&1` would have captured it: stdout, then the error on stderr.
        try (Data(contentsOf: fixtures.appendingPathComponent("local-fail-wrapped.stdout"))
             + Data(contentsOf: fixtures.appendingPathComponent("local-fail-wrapped.stderr"))).write(to: capture)
        let shown = try await run(["show", "--console", capture.path, "--size", "100x20"])
        #expect(shown.status == 0, "\(shown.stderr)")
        let lines = shown.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.contains(" failed") == true, "\(shown.stdout)")
        let error: String = "ExecutionError: 書き込みに失敗しました: item #1700 „Ünïcödé“ — the storage backend refused "
            + "the write after 3 retries (quota exceeded for bucket 'datasets-eu-west': 1.2 GiB over the limit of 500 GiB)"
        #expect(lines.count > 3 && String(lines[1]) == error, "\(shown.stdout)")
        #expect(lines.count > 3 && String(lines[2]) == "  hint: free some space or raise the quota, then run the action again")
    }

    /// Hostile sidecars and caches never crash or block a reader.
    @Test func hostileSidecarsAndCaches() async throws {
        let folder = try makeJob("odd", lines: [#"{"v":1,"event":"run_status","timestamp":1e19,"data":{"status":"running","action":"t"}}"#,
                                               #"{"v":1,"event":"progress","timestamp":1e19,"data":{"current":9223372036854775807,"total":1}}"#],
                                 writer: #"{"pid":1,"host":"x","started":1e300,"beat":-1e300}"#)
        #expect(try await run(["jobs"]).status == 0)
        #expect(try await run(["jobs"]).status == 0)  // now from summary.json
        try "{\"v\":1,\"log_size\":1e300}".write(to: folder.appendingPathComponent("summary.json"), atomically: true, encoding: .utf8)
        #expect(try await run(["jobs", "--json"]).status == 0)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("writer.json"))
        #expect(mkfifo(folder.appendingPathComponent("writer.json").path, 0o600) == 0)
        let listed = try await run(["jobs"])
        #expect(listed.status == 0 && listed.stdout.contains("odd"))
        #expect(try await run(["show", "odd", "--size", "80x10"]).status == 0)
    }
}
