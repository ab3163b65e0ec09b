import ArgumentParser
import Foundation
import SynapsePlugins

/// `synapse-tui run <action>...`: runs actions in-process and records the run as a job.
struct RunCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "run",
            abstract: "Run an action (several run in order, as a pipeline) and record it as a job.",
            discussion: """
                The run's events go to $SYNAPSE_HOME/jobs/<job_id>/events.jsonl (default ~/.synapse). \
                Console lines go to standard error; standard output gets "Job: <id>" first and \
                "Result: <json>" at the end, so scripts can read both.

                Params: --params '{"epochs": 5}' for one action. For a pipeline, key them by action: \
                --params '{"train": {"epochs": 5}, "evaluate": {"split": "validation"}}'.

                Actions: \(CommandSetup.registry.actions.map { "\($0.name) (\($0.summary))" }.joined(separator: "; "))

                Exit codes: 0 completed, 1 failed, 2 invalid params / unknown action / unreadable input, \
                3 job not created, 130 cancelled (Ctrl-C, SIGTERM, SIGHUP, or --headless output whose reader went away; \
                a second signal exits at once).
                """)
    }

    @Argument(help: "The action to run. Give several to run them in order as a pipeline.")
    var actions: [String] = []

    @Option(help: ArgumentHelp("Params as a JSON object.", valueName: "json"))
    var params: String?

    @Option(name: .customLong("params-file"), help: ArgumentHelp("Read params from a JSON file.", valueName: "path"))
    var paramsFile: String?

    @Option(help: ArgumentHelp("The checkpoint to start from: category:path, or a JSON object with category, path, id, name.",
                               valueName: "checkpoint"))
    var checkpoint: String?

    @Option(name: .customLong("env-file"),
            help: ArgumentHelp("Extra environment: key = value lines or a JSON object.", valueName: "path"))
    var envFile: String?

    @Option(name: .customLong("job-id"), help: ArgumentHelp("Use this job id instead of a new UUID.", valueName: "id"))
    var jobID: String?

    @Flag(help: "Print console lines instead of the dashboard, even on a terminal.")
    var headless = false

    @OptionGroup(title: "Dashboard") var dashboard: DashboardOptions

    @Flag(help: "Debug mode: sets SYNAPSE_DEBUG for the action and prints dev events.")
    var debug = false

    @Option(help: ArgumentHelp("Run a Python synapse-sdk plugin folder (its config.yaml) through the bridge.", valueName: "dir"))
    var plugin: String?

    @Option(help: ArgumentHelp("The Python for --plugin (default $SYNAPSE_TUI_PYTHON, $VIRTUAL_ENV, python3; with --ray, the cluster's: python).", valueName: "path"))
    var python: String?

    @OptionGroup var ray: RayOptions

    func validate() throws {
        if ray.isSet { return try validateRayRun() }
        if isChildRun { return try validateChildRun() }
        if actions.isEmpty { throw ValidationError("Name an action to run (one of: \(CommandSetup.registry.names.joined(separator: ", "))).") }
        if params != nil && paramsFile != nil { throw ValidationError("Give --params or --params-file, not both.") }
    }

    func run() async throws {
        if ray.isSet { return try await runOnRay() }
        if isChildRun { return try await runChild() }
        let registry = CommandSetup.registry
        let request: RunRequest
        do {
            request = try makeRequest(registry: registry)
        } catch let problem as InputProblem {
            Console.error(problem.message)
            throw ExitCode(RunExitCode.invalidInput)
        }

        let outcome: RunOutcome
        switch RunPresentation.choose(headless: headless, stdoutIsTerminal: isatty(STDOUT_FILENO) == 1) {
        case .headless:
            outcome = try await runHeadless(request, registry: registry)
        case .dashboard:
            outcome = try await RunDashboard.run(request, registry: registry, look: dashboard, debug: debug)
        }
        if Console.writeFailed { throw ExitCode(RunExitCode.outputLost) }
        throw ExitCode(RunExitCode.code(for: outcome))
    }

    /// Runs with console lines on standard error; prints the job id and the result on standard output.
    func runHeadless(_ request: RunRequest, registry: ActionRegistry) async throws -> RunOutcome {
        let store = JobStore.fromEnvironment()
        // A closed terminal (SIGHUP) or a reader that went away (EPIPE) cancels the run like Ctrl-C, so its
        // final status is recorded; with SIGPIPE ignored a write to the broken pipe just fails. Ignored before
        // the run starts: its first console line may come before the watchers below are set up.
        signal(SIGPIPE, SIG_IGN)
        let console = ConsoleLogger(fd: STDERR_FILENO, showDevEvents: debug)
        let handle: RunHandle
        do {
            handle = try ActionRunner(registry: registry).startJob(request, in: store, alsoLoggingTo: [console],
                                                                 systemInterval: SystemSampler.interval())
        } catch {
            Console.error("cannot create job: \(error)")
            throw ExitCode(RunExitCode.jobNotCreated)
        }
        Console.out("Job: \(handle.jobID)")
        let signals = SignalCancellation(signals: [SIGINT, SIGTERM, SIGHUP],
                                         onSignal: { handle.cancel(reason: SignalCancellation.reason(for: $0)) },
                                         beforeForcedExit: {})
        let brokenOutput = BrokenOutputWatch { handle.cancel(reason: BrokenOutputWatch.reason(for: $0)) }
        let outcome = await handle.outcome
        brokenOutput.stop()
        signals.stop()
        if console.writeFailed { Console.noteWriteFailure() }
        switch outcome.status {
        case .completed:
            Console.out("Result: \(outcome.result.map(Console.json) ?? "null")")
        default:
            Console.out("Status: \(outcome.status.rawValue)")
        }
        try RunExitCode.checkLog(of: handle)
        return outcome
    }

    /// A problem with the command's input, reported with exit code 2 before any job exists.
    struct InputProblem: Error {
        var message: String
    }

    func makeRequest(registry: ActionRegistry) throws -> RunRequest {
        for action in actions where registry.action(named: action) == nil {
            throw InputProblem(message: "unknown action '\(action)'.\(Suggestion.hint(for: action, in: registry.names)) "
                               + "Registered: \(registry.names.joined(separator: ", "))")
        }
        let given = try readParams()
        var steps: [PipelineStep]
        if actions.count == 1 {
            steps = [PipelineStep(action: actions[0], params: given)]
        } else {
            guard let byAction = given.objectValue else {
                throw InputProblem(message: "pipeline params must be a JSON object keyed by action name")
            }
            for key in byAction.keys where !actions.contains(key) {
                throw InputProblem(message: "params given for '\(key)', which is not in the pipeline")
            }
            steps = actions.map { PipelineStep(action: $0, params: byAction[$0] ?? [:]) }
        }

        var environment = PluginEnvironment.fromProcess()
        if let envFile {
            if let why = unreadableFileReason(envFile) {
                throw InputProblem(message: "cannot read env file \(envFile): \(why)")
            }
            do { environment.merge(try PluginEnvironment.fromFile(envFile)) } catch {
                throw InputProblem(message: error.description)
            }
        }
        if debug { environment["debug"] = "1" }

        var parsedCheckpoint: Checkpoint?
        if let checkpoint {
            do { parsedCheckpoint = try Checkpoint(parsing: checkpoint) } catch {
                throw InputProblem(message: error.description)
            }
        }
        if let jobID {
            do { try JobID.validate(jobID) } catch { throw InputProblem(message: error.description) }
        }
        steps = steps.map { $0 }
        var request = RunRequest(steps: steps, jobID: jobID ?? JobID.generate(), checkpoint: parsedCheckpoint,
                                 environment: environment)
        request.isPipeline = actions.count > 1
        return request
    }

    func readParams() throws -> JSONValue {
        var text: String?
        if let params { text = params }
        if let paramsFile {
            if let why = unreadableFileReason(paramsFile) {
                throw InputProblem(message: "cannot read params file \(paramsFile): \(why)")
            }
            guard let data = FileManager.default.contents(atPath: paramsFile) else {
                throw InputProblem(message: "cannot read params file \(paramsFile)")
            }
            text = String(decoding: data, as: UTF8.self)
        }
        guard let text else { return [:] }
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch {
            throw InputProblem(message: "params are not valid JSON: \(error)")
        }
        guard value.objectValue != nil else { throw InputProblem(message: "params must be a JSON object") }
        return value
    }
}
