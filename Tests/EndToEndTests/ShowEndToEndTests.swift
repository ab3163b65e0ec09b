import Foundation
import Testing

extension EndToEnd {
    /// `show` prints the final dashboard as text: no terminal needed, so no tmux either.
    @Suite(.enabled(if: Harness.binary != nil, "the synapse-tui binary is not built (swift build)"))
    struct ShowEndToEndTests {
        static func run(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Harness.binary!)
            process.arguments = arguments
            process.environment = environment
            let out = Pipe()
            process.standardOutput = out
            process.standardError = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }

        @Test func printsTheFinalDashboardAtTheGivenSize() throws {
            let home = TestHome()
            let log = home.jobLog("job-show")
            LogWriter(path: log).append(Fixture.complete(job: "job-show"))
            let result = try Self.run(["show", "job-show", "--size", "80x24", "--no-summary"], environment: home.environment)
            #expect(result.status == 0, "\(result.output)")
            let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            // The screen without the interactive status line nor trailing blank rows: at most the size.
            #expect(lines.count <= 24 && lines.count >= 10)
            #expect(lines.last.map { !$0.trimmingCharacters(in: .whitespaces).isEmpty } == true)
            #expect(!result.output.contains("q quit"))
            #expect(lines.allSatisfy { $0.count <= 80 })
            #expect(result.output.localizedCaseInsensitiveContains("completed"))
            #expect(result.output.contains("100%"))
            #expect(!result.output.contains("\u{1B}"), "plain text unless --color")
        }

        @Test func colorAddsEscapesAndAPartialLastLineStillCounts() throws {
            let home = TestHome()
            let log = home.file("events.jsonl")
            LogWriter(path: log).append(Fixture.complete())
            // A writer that died mid-line: `show` reads the partial last record too.
            let fd = open(log, O_WRONLY | O_APPEND)
            let partial = #"{"v":1,"event":"message","timestamp":1764076900,"level":"info","data":{"content":"last words"}}"#
            _ = partial.withCString { write(fd, $0, strlen($0)) }
            close(fd)
            let result = try Self.run(["show", "--file", log, "--size", "120x40", "--color"], environment: home.environment)
            #expect(result.status == 0)
            #expect(result.output.contains("\u{1B}["))
            #expect(result.output.contains("last words"))
        }

        @Test func noColorWinsOverColor() throws {
            let home = TestHome()
            let log = home.file("events.jsonl")
            LogWriter(path: log).append(Fixture.complete())
            var environment = home.environment
            environment["NO_COLOR"] = "1"
            let result = try Self.run(["show", "--file", log, "--size", "80x24", "--color"], environment: environment)
            #expect(result.status == 0)
            #expect(!result.output.contains("\u{1B}"), "NO_COLOR: no escapes even with --color")
        }

        @Test func readsTheConsoleCaptureOfAnUnmodifiedSDKRun() throws {
            let capture = Harness.packageRoot.appendingPathComponent("Tests/Fixtures/console/local-train.stdout").path
            let result = try Self.run(["show", "--console", capture, "--size", "100x30"], environment: TestHome().environment)
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.localizedCaseInsensitiveContains("completed"))
            #expect(result.output.contains("Training finished"))
        }

        @Test func unknownJobIsAClearError() throws {
            let home = TestHome()
            let result = try Self.run(["show", "nope"], environment: home.environment)
            #expect(result.status != 0)
            #expect(result.output.lowercased().contains("nope"))
        }
    }
}
