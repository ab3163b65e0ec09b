import Foundation
import Testing

/// `synapse-tui compare` on real files: sources by id, prefix and --file, `--print`, and the errors.
@Suite struct CompareCLITests {
    static let fixtures = ExportCLITests.fixtures

    /// A home with the report fixture as job 9c1e55aa and the training one as 3f0c9a1e.
    func home() throws -> CLIProcess {
        let cli = CLIProcess()
        for (id, name) in [("9c1e55aa", "export-report"), ("3f0c9a1e", "training-completed")] {
            let dir = cli.home.appendingPathComponent("jobs/\(id)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent(name + ".jsonl"),
                                             to: dir.appendingPathComponent("events.jsonl"))
        }
        return cli
    }

    @Test func printsBothRunsByPrefixAndFile() async throws {
        let cli = try home()
        let r = try await cli.run(["compare", "9c1e", "--file", Self.fixtures.appendingPathComponent("training-completed.jsonl").path,
                                   "--print", "--size", "100x30"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count <= 30)
        #expect(lines.allSatisfy { $0.count <= 100 })
        #expect(r.stdout.contains(" compare  2 runs"))
        #expect(r.stdout.contains("Chart "))
        #expect(r.stdout.contains("params that differ"))
        // Printed for a log: no key hints, no secrets, no escapes.
        #expect(!r.stdout.contains("q quit"))
        for secret in ["sk-live-123", "hunter2"] { #expect(!r.stdout.contains(secret)) }
        #expect(!r.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        let metric = try await cli.run(["compare", "9c1e55aa", "3f0c9a1e", "--print", "--size", "100x30", "--metric", "val_loss"])
        #expect(metric.status == 0, "\(metric.stderr)")
        #expect(metric.stdout.contains("Chart validation/val_loss"))
    }

    @Test func badInvocationsSayWhy() async throws {
        let cli = try home()
        let none = try await cli.run(["compare", "--print"])
        #expect(none.status != 0 && none.stderr.contains("Give the runs to compare"))
        let unknown = try await cli.run(["compare", "9c1e55aa", "ffff0000", "--print"])
        #expect(unknown.status != 0 && unknown.stderr.contains("ffff0000"), "\(unknown.stderr)")
        let nine = try await cli.run(["compare"] + (1...9).map { "9c1e\($0)" } + ["--print"])
        #expect(nine.status != 0 && nine.stderr.contains("at most 8 runs; 9 were given"), "\(nine.stderr)")
        let twice = try await cli.run(["compare", "9c1e55aa", "9c1e", "--print"])
        #expect(twice.status != 0 && twice.stderr.contains("given twice"), "\(twice.stderr)")
        let missing = try await cli.run(["compare", "9c1e55aa", "--file", cli.path("nope.jsonl"), "--print"])
        #expect(missing.status != 0 && missing.stderr.contains("nope.jsonl"))
        let metric = try await cli.run(["compare", "9c1e55aa", "--print", "--metric", "nope"])
        #expect(metric.status != 0 && metric.stderr.contains("No run has a metric 'nope'"), "\(metric.stderr)")
        let size = try await cli.run(["compare", "9c1e55aa", "--print", "--size", "big"])
        #expect(size.status != 0 && size.stderr.contains("--size"))
    }
}
