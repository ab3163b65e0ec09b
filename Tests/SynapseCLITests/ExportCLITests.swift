import Foundation
import Testing

/// `synapse-tui export` on real files: sources by job id, prefix and --file, output to a file, errors.
@Suite struct ExportCLITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// A home with the report fixture as job 9c1e55aa and the failed one as 7b21d4c0.
    func home() throws -> CLIProcess {
        let cli = CLIProcess()
        for (id, name) in [("9c1e55aa", "export-report"), ("7b21d4c0", "export-failed")] {
            let dir = cli.home.appendingPathComponent("jobs/\(id)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent(name + ".jsonl"),
                                             to: dir.appendingPathComponent("events.jsonl"))
        }
        return cli
    }

    @Test func jsonByPrefixMasksAndNeverReadsTheEnvironment() async throws {
        let cli = try home()
        let env = ["TRAIN_API_TOKEN": "env-secret-4242"]
        for format in ["json", "md", "csv", "html"] {
            let r = try await cli.run(["export", "9c1e", "--format", format], environment: env)
            #expect(r.status == 0, "\(format): \(r.stderr)")
            #expect(r.stdout.contains("9c1e55aa"), "\(format)")
            for secret in ["env-secret-4242", "sk-live-123", "hunter2"] { #expect(!r.stdout.contains(secret), "\(format)") }
            #expect(!r.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "\(format)")
        }
    }

    @Test func csvOfTwoJobsHasOneHeader() async throws {
        let cli = try home()
        let r = try await cli.run(["export", "9c1e55aa", "--file", Self.fixtures.appendingPathComponent("train-val-nan.jsonl").path,
                                   "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.components(separatedBy: "\r\n")
        #expect(lines.filter { $0.hasPrefix("run,") }.count == 1)
        #expect(lines.contains { $0.hasPrefix("9c1e55aa,training,epoch,") })
        #expect(lines.contains { $0.hasPrefix("train-val-nan.jsonl,") })
    }

    @Test func outputFileIsWrittenWhole() async throws {
        let cli = try home()
        let target = cli.path("report.html")
        let r = try await cli.run(["export", "9c1e55aa", "7b21d4c0", "--format", "html", "-o", target])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        let html = try String(contentsOfFile: target, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
        #expect(html.contains("2 runs compared") && html.contains("ConnectionError"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: cli.home.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func badInvocationsSayWhy() async throws {
        let cli = try home()
        let none = try await cli.run(["export", "--format", "json"])
        #expect(none.status != 0 && none.stderr.contains("at least one job id"))
        let format = try await cli.run(["export", "9c1e55aa", "--format", "pdf"])
        #expect(format.status != 0 && format.stderr.contains("html"))
        let missing = try await cli.run(["export", "--file", cli.path("nope.jsonl"), "--format", "md"])
        #expect(missing.status != 0 && missing.stderr.contains("nope.jsonl"))
        let unwritable = try await cli.run(["export", "9c1e55aa", "--format", "md", "-o", cli.path("no/such/dir/r.md")])
        #expect(unwritable.status != 0 && unwritable.stderr.contains("cannot write"))
    }
}

/// `show --at` on a fixture: the run as it was at a moment.
@Suite struct ShowAtCLITests {
    @Test func aMomentShowsThePrefix() async throws {
        let cli = CLIProcess()
        let log = ExportCLITests.fixtures.appendingPathComponent("export-report.jsonl").path
        // Half of the run's 50.1 s is 13:20:25.15: 5 of 12 training batches were done, the run was running.
        let half = try await cli.run(["show", "--file", log, "--at", "50%", "--size", "100x24", "--no-summary"], environment: ["TZ": "UTC"])
        #expect(half.status == 0, "\(half.stderr)")
        let header = try #require(half.stdout.split(separator: "\n").first)
        #expect(header.contains("RUNNING") && header.contains("AT 13:20:25 +0:25 (50.0%)"), "\(header)")
        #expect(half.stdout.contains("5/12"))
        #expect(!half.stdout.contains("Training finished"))
        // The same moment named three other ways.
        for at in ["+25.05s", "13:20:25.15", "2025-11-25T13:20:25.150Z"] {
            let r = try await cli.run(["show", "--file", log, "--at", at, "--size", "100x24", "--no-summary"], environment: ["TZ": "UTC"])
            #expect(r.stdout == half.stdout, "\(at): \(r.stderr)")
        }
        // epoch=3: up to the first record of epoch 3 (its first training batch, the 7th).
        let epoch = try await cli.run(["show", "--file", log, "--at", "epoch=3", "--size", "100x24", "--no-summary"], environment: ["TZ": "UTC"])
        #expect(epoch.status == 0 && epoch.stdout.contains("6/12"), "\(epoch.stdout)")
        // The end: the run as `show` shows it.
        let end = try await cli.run(["show", "--file", log, "--at", "100%", "--size", "100x24", "--no-summary"])
        #expect(end.stdout.contains("COMPLETED") && end.stdout.contains("Training finished"))
    }

    @Test func aBareNumberListsTheForms() async throws {
        let cli = CLIProcess()
        let log = ExportCLITests.fixtures.appendingPathComponent("export-report.jsonl").path
        let r = try await cli.run(["show", "--file", log, "--at", "50"])
        #expect(r.status != 0)
        for form in ["50%", "+5m30s", "12:03:41", "epoch=5"] { #expect(r.stderr.contains(form)) }
        let never = try await cli.run(["show", "--file", log, "--at", "epoch=9"])
        #expect(never.status != 0 && never.stderr.contains("epoch never reached 9"))
    }
}
