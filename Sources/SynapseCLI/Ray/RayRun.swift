import ArgumentParser
import Foundation
import SynapsePlugins
import SynapseRay

/// `run --ray URL --plugin DIR <action>...`: submits the plugin run as a Ray job (the folder shipped as the
/// job's working_dir, the bridge's runner with marked lines on), then follows it.
extension RunCommand {
    func validateRayRun() throws {
        guard plugin != nil else {
            throw ValidationError("--ray runs a Python synapse-sdk plugin: give --plugin DIR and the action(s).")
        }
        if actions.isEmpty { throw ValidationError("Name the plugin action to run.") }
        if params != nil && paramsFile != nil { throw ValidationError("Give --params or --params-file, not both.") }
    }

    func runOnRay() async throws {
        let client = try ray.client()
        let given: JSONValue
        do { given = try readParams() } catch let problem as InputProblem {
            Console.error(problem.message)
            throw ExitCode(RunExitCode.invalidInput)
        }
        let id = jobID ?? JobID.generate()
        let directory = URL(fileURLWithPath: plugin!).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: directory + "/config.yaml") else {
            Console.error("\(directory) is not a synapse-sdk plugin folder (no config.yaml)")
            throw ExitCode(RunExitCode.invalidInput)
        }
        var run: RayPluginRun
        do {
            let uri = try await client.uploadWorkingDir(directory)
            run = RayPluginRun(plugin: .workingDir(uri: uri), actions: actions,
                               params: given.objectValue?.isEmpty == false ? given : Optional<JSONValue>.none, submissionID: id)
        } catch {
            throw RayCLI.fail(error)
        }
        if let python { run.python = python }
        if debug { run.environment["SYNAPSE_DEBUG"] = "1" }
        do {
            _ = try await client.submit(run.submission)
        } catch {
            throw RayCLI.fail(error)
        }
        Console.out("Job: \(id)")
        let status: RunStatus?
        if !headless, isatty(STDOUT_FILENO) == 1 {
            status = try await RayCLI.liveDashboard(client: client, submissionID: id,
                                                    settings: try DashboardSettings(dashboard, debug: debug))
            if status == nil { return }  // left the dashboard; the job goes on
        } else {
            status = await RayCLI.followHeadless(client: client, submissionID: id, debug: debug, stopOnInterrupt: true)
        }
        throw ExitCode(RayCLI.exitCode(for: status))
    }
}

extension RayCLI {
    /// The exit code for a Ray job's final run status (as `run` uses them).
    static func exitCode(for status: RunStatus?) -> Int32 {
        switch status {
        case .completed?: return RunExitCode.completed
        case .cancelled?: return RunExitCode.cancelled
        default: return RunExitCode.failed
        }
    }

    /// Follows a Ray job to its end without a terminal: console lines on standard error, `Result: <json>` or
    /// `Status: <status>` on standard output; returns the final run status. With `stopOnInterrupt`, Ctrl-C
    /// or SIGTERM asks Ray to stop the job (a second signal leaves at once, the job going on).
    static func followHeadless(client: RayJobsClient, submissionID: String, debug: Bool,
                               stopOnInterrupt: Bool) async -> RunStatus? {
        let console = ConsoleLogger(fd: STDERR_FILENO, showDevEvents: debug)
        let final = FinalStatus()
        let signals: SignalCancellation? = stopOnInterrupt ? SignalCancellation(onSignal: { _ in
            Console.error("Asking Ray to stop job \(submissionID)… (again to leave at once; the job goes on)")
            Task { _ = try? await client.stop(submissionID) }
        }, beforeForcedExit: {}) : nil
        let mapper = LockedMapper(RayEventMapper(submissionID: submissionID))
        await RayLogFollower(client: client, submissionID: submissionID).run { update in
            for event in mapper.events(for: update) {
                console.record(event)
                if case .runStatus(let status) = event.payload { final.set(status) }
            }
        }
        signals?.stop()
        console.flush()
        guard let status = final.value else { return nil }
        if status.status == .completed {
            Console.out("Result: \(status.result.map(Console.json) ?? "null")")
        } else {
            Console.out("Status: \(status.status.rawValue)")
        }
        return status.status
    }
}

/// The last run status seen, from the follower's callback.
final class FinalStatus: @unchecked Sendable {
    private let lock = NSLock()
    private var update: RunStatusUpdate?
    func set(_ update: RunStatusUpdate) {
        lock.withLock {
            // The result stays known when a later status repeats the outcome without it.
            var update = update
            if update.result == nil, self.update?.status == update.status { update.result = self.update?.result }
            self.update = update
        }
    }
    var value: RunStatusUpdate? { lock.withLock { update } }
}

final class LockedMapper: @unchecked Sendable {
    private let lock = NSLock()
    private var mapper: RayEventMapper
    init(_ mapper: RayEventMapper) { self.mapper = mapper }
    func events(for update: RayFollowUpdate) -> [Event] { lock.withLock { mapper.events(for: update) } }
}
