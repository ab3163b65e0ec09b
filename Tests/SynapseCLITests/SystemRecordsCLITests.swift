import Foundation
import Testing

/// `run` (in-process) and `run -- CMD` write `system` records while the run lasts, never after its final
/// status and never as console lines.
@Suite(.serialized) struct SystemRecordsCLITests {
    let cli = CLIRunTests()

    func records(of run: CLIRunTests.Run) throws -> [[String: Any]] {
        let id = try #require(cli.jobID(run), "no job id in \(run.stdout)")
        let log = cli.home.appendingPathComponent("jobs/\(id)/events.jsonl")
        return try String(contentsOf: log, encoding: .utf8).split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    func check(_ records: [[String: Any]], minimumRSS: Int) {
        let system = records.filter { $0["event"] as? String == "system" }
        #expect(system.count >= 2, "\(system.count) system records")
        for record in system {
            let data = record["data"] as? [String: Any] ?? [:]
            #expect((data["processes"] as? Int ?? 0) >= 1)
            #expect((data["rss_bytes"] as? Int ?? 0) >= minimumRSS)
            #expect((data["host_memory_total"] as? Int ?? 0) > 0)
            #expect(data["gpus"] == nil, "no GPU on this machine, yet: \(data)")
        }
        #expect(system.dropFirst().allSatisfy { ($0["data"] as? [String: Any])?["cpu_percent"] != nil })
        let last = records.last?["data"] as? [String: Any]
        #expect(records.last?["event"] as? String == "run_status" && last?["status"] as? String == "completed")
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["SYNAPSE_SYSTEM_INTERVAL"] == nil))
    func inProcessRun() async throws {
        let run = try await cli.run(["run", "--headless", "train", "--params", #"{"epochs": 3, "epoch_seconds": 0.9}"#])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(!run.stderr.contains("system"), "a system record reached the console: \(run.stderr)")
        check(try records(of: run), minimumRSS: 1 << 20)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["SYNAPSE_SYSTEM_INTERVAL"] == nil))
    func childRun() async throws {
        let run = try await cli.run(["run", "--headless", "--", "sh", "-c", "sleep 2.6"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(!run.stderr.contains("system"), "a system record reached the console: \(run.stderr)")
        check(try records(of: run), minimumRSS: 1)
    }
}
