import Foundation
import Testing

/// Runs the built `synapse-tui` with its own `SYNAPSE_HOME`, with control over its standard streams and
/// environment, for the tests that give it hostile files and broken outputs.
struct CLIProcess {
    struct Result {
        var status: Int32
        /// `true` when the process died of a signal (`status` is then the signal number).
        var signalled: Bool
        var stdout: String
        var stderr: String
    }

    let home: URL = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("synapse-fault-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// A path inside this test's home.
    func path(_ name: String) -> String { home.appendingPathComponent(name).path }

    /// Starts the binary (or `prefix + binary` when a wrapper such as `setpriv` is given).
    /// - Parameters:
    ///   - stdoutPath: where standard output goes (a file in home by default; `/dev/full` to break it).
    func launch(_ arguments: [String], environment extra: [String: String] = [:], stdoutPath: String? = nil,
                stderrPath: String? = nil, prefix: [String] = []) throws -> (Process, String, String) {
        let binary = try #require(CLIRunTests.binary, "synapse-tui binary not found; set SYNAPSE_TUI_BINARY")
        let process = Process()
        if prefix.isEmpty {
            process.executableURL = binary
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: prefix[0])
            process.arguments = Array(prefix.dropFirst()) + [binary.path] + arguments
        }
        var environment = ProcessInfo.processInfo.environment
        environment["SYNAPSE_HOME"] = home.path
        environment["NO_COLOR"] = "1"
        // A UTF-8 locale, whatever the machine's: without one the screen is drawn in ASCII (tested on its own).
        environment["LC_ALL"] = "C.UTF-8"
        environment["SWIFT_BACKTRACE"] = "enable=no"
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let id = UUID().uuidString.prefix(8)
        let out = stdoutPath ?? path("out-\(id)"), err = stderrPath ?? path("err-\(id)")
        for file in [out, err] where !file.hasPrefix("/dev/") {
            _ = FileManager.default.createFile(atPath: file, contents: nil)
            chmod(file, 0o666)  // a test may run the binary as another user
        }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    /// Waits with a deadline (an overrun is a failure: the process is killed) and collects the output.
    func finish(_ launched: (Process, String, String), timeout: Double = 60) async throws -> Result {
        let (process, out, err) = launched
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("synapse-tui \(process.arguments ?? []) did not finish within \(timeout)s")
        }
        process.waitUntilExit()
        func read(_ path: String) -> String {
            path.hasPrefix("/dev/") ? "" : (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        }
        return Result(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                      stdout: read(out), stderr: read(err))
    }

    func run(_ arguments: [String], environment: [String: String] = [:], stdoutPath: String? = nil,
             stderrPath: String? = nil, prefix: [String] = [], timeout: Double = 60) async throws -> Result {
        try await finish(try launch(arguments, environment: environment, stdoutPath: stdoutPath, stderrPath: stderrPath,
                                    prefix: prefix), timeout: timeout)
    }

    /// Writes `lines` (each followed by a newline) to `name` in home; returns its path.
    @discardableResult
    func write(_ lines: [String], to name: String) throws -> String {
        let file = path(name)
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try (lines.map { $0 + "\n" }.joined()).write(toFile: file, atomically: false, encoding: .utf8)
        return file
    }

    /// Polls `condition` every 20 ms until it holds or `timeout` seconds pass.
    static func poll(timeout: Double, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }
}
