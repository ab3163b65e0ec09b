import Foundation
import Synchronization
import Testing
@testable import SynapsePlugins

/// What an in-process action writes while the dashboard owns the terminal becomes `output` events. The tests
/// capture two spare descriptors (the runner's own stdout and stderr stay where they are); the machinery is
/// the one `start()` uses on 1 and 2.
@Suite struct OutputCaptureTests {
    /// Two descriptors on scratch files standing for stdout and stderr, and what reached those files.
    final class Spare {
        let paths = (0..<2).map { _ in NSTemporaryDirectory() + "capture-\(UUID().uuidString)" }
        let fds: [Int32]
        init() { fds = paths.map { open($0, O_CREAT | O_RDWR | O_TRUNC, 0o600) } }
        deinit { for (fd, path) in zip(fds, paths) { close(fd); unlink(path) } }
        func written(_ index: Int) -> String {
            String(decoding: FileManager.default.contents(atPath: paths[index]) ?? Data(), as: UTF8.self)
        }
        func write(_ index: Int, _ text: String) {
            _ = text.utf8CString.withUnsafeBufferPointer { Glibc.write(fds[index], $0.baseAddress, $0.count - 1) }
        }
    }

    static func outputs(_ logger: MemoryLogger) -> [OutputLine] {
        logger.events.compactMap { if case .output(let line) = $0.payload { return line } else { return nil } }
    }

    @Test func linesBecomeOutputEventsAndLaterOnesReachTheRealDescriptor() throws {
        let spare = Spare()
        let capture = try OutputCapture.start(descriptors: [(.stdout, spare.fds[0]), (.stderr, spare.fds[1])])
        let logger = MemoryLogger()
        capture.attach(logger)
        spare.write(0, "first line\nsecond ")
        spare.write(1, "an error\r\n")
        spare.write(0, "half\nno newline")
        capture.detach()
        // Each stream in its own order (the two are read by two threads).
        #expect(Self.outputs(logger).filter { $0.stream == .stderr }.map(\.text) == ["an error"])
        #expect(Self.outputs(logger).filter { $0.stream == .stdout }.map(\.text) == ["first line", "second half", "no newline"])
        // After the run: nothing more is recorded, nothing is lost either (written out at stop).
        spare.write(1, "after the run\n")
        capture.stop()
        #expect(Self.outputs(logger).count == 4)
        #expect(spare.written(1) == "after the run\n")
        #expect(spare.written(0) == "")
        // The descriptors are the files again.
        spare.write(0, "restored\n")
        #expect(spare.written(0) == "restored\n")
    }

    @Test func aRunawayLineIsRecordedInPieces() throws {
        let spare = Spare()
        let capture = try OutputCapture.start(descriptors: [(.stdout, spare.fds[0])])
        let logger = MemoryLogger()
        capture.attach(logger)
        spare.write(0, String(repeating: "x", count: OutputCapture.maxLine * 2 + 10) + "\n")
        capture.detach()
        capture.stop()
        #expect(Self.outputs(logger).map(\.text.count) == [OutputCapture.maxLine, OutputCapture.maxLine, 10])
    }

    /// Through the runner: the job's log gets the action's lines as `output` records.
    @Test func aJobRecordsWhatItsActionWrites() async throws {
        let spare = Spare()
        let capture = try OutputCapture.start(descriptors: [(.stdout, spare.fds[0])])
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("capture-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let store = JobStore(home: home)
        var registry = ActionRegistry()
        registry.register(CaptureEchoAction.self)
        CaptureEchoAction.fd.withLock { $0 = spare.fds[0] }
        let handle = try ActionRunner(registry: registry).startJob(
            RunRequest(steps: [PipelineStep(action: "capture-echo", params: [:])], jobID: "capture-job"), in: store, output: capture)
        #expect(await handle.outcome.status == .completed)
        capture.stop()
        let log = try String(contentsOf: home.appendingPathComponent("jobs/capture-job/events.jsonl"), encoding: .utf8)
        #expect(log.contains(#""event":"output""#) && log.contains("hello from the action"))
    }
}

struct CaptureEchoAction: PluginAction {
    struct Params: ActionParams {}
    static let actionName = "capture-echo"
    static let fd = Mutex<Int32>(-1)
    let params: Params
    let ctx: RuntimeContext
    init(params: Params, context: RuntimeContext) { self.params = params; self.ctx = context }
    func execute() async throws -> JSONValue {
        let line = "hello from the action\n"
        let fd = Self.fd.withLock { $0 }
        _ = line.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        return [:]
    }
}
