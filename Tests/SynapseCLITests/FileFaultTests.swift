import Foundation
import Testing

/// Files that are not plain logs, given to `show`, `attach` and `jobs` (issue #13): each must end with what
/// the user needs to know, never hang and never show an empty dashboard as if all were well.
@Suite struct FileFaultTests {
    static let record = #"{"v":1,"event":"run_status","timestamp":1764076800,"data":{"status":"completed","action":"fifo_action"}}"#

    /// Opens `path` for writing on another thread (a FIFO's open waits for its reader), writes `text`, closes.
    static func writeLater(_ path: String, _ text: String, after delay: Double = 0) -> Thread {
        let thread = Thread {
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            let fd = open(path, O_WRONLY)
            guard fd >= 0 else { return }
            _ = text.withCString { write(fd, $0, strlen($0)) }
            close(fd)
        }
        thread.start()
        return thread
    }

    @Test func showReadsAFIFOToItsEnd() async throws {
        let cli = CLIProcess()
        let fifo = cli.path("run.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        _ = Self.writeLater(fifo, Self.record + "\n")
        let result = try await cli.run(["show", "--file", fifo], timeout: 30)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("fifo_action") && result.stdout.contains("COMPLETED"))
    }

    /// Without a writer `show` waits for one (as `cat` would), then reads what it writes.
    @Test func showWaitsForTheFIFOsWriter() async throws {
        let cli = CLIProcess()
        let fifo = cli.path("run.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        let launched = try cli.launch(["show", "--file", fifo])
        try await Task.sleep(for: .milliseconds(500))
        #expect(launched.0.isRunning, "show gave up on a FIFO before its writer came")
        _ = Self.writeLater(fifo, Self.record + "\n")
        let result = try await cli.finish(launched, timeout: 30)
        #expect(result.status == 0 && result.stdout.contains("fifo_action"))
    }

    @Test func jobsSkipsALogThatIsAFIFO() async throws {
        let cli = CLIProcess()
        try cli.write([Self.record], to: "jobs/good/events.jsonl")
        try FileManager.default.createDirectory(atPath: cli.path("jobs/piped"), withIntermediateDirectories: true)
        #expect(mkfifo(cli.path("jobs/piped/events.jsonl"), 0o600) == 0)
        let result = try await cli.run(["jobs"], timeout: 30)
        #expect(result.status == 0)
        #expect(result.stdout.contains("good") && result.stdout.contains("fifo_action"))
        #expect(result.stderr.contains("skipped job piped") && result.stderr.contains("FIFO"))
    }

    @Test(arguments: ["show", "attach"])
    func aDirectoryIsAClearError(command: String) async throws {
        let cli = CLIProcess()
        let result = try await cli.run([command, "--file", cli.home.path], timeout: 30)
        #expect(!result.signalled && result.status != 0)
        #expect(result.stderr.contains("is a directory"), "stderr: \(result.stderr)")
    }

    /// Root reads every file, so the binary runs as nobody (setpriv) against a root-only log.
    @Test(arguments: ["show", "attach"])
    func anUnreadableFileIsAClearError(command: String) async throws {
        let cli = CLIProcess()
        let file = try cli.write([Self.record], to: "private.jsonl")
        chmod(file, 0o600)
        chmod(cli.home.path, 0o755)
        var prefix: [String] = []
        if geteuid() == 0 {
            try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "setpriv (util-linux) is needed to drop root")
            prefix = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        } else {
            chmod(file, 0)
        }
        let result = try await cli.run([command, "--file", file], environment: ["HOME": "/tmp"], prefix: prefix, timeout: 30)
        #expect(!result.signalled && result.status != 0)
        #expect(result.stderr.contains("cannot read") && result.stderr.contains("Permission denied"), "stderr: \(result.stderr)")
    }

    @Test func aByteOrderMarkIsNotARecord() async throws {
        let cli = CLIProcess()
        let file = cli.path("bom.jsonl")
        try Data([0xEF, 0xBB, 0xBF] + Array((Self.record + "\n").utf8)).write(to: URL(fileURLWithPath: file))
        let result = try await cli.run(["show", "--file", file])
        #expect(result.status == 0)
        #expect(result.stdout.contains("COMPLETED") && !result.stdout.contains("unreadable"))
    }

    /// An endless stream without line breaks stops at a stated limit, with a non-zero exit.
    @Test func devZeroStopsAtALimit() async throws {
        let cli = CLIProcess()
        let result = try await cli.run(["show", "--file", "/dev/zero"], timeout: 60)
        #expect(!result.signalled && result.status == 1)
        #expect(result.stderr.contains("without a line break"), "stderr: \(result.stderr)")
    }
}
