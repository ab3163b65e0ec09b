import Foundation
@testable import SynapsePlugins

/// Helpers of the runtime tests (namespaced: other suites of this target define global helpers).
enum RT {
    /// Polls `condition` every few milliseconds until it holds or `timeout` passes; returns whether it held.
    static func poll(timeout: Double = 5, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition()
    }

    /// A fresh empty folder under the temporary directory.
    static func temporaryFolder(_ name: String = "rt") -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("synapse-\(name)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The run statuses recorded, in order.
    static func statuses(_ events: [Event]) -> [RunStatus] {
        events.compactMap { if case .runStatus(let u) = $0.payload { return u.status } else { return nil } }
    }

    /// The final run_status update.
    static func finalStatus(_ events: [Event]) -> RunStatusUpdate? {
        events.compactMap { if case .runStatus(let u) = $0.payload { return u } else { return nil } }.last
    }

    /// `(level, content)` of every message.
    static func messages(_ events: [Event]) -> [(LogLevel?, String)] {
        events.compactMap { if case .message(let m) = $0.payload { return ($0.level, m.content) } else { return nil } }
    }

    /// `(action, index, status)` of every action_status record.
    static func actionStatuses(_ events: [Event]) -> [String] {
        events.compactMap {
            if case .actionStatus(let u) = $0.payload { return "\(u.index):\(u.action):\(u.status.rawValue)" }
            return nil
        }
    }

    static func count(_ name: String, in events: [Event]) -> Int {
        events.filter { $0.name == name }.count
    }
}

/// Test actions: each shows one behaviour of the runner.
struct EchoAction: PluginAction {
    struct Params: ActionParams, Hashable {
        var text = "hi"
        var times = 1
        static let rules: [ParamRule] = [.field("times", .ge(1), .le(5))]
    }

    static let actionName = "echo"
    let params: Params
    let ctx: RuntimeContext
    init(params: Params, context: RuntimeContext) { self.params = params; self.ctx = context }

    func execute() async throws -> JSONValue {
        for _ in 0..<params.times { ctx.logMessage(params.text) }
        ctx.endLog()
        return ["echoed": .int(params.times)]
    }
}

/// Never calls endLog.
struct ForgetfulAction: PluginAction {
    static let actionName = "forgetful"
    init(params: NoParams, context: RuntimeContext) { ctx = context }
    let ctx: RuntimeContext
    func execute() async throws -> JSONValue { ctx.logMessage("working"); return .null }
}

/// Calls endLog three times.
struct RepeatedEndAction: PluginAction {
    static let actionName = "repeated-end"
    init(params: NoParams, context: RuntimeContext) { ctx = context }
    let ctx: RuntimeContext
    func execute() async throws -> JSONValue { ctx.endLog(); ctx.endLog(); ctx.endLog(); return .null }
}

struct Boom: Error, CustomStringConvertible {
    var description: String { "boom" }
}

/// Throws after a message.
struct ThrowingAction: PluginAction {
    static let actionName = "throws"
    init(params: NoParams, context: RuntimeContext) { ctx = context }
    let ctx: RuntimeContext
    func execute() async throws -> JSONValue { ctx.logMessage("about to fail"); throw Boom() }
}

/// Runs until cancelled (at most 30 s), reporting progress so a test can see it started.
struct SleepyAction: PluginAction {
    static let actionName = "sleepy"
    init(params: NoParams, context: RuntimeContext) { ctx = context }
    let ctx: RuntimeContext
    func execute() async throws -> JSONValue {
        for i in 0..<3000 {
            ctx.setProgress(i, 3000, step: "waiting")
            try await Task.sleep(for: .milliseconds(10))
        }
        return .null
    }
}

/// Records whether it ran, so tests can prove invalid params never reach execute.
final class ExecutionProbe: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    static let shared = ExecutionProbe()
    func hit() { lock.withLock { count += 1 } }
    var hits: Int { lock.withLock { count } }
}

struct ProbedAction: PluginAction {
    struct Params: ActionParams, Hashable {
        var n = 1
        static let rules: [ParamRule] = [.field("n", .ge(0))]
    }
    static let actionName = "probed"
    init(params: Params, context: RuntimeContext) {}
    func execute() async throws -> JSONValue { ExecutionProbe.shared.hit(); return .null }
}

extension ActionRegistry {
    static var testActions: ActionRegistry {
        ActionRegistry([EchoAction.self, ForgetfulAction.self, RepeatedEndAction.self, ThrowingAction.self,
                        SleepyAction.self, ProbedAction.self, TrainAction.self, EvaluateAction.self,
                        PreprocessAction.self])
    }
}
