import Foundation
import SynapsePlugins
import Testing

/// Where things are for the end-to-end tests: the package root (from this file's path) and the built
/// binary, plus a private `SYNAPSE_HOME` per test.
enum Harness {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary `swift build` produced (debug, or release when only that exists).
    static let binary: String? = ["debug", "release"]
        .map { packageRoot.appendingPathComponent(".build/\($0)/synapse-tui").path }
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Why the suite cannot run here, or `nil` when it can.
    static var skipReason: String? {
        if !TmuxSession.isAvailable { return "tmux is not installed (apt-get install tmux; .ci/run installs it)" }
        if binary == nil { return "the synapse-tui binary is not built (swift build)" }
        return nil
    }

    static var canRun: Bool { skipReason == nil }

    /// A shell-quoted command line running the binary.
    static func command(_ arguments: String...) -> String {
        command(arguments)
    }

    static func command(_ arguments: [String]) -> String {
        ([binary ?? "synapse-tui"] + arguments).map(quote).joined(separator: " ")
    }

    static func quote(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Polls `condition` until it holds or `timeout` seconds pass; returns whether it held. For what a
    /// process writes on its own schedule (the job log is flushed by a timer, not when the screen draws).
    static func eventually(timeout: Double = 10, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            if Date() > deadline { return false }
            usleep(50_000)
        }
        return true
    }
}

/// A temporary `SYNAPSE_HOME` (and scratch folder) for one test, removed afterwards.
final class TestHome {
    let path: String

    init() {
        var template = Array((NSTemporaryDirectory() + "synapse-e2e-XXXXXX").utf8CString)
        path = String(cString: mkdtemp(&template)!)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    var environment: [String: String] {
        ["SYNAPSE_HOME": path, "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
    }

    /// The event log of a job in this home (the folder is created).
    func jobLog(_ id: String) -> String {
        let folder = path + "/jobs/" + id
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder + "/events.jsonl"
    }

    /// A file in the scratch folder.
    func file(_ name: String) -> String { path + "/" + name }
}

/// Writes event-log records the way a run does (one `write` per record, `O_APPEND`).
struct LogWriter {
    let path: String

    func append(_ events: [Event]) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        precondition(fd >= 0, "cannot open \(path)")
        for event in events {
            let bytes = EventCodec.encodeLine(event)
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        }
        close(fd)
    }

    func truncate() { _ = Foundation.truncate(path, 0) }
}

/// A small, complete job: what a fixture run writes, in pieces.
enum Fixture {
    /// Now, so a live job's elapsed time reads like a live job's.
    static let t0 = Date().timeIntervalSince1970.rounded()

    static func start(job: String = "job-1") -> [Event] {
        [Event(timestamp: t0, payload: .runStatus(RunStatusUpdate(status: .running, action: "train", jobID: job))),
         Event(timestamp: t0 + 0.1, level: .info, payload: .message(Message(content: "Starting training...")))]
    }

    static func epoch(_ i: Int, of total: Int) -> [Event] {
        let t = t0 + Double(i)
        return [
            Event(timestamp: t, step: "training",
                  payload: .progress(ProgressData(current: i, total: total, step: "training", elapsed: Double(i)))),
            Event(timestamp: t, step: "training",
                  payload: .metrics(["epoch": .int(i), "loss": .double(1.0 / Double(i + 1))])),
            Event(timestamp: t, level: .debug,
                  payload: .devEvent(DevEvent(message: "Epoch \(i) done", data: .object(["epoch": .int(i)])))),
        ]
    }

    static func finish(job: String = "job-1", status: RunStatus = .completed) -> [Event] {
        [Event(timestamp: t0 + 100, level: .success, payload: .message(Message(content: "Training finished"))),
         Event(timestamp: t0 + 100, payload: .end),
         Event(timestamp: t0 + 100, payload: .runStatus(RunStatusUpdate(status: status, action: "train", jobID: job)))]
    }

    static func complete(job: String = "job-1", epochs: Int = 10) -> [Event] {
        start(job: job) + (1...epochs).flatMap { epoch($0, of: epochs) } + finish(job: job)
    }
}

/// Every end-to-end suite nests in here, so they run one after another: each drives real processes in
/// real terminals, and running them side by side on a small machine would only make timeouts flaky.
@Suite(.serialized) enum EndToEnd {}
