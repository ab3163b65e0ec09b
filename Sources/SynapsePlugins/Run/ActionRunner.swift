/// Runs actions and pipelines, recording the run's life in its logger.
///
/// Every run records `run_status` `pending` (with the given params), then — when every action exists and
/// all params are valid — `running` (with the params as validated), then exactly one of `completed`
/// (with the result), `failed` (with `error` = `{type, message}` and a `danger` message) or `cancelled`.
/// An `end` record precedes the final status even when the action never called `endLog()`, and the
/// logger is flushed after it, so the final records are never lost. Pipelines additionally record each
/// action's `action_status` (`pending` for all, then `running` -> `completed`/`failed`; after a failure
/// or cancellation the remaining actions are `skipped`).
///
/// Cancellation is cooperative, as everywhere in Swift: the run ends `cancelled` when the action throws
/// after its task was cancelled (`Task.sleep`, `Task.checkCancellation()` and friends do). An action that
/// ignores cancellation and returns a result has completed, and is recorded so.
public struct ActionRunner: Sendable {
    /// Where actions are looked up by name.
    public var registry: ActionRegistry

    /// A runner for the actions of `registry` (the built-in examples by default).
    public init(registry: ActionRegistry = .builtIn) {
        self.registry = registry
    }

    /// Runs `request` in the current task; cancelling the task cancels the run.
    public func run(_ request: RunRequest, logger: any PluginLogger) async -> RunOutcome {
        await run(request, logger: logger, reason: CancellationReason())
    }

    func run(_ request: RunRequest, logger: any PluginLogger, reason: CancellationReason) async -> RunOutcome {
        let state = RunState(logger: logger)
        let root = RuntimeContext(state: state, env: request.environment, jobID: request.jobID, client: request.client,
                                  agentClient: request.agentClient, checkpoint: request.checkpoint,
                                  ownsEnd: !request.isPipeline)
        let run = RunRecorder(request: request, context: root, reason: reason)
        run.status(.pending, params: request.givenParams)

        var prepared: [PreparedAction] = []
        for step in request.steps {
            guard let descriptor = registry.action(named: step.action) else {
                let known = registry.names.joined(separator: ", ")
                return run.fail(.unknownAction, RunError(
                    type: "UnknownActionError",
                    message: "no action named '\(step.action)' (registered: \(known.isEmpty ? "none" : known))"))
            }
            do {
                prepared.append(try descriptor.prepare(step.params))
            } catch {
                let prefix = request.isPipeline ? "invalid params for action '\(step.action)': " : ""
                return run.fail(.invalidParams, RunError(type: "ParamsValidationError", message: prefix + error.description))
            }
        }

        let validated: JSONValue = request.isPipeline
            ? .array(prepared.map { ["action": .string($0.name), "params": $0.params] })
            : prepared[0].params
        run.status(.running, params: validated)
        for action in prepared where !action.unknownFields.isEmpty {
            root.logMessage("Unknown params ignored by '\(action.name)': \(action.unknownFields.joined(separator: ", "))",
                            context: .warning)
        }

        if !request.isPipeline {
            do {
                let result = try await RuntimeContext.$current.withValue(root) { try await prepared[0].execute(root) }
                return run.complete(result)
            } catch {
                return run.fail(fromThrown: error, action: prepared[0].name)
            }
        }
        return await runPipeline(prepared, run: run)
    }

    private func runPipeline(_ actions: [PreparedAction], run: RunRecorder) async -> RunOutcome {
        let total = actions.count
        for (index, action) in actions.enumerated() {
            run.actionStatus(action.name, index, total, .pending)
        }
        var results: [JSONValue] = []
        for (index, action) in actions.enumerated() {
            if Task.isCancelled {
                run.skip(actions, from: index)
                return run.fail(.cancelled, run.reason.error)
            }
            run.actionStatus(action.name, index, total, .running)
            let child = run.context.pipelineChild()
            do {
                let result = try await RuntimeContext.$current.withValue(child) { try await action.execute(child) }
                results.append(result)
                run.actionStatus(action.name, index, total, .completed)
            } catch {
                let cancelled = RunRecorder.isCancellation(error)
                let runError = cancelled ? run.reason.error : RunError(error)
                run.actionStatus(action.name, index, total, .failed, error: runError)
                run.skip(actions, from: index + 1)
                return run.fail(fromThrown: error, action: action.name)
            }
        }
        return run.complete(.array(results))
    }

    /// Starts `request` in a new task and returns at once.
    public func start(_ request: RunRequest, logger: any PluginLogger) -> RunHandle {
        let reason = CancellationReason()
        let task = Task { await self.run(request, logger: logger, reason: reason) }
        return RunHandle(jobID: request.jobID, task: task, reason: reason)
    }
}

/// Writes one run's status records; keeps the runner's control flow readable.
struct RunRecorder {
    let request: RunRequest
    let context: RuntimeContext
    let reason: CancellationReason

    func statusEvent(_ status: RunStatus, params: JSONValue? = nil, result: JSONValue? = nil, error: RunError? = nil)
        -> Event {
        Event(payload: .runStatus(RunStatusUpdate(status: status, action: request.actionLabel, jobID: request.jobID,
                                                  params: params, result: result, error: error)))
    }

    func status(_ status: RunStatus, params: JSONValue) {
        context.emit(statusEvent(status, params: params))
    }

    func actionStatus(_ name: String, _ index: Int, _ total: Int, _ status: ActionStatus, error: RunError? = nil) {
        context.emit(Event(payload: .actionStatus(ActionStatusUpdate(action: name, index: index, total: total,
                                                                     status: status, error: error))))
    }

    func skip(_ actions: [PreparedAction], from start: Int) {
        guard start < actions.count else { return }
        for index in start..<actions.count {
            actionStatus(actions[index].name, index, actions.count, .skipped)
        }
    }

    func complete(_ result: JSONValue) -> RunOutcome {
        context.state.finish(with: statusEvent(.completed, result: result))
        return RunOutcome(jobID: request.jobID, status: .completed, result: result)
    }

    func fail(_ failure: RunOutcome.Failure, _ error: RunError) -> RunOutcome {
        let final: RunStatus = failure == .cancelled ? .cancelled : .failed
        if final == .cancelled {
            context.logMessage(reason.reason.map { "Run \($0)" } ?? "Run cancelled", context: .warning)
        } else {
            context.logMessage(error.description, context: .danger)
        }
        context.state.finish(with: statusEvent(final, error: error))
        return RunOutcome(jobID: request.jobID, status: final, error: error, failure: failure)
    }

    func fail(fromThrown error: any Error, action: String) -> RunOutcome {
        if Self.isCancellation(error) {
            return fail(.cancelled, reason.error)
        }
        let runError = RunError(error)
        context.logMessage("Action '\(action)' failed: \(runError.description)", context: .danger)
        context.state.finish(with: statusEvent(.failed, error: runError))
        return RunOutcome(jobID: request.jobID, status: .failed, error: runError, failure: .actionError)
    }

    /// A `CancellationError`, or any error thrown while the task was being cancelled (a cancelled
    /// `URLSession` call, say), means the run was cancelled rather than failed.
    static func isCancellation(_ error: any Error) -> Bool {
        error is CancellationError || Task.isCancelled
    }
}
