import ArgumentParser
import Foundation
import SynapsePlugins

/// `synapse-tui run --plugin DIR <action>` (a Python synapse-sdk plugin, through the bridge runner) and
/// `synapse-tui run -- CMD ARGS...` (any command; marked lines and synapse-sdk console lines understood).
///
/// The child runs in its own process group; its records (on a descriptor of their own, see
/// ``ChildProcessRun``) are shown like an in-process run's and its plain stdout/stderr lines are kept in the
/// job's log as `output` records. A child that ends without a final status is recorded as failed
/// (`run --plugin`), or by its exit status (`run -- CMD`: 0 completed); a non-zero exit is never completed.
/// A cancel (`c`, `q`, Ctrl-C, SIGTERM) stops the child's whole group, with SIGKILL after the grace period
/// (counted down on the screen); a second Ctrl-C kills it at once.
extension RunCommand {
    /// What follows `--` on the command line (`run -- CMD ARGS...`).
    var command: [String] {
        let raw = CommandSetup.arguments
        guard let run = raw.firstIndex(of: "run"), let dashes = raw[run...].firstIndex(of: "--") else { return [] }
        let tail = Array(raw[(dashes + 1)...])
        // argument parsing put these at the end of `actions`; only trust them if it did
        return actions.count >= tail.count && Array(actions.suffix(tail.count)) == tail ? tail : []
    }

    /// The actions named before `--` (all of them without one).
    var actionNames: [String] { Array(actions.dropLast(command.count)) }

    var isChildRun: Bool { plugin != nil || !command.isEmpty }

    func validateChildRun() throws {
        if plugin != nil && !command.isEmpty { throw ValidationError("Give --plugin DIR <action> or -- CMD ARGS..., not both.") }
        if plugin != nil && actionNames.isEmpty { throw ValidationError("Name the plugin's action to run (or several, run as a pipeline).") }
        if !command.isEmpty && !actionNames.isEmpty { throw ValidationError("Actions are not taken with -- CMD ARGS...") }
        if python != nil && plugin == nil { throw ValidationError("--python goes with --plugin.") }
        if params != nil && paramsFile != nil { throw ValidationError("Give --params or --params-file, not both.") }
        if !command.isEmpty && (params != nil || paramsFile != nil) { throw ValidationError("--params goes with an action, not with -- CMD.") }
        if !command.isEmpty && checkpoint != nil { throw ValidationError("--checkpoint goes with --plugin or an action, not with -- CMD.") }
        if !command.isEmpty && envFile != nil { throw ValidationError("--env-file goes with --plugin or an action, not with -- CMD.") }
    }

    /// The interpreter for `--plugin`: `--python`, `$SYNAPSE_TUI_PYTHON`, the active virtualenv, `python3` on PATH.
    static func pythonInterpreter(option: String?, environment: [String: String]) -> String {
        if let option { return option }
        if let path = environment["SYNAPSE_TUI_PYTHON"], !path.isEmpty { return path }
        if let venv = environment["VIRTUAL_ENV"], !venv.isEmpty { return venv + "/bin/python" }
        for name in ["python3.12", "python3"] where ChildProcessRun.resolve(executable: name, environment: environment) != nil {
            return name
        }
        return "python3"
    }

    func runChild() async throws {
        // Bad input is said before any job exists.
        var pluginEnvironment: PluginEnvironment?
        if let envFile {
            do { pluginEnvironment = try PluginEnvironment.fromFile(envFile) } catch {
                Console.error("\(error)")
                throw ExitCode(RunExitCode.invalidInput)
            }
        }
        var checkpointJSON: String?
        if let checkpoint {
            do { checkpointJSON = try Checkpoint(parsing: checkpoint).json.jsonText } catch {
                Console.error("\(error)")
                throw ExitCode(RunExitCode.invalidInput)
            }
        }
        // If synapse-tui itself dies of a signal, the child's group goes first (not left running as orphans).
        ChildGroups.installFatalSignalHandlers()
        defer { ChildGroups.uninstallFatalSignalHandlers() }
        let store = JobStore.fromEnvironment()
        let id = jobID ?? JobID.generate()
        let logPath: String
        do {
            try JobID.validate(id)
            logPath = try store.create(id).path
        } catch {
            Console.error("cannot create job: \(error)")
            throw ExitCode(RunExitCode.jobNotCreated)
        }
        // This process writes the log (from the child's lines): it is the one that proves it is alive.
        let heartbeat = JobHeartbeat(directory: URL(fileURLWithPath: logPath).deletingLastPathComponent())
        defer { heartbeat.stop() }

        var environment = ProcessInfo.processInfo.environment
        environment["SYNAPSE_HOME"] = store.home.path
        // Records come on the record descriptor ChildProcessRun hands over, never as marked stdout lines.
        environment[MarkedLine.tokenEnvironmentKey] = nil
        // The job id the child's own records (a bridged child, synapse-sdk's entrypoint) must carry.
        environment["SYNAPSE_JOB_ID"] = id
        if debug { environment["SYNAPSE_DEBUG"] = "1" }
        environment["PYTHONUNBUFFERED"] = "1"    // a plugin's print() reaches us when it happens
        environment["SYNAPSE_TUI_SUPERVISED"] = "1"  // this process beats for the job, not the bridge
        let console = ConsoleLogger(fd: STDERR_FILENO, showDevEvents: debug)
        // On a terminal the dashboard shows the run (events through a queue), else console lines on stderr.
        let presentation = RunPresentation.choose(headless: headless, stdoutIsTerminal: isatty(STDOUT_FILENO) == 1)
        let settings = presentation == .dashboard ? try DashboardSettings(dashboard, debug: debug) : nil
        let queue = presentation == .dashboard ? try EventQueue() : nil
        // Headless, the child's events are console lines; on the dashboard they go through its source.
        let consoleSink: @Sendable ([Event]) -> Void = { events in for event in events { console.record(event) } }
        let label = plugin != nil ? actionNames.joined(separator: ",") : command.joined(separator: " ")
        let makeChild = { (sink: @escaping @Sendable ([Event]) -> Void) -> ChildProcessRun in
            self.childProcess(environment: environment, logPath: logPath, id: id, label: label, checkpointJSON: checkpointJSON,
                              passEnvFile: pluginEnvironment != nil, sink: sink)
        }
        let source = queue == nil ? nil : ChildProcessSource(label: id, cancelReason: RunDashboard.userCancel, makeChild: makeChild)
        let child = source?.child ?? makeChild(consoleSink)
        // The system sampler's records go straight to the screen or the console.
        let systemSink: @Sendable ([Event]) -> Void = { events in
            if let queue { queue.push(contentsOf: events) } else { consoleSink(events) }
        }
        if presentation == .headless {
            // A reader that went away (EPIPE) cancels the child below, as Ctrl-C would, so its final status is
            // recorded; SIGPIPE would kill this supervisor at its first echoed line instead (the child's output
            // is echoed as soon as it starts). The child gets the default action back (posix_spawn SETSIGDEF).
            signal(SIGPIPE, SIG_IGN)
            Console.out("Job: \(id)")
        }
        if plugin == nil {
            child.record([Event(payload: .runStatus(RunStatusUpdate(status: .running, action: label, jobID: id)))])
        }
        let failure: RunError?
        if let source, let queue {
            source.start(into: queue)
            failure = source.startFailure
        } else {
            failure = child.startRecordingFailure()
        }
        if let failure {
            console.flush()
            if presentation == .dashboard { Console.out("Job: \(id)") }
            Console.error(failure.message.isEmpty ? failure.type : failure.message)
            Console.out("Status: failed")
            throw ExitCode(RunExitCode.failed)
        }
        let sampler = Self.startSystemSampler(child, logPath: logPath, sink: systemSink)
        defer { sampler?.stop() }
        let outcome: ChildProcessRun.Outcome
        if let settings, let queue, let source {
            defer { source.stop() }
            var screen = DashboardScreen(settings: settings, isInProcess: true, sourceLabel: id)
            screen.ui.logPath = logPath
            screen.timeTravel(log: logPath)
            screen.stopStatus = { Self.countdown(child.stopState) }
            // Waited for while the dashboard runs, so the status written when the child ends (killed after a
            // cancel, exited without one) reaches the screen at once, not after q.
            let ended = Task { await Self.waitFor(child) }
            let exit = try await LiveDashboard.run(screen, queue: queue, maxColors: settings.maxColors,
                                                   onCancel: source.cancelHook(reportingTo: queue) ?? {})
            // Whatever ended the dashboard, a child still going is cancelled (q was confirmed, or a signal
            // came); a signal while we wait for it to stop kills it at once.
            let signals = SignalCancellation(signals: [SIGINT, SIGTERM, SIGHUP], exitOnSignal: 3,
                                             onSignal: { child.kill(reason: SignalCancellation.reason(for: $0)) },
                                             beforeForcedExit: { child.kill() })
            if !child.hasFinalStatus {
                child.cancel(reason: RunDashboard.reason(for: exit))
                if let stop = child.stopState {
                    Console.error("Cancelling job \(id)… (\(Self.countdown(stop) ?? "stopping"); Ctrl-C kills it now)")
                }
            }
            Console.out("Job: \(id)")
            outcome = await ended.value
            signals.stop()
        } else {
            let signals = SignalCancellation(signals: [SIGINT, SIGTERM, SIGHUP], exitOnSignal: 3,
                                             onSignal: {
                                                 child.cancel(reason: SignalCancellation.reason(for: $0))
                                                 Console.error("cancelling job \(id) (\(Self.countdown(child.stopState) ?? "stopping"); "
                                                               + "a second Ctrl-C kills it now)")
                                             }, beforeForcedExit: { child.kill() })
            let brokenOutput = BrokenOutputWatch { child.cancel(reason: BrokenOutputWatch.reason(for: $0)) }
            outcome = await Self.waitFor(child)
            brokenOutput.stop()
            signals.stop()
            console.flush()
        }
        if outcome.killed, let error = outcome.error, outcome.synthesized {
            Console.error(error.message)
        }
        if plugin != nil && outcome.synthesized && outcome.status == .failed {
            Console.error("the plugin runner ended without a final status (is the bridge installed for this Python? "
                          + "pip install ./integrations/python, or pass --python)")
        }
        switch outcome.status {
        case .completed:
            let result = Self.lastResult(in: logPath)
            Console.out("Result: \(result.map(Console.json) ?? "null")")
        default:
            Console.out("Status: \(outcome.status.rawValue)")
        }
        // The bridge exits 2 when nothing ran (unknown action, bad params): keep that distinction.
        if plugin != nil && outcome.status == .failed && !outcome.synthesized && outcome.exitStatus == 2 {
            throw ExitCode(RunExitCode.invalidInput)
        }
        throw ExitCode(outcome.commandExitCode)
    }

    /// The child this command runs: the bridge runner for `--plugin`, else the command itself.
    private func childProcess(environment: [String: String], logPath: String, id: String, label: String,
                              checkpointJSON: String?, passEnvFile: Bool,
                              sink: @escaping @Sendable ([Event]) -> Void) -> ChildProcessRun {
        guard let plugin else {
            let child = ChildProcessRun(
                executable: command[0], arguments: Array(command.dropFirst()), environment: environment,
                mode: .console, eventLogPath: logPath, action: label, jobID: id, sink: sink)
            child.succeedsOnExitZero = true
            return child
        }
        let folder = URL(fileURLWithPath: plugin).standardizedFileURL.path
        let names = actionNames
        var arguments = ["-m", "synapse_tui_bridge", "run", "--plugin", folder, names.joined(separator: ","), "--job-id", id]
        if names.count > 1 { arguments += ["--pipeline", names.joined(separator: ",")] }
        if let params { arguments += ["--params", params] }
        if let paramsFile { arguments += ["--params-file", paramsFile] }
        if let checkpointJSON { arguments += ["--checkpoint", checkpointJSON] }
        // Read by the caller first so a bad file fails before the child starts; the bridge reads it again
        // with the same rules, keeping the keys as written (synapse-sdk's ctx.env is case-sensitive).
        if let envFile, passEnvFile {
            arguments += ["--env-file", URL(fileURLWithPath: envFile).standardizedFileURL.path]
        }
        // The plugin's stdlib logging becomes messages with their levels.
        arguments += ["--capture-logging"]
        return ChildProcessRun(
            executable: Self.pythonInterpreter(option: python, environment: environment), arguments: arguments,
            environment: environment, mode: .bridge, eventLogPath: logPath, action: label, jobID: id, sink: sink)
    }

    /// "SIGKILL in 4 s" while a cancel waits for the child to stop, "killing" once it is sent.
    static func countdown(_ stop: ChildProcessRun.Stopping?) -> String? {
        guard let stop else { return nil }
        if stop.killed { return "stopping: killed (SIGKILL)" }
        let left = max(0, Int((stop.killAt - Event.now()).rounded(.up)))
        return "stopping: SIGKILL in \(left) s"
    }

    /// Samples the child's process tree into the job's log (its own appending writer, writing each record at
    /// once: the bridge writes the log too, and each write holds whole lines) and to the screen or console,
    /// while the child runs: the final status stays the log's last record.
    static func startSystemSampler(_ child: ChildProcessRun, logPath: String,
                                   sink: @escaping @Sendable ([Event]) -> Void) -> SystemSampler? {
        guard let interval = SystemSampler.interval(),
              let log = try? JSONLinesLogger(path: logPath, flushInterval: 0) else { return nil }
        let sampler = SystemSampler(root: child.processIdentifier, interval: interval) { sample in
            guard sample.processes > 0, !child.hasFinalStatus else { return }
            let event = sample.event()
            log.record(event)
            sink([event])
        }
        sampler.start()
        return sampler
    }

    /// Waits for the child on a thread of its own (its reader threads keep delivering meanwhile).
    static func waitFor(_ child: ChildProcessRun) async -> ChildProcessRun.Outcome {
        await withCheckedContinuation { (continuation: CheckedContinuation<ChildProcessRun.Outcome, Never>) in
            let waiter = Thread { continuation.resume(returning: child.wait()) }
            waiter.name = "synapse.child.wait"
            waiter.start()
        }
    }

    /// The result of the last `completed` run status in the job's log.
    static func lastResult(in path: String) -> JSONValue? {
        // The final status is at the end: read only the log's tail (a child's 100 MB of output once made
        // this read the whole log into memory).
        var result: JSONValue?
        for event in JobLogSampler.lastEvents(ofLogAt: path) {
            if case .runStatus(let u) = event.payload, u.status == .completed { result = u.result }
        }
        return result
    }
}
