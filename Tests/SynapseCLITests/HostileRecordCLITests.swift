import Foundation
import Testing

/// The single records of issue #13 that crashed `show`, `jobs` and `run` (SIGILL, exit 132), as the user met
/// them: through the binary.
@Suite struct HostileRecordCLITests {
    static let crashers = [
        #"{"v":1,"event":"metrics","timestamp":1,"step":"s","data":{"x":-9223372036854775808}}"#,
        #"{"v":1,"event":"progress","timestamp":1,"step":"s","data":{"current":-9223372036854775808,"total":1}}"#,
        #"{"v":1,"event":"progress","timestamp":1,"step":"s","data":{"current":5,"total":10,"elapsed":1,"time_remaining":1e300}}"#,
        #"{"v":1,"event":"message","timestamp":1e19,"data":{"content":"b"}}"#,
        #"{"v":1,"event":"run_status","timestamp":1e19,"data":{"status":"running","action":"t"}}"#,
    ]

    @Test(arguments: crashers)
    func showReadsTheRecord(line: String) async throws {
        let cli = CLIProcess()
        let file = try cli.write([line], to: "t.jsonl")
        let result = try await cli.run(["show", "--file", file])
        #expect(!result.signalled && result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("Progress") || result.stdout.contains("Metrics"))
    }

    @Test func showsAHugeMetricReadably() async throws {
        let cli = CLIProcess()
        let file = try cli.write([#"{"v":1,"event":"metrics","timestamp":1,"step":"s","data":{"x":1e300}}"#], to: "t.jsonl")
        let result = try await cli.run(["show", "--file", file, "--size", "200x50"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("1e300") && !result.stdout.contains("10000000"))
    }

    /// One job with a timestamp of 1e19 beside a good one: `jobs` lists both, in text and JSON.
    @Test func oneBadJobNeverBreaksJobs() async throws {
        let cli = CLIProcess()
        try cli.write([#"{"v":1,"event":"run_status","timestamp":1e19,"data":{"status":"running","action":"t"}}"#,
                       #"{"v":1,"event":"progress","timestamp":1e19,"data":{"current":9223372036854775807,"total":1}}"#],
                      to: "jobs/bad/events.jsonl")
        try cli.write([#"{"v":1,"event":"run_status","timestamp":1764076800,"data":{"status":"completed","action":"good"}}"#],
                      to: "jobs/good/events.jsonl")
        let table = try await cli.run(["jobs"])
        #expect(!table.signalled && table.status == 0, "stderr: \(table.stderr)")
        #expect(table.stdout.contains("bad") && table.stdout.contains("good") && table.stdout.contains("completed"))
        let json = try await cli.run(["jobs", "--json"])
        #expect(json.status == 0 && json.stdout.contains(#""id":"bad""#) && json.stdout.contains(#""id":"good""#))
    }

    /// A seed of -1 trapped in the example action and left the job "running" forever.
    @Test func negativeSeedRuns() async throws {
        let cli = CLIProcess()
        let result = try await cli.run(["run", "train", "--headless", "--params", #"{"seed":-1,"epochs":2,"epoch_seconds":0}"#])
        #expect(!result.signalled && result.status == 0, "stderr: \(result.stderr)")
        let jobs = try await cli.run(["jobs", "--json"])
        #expect(jobs.stdout.contains(#""status":"completed""#))
    }
}
