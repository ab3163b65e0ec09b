import Foundation
import SynapseTestSupport
import Testing

/// A run whose outputs fail (issue #13): a full disk under the job log, /dev/full as stdout or stderr.
/// Each checks what the user is told, the exit status, and what the log holds.
@Suite(.serialized) struct OutputFaultTests {
    @Test(.enabled(if: TinyDisk.canMount, "mounting a tmpfs needs root (CI runs as root)"))
    func aFullDiskIsSaidAtOnceAndInTheExitStatus() async throws {
        let disk = try TinyDisk()
        defer { disk.unmount() }
        let cli = CLIProcess()
        let result = try await cli.run(["run", "train", "--headless", "--params", #"{"epochs":300,"epoch_seconds":0.001}"#],
                                       environment: ["SYNAPSE_HOME": disk.path + "/h"], timeout: 120)
        #expect(result.status == 4, "exit 4: the log is incomplete; stderr: \(result.stderr.suffix(500))")
        #expect(result.stderr.contains("cannot write the job log") && result.stderr.contains("No space left on device"))
        #expect(result.stderr.contains("the job log is incomplete"))
        // The failure is reported when it happens, before the run's end.
        let lines = result.stderr.split(separator: "\n")
        let reported = try #require(lines.firstIndex { $0.contains("cannot write the job log") })
        let completed = try #require(lines.firstIndex { $0.contains("train completed") })
        #expect(reported < completed)
        let jobs = try FileManager.default.contentsOfDirectory(atPath: disk.path + "/h/jobs")
        let log = try String(contentsOfFile: disk.path + "/h/jobs/\(try #require(jobs.first))/events.jsonl", encoding: .utf8)
        #expect(log.hasSuffix("\n"), "no partial last line")
        #expect(!log.isEmpty)
    }

    @Test(arguments: ["stdout", "stderr"])
    func devFullIsANonZeroExit(stream: String) async throws {
        let cli = CLIProcess()
        let result = try await cli.run(["run", "train", "--headless", "--params", #"{"epochs":2,"epoch_seconds":0}"#],
                                       stdoutPath: stream == "stdout" ? "/dev/full" : nil,
                                       stderrPath: stream == "stderr" ? "/dev/full" : nil, timeout: 60)
        #expect(!result.signalled && result.status == 5, "\(stream) on /dev/full: exit \(result.status)")
    }
}
