/// The execution context injected into actions: the spec's `RuntimeContext`.
///
/// Every method turns one call into one ``Event`` handed to ``logger``. All methods are safe to call from
/// any thread or task and cost one uncontended lock plus the logger's own work.
///
/// ```swift
/// ctx.logMessage("Starting training...")
/// ctx.setProgress(epoch + 1, epochs, step: "training")
/// ctx.setMetrics(["epoch": .int(epoch + 1), "loss": .double(loss)], step: "training")
/// ctx.logDevEvent("Epoch completed", data: ["epoch": .int(epoch + 1)])
/// ```
///
/// ## After the run
/// Once the runner has written the run's final status the context is *finished*: further calls are
/// ignored (they return without recording anything) instead of throwing as the Python SDK does, because
/// an action's detached helper task logging one line too late is not worth crashing or failing anything.
/// ``isFinished`` tells whether that point has passed.
public final class RuntimeContext: Sendable {
    /// Where this run's events go (the spec's `BaseLogger`).
    public var logger: any PluginLogger { state.logger }
    /// Environment variables and configuration.
    public let env: PluginEnvironment
    /// The job this run belongs to.
    public let jobID: String?
    /// The backend client, when the embedding application provides one.
    public let client: (any BackendClient)?
    /// The agent client (Ray operations), when the embedding application provides one.
    public let agentClient: (any AgentClient)?
    /// The checkpoint the run starts from, if any.
    public let checkpoint: Checkpoint?

    let state: RunState
    /// Whether ``endLog()`` writes the run's `end` record. Pipeline actions share one run, so their
    /// contexts leave `end` to the runner, which writes it once after the last action.
    let ownsEnd: Bool

    /// Creates a context for a run that records into `logger` (use this to test an action directly).
    public convenience init(logger: any PluginLogger, env: PluginEnvironment = PluginEnvironment(),
                            jobID: String? = nil, client: (any BackendClient)? = nil,
                            agentClient: (any AgentClient)? = nil, checkpoint: Checkpoint? = nil) {
        self.init(state: RunState(logger: logger), env: env, jobID: jobID, client: client,
                  agentClient: agentClient, checkpoint: checkpoint, ownsEnd: true)
    }

    init(state: RunState, env: PluginEnvironment, jobID: String?, client: (any BackendClient)?,
         agentClient: (any AgentClient)?, checkpoint: Checkpoint?, ownsEnd: Bool) {
        self.state = state
        self.env = env
        self.jobID = jobID
        self.client = client
        self.agentClient = agentClient
        self.checkpoint = checkpoint
        self.ownsEnd = ownsEnd
    }

    /// `true` once the run's final status has been written; calls made after that record nothing.
    public var isFinished: Bool { state.isFinished }

    // MARK: The spec's methods

    /// Logs an event with associated data: `ctx.log("prediction", ["class": "cat"], file: "/data/img.jpg")`.
    ///
    /// - Parameters:
    ///   - event: the event's name (any name; see `docs/event-log.md`).
    ///   - data: the event's data.
    ///   - file: a file associated with the event.
    ///   - level: an optional severity (the Python SDK's `level=`).
    public func log(_ event: String, _ data: JSONValue, file: String? = nil, level: LogLevel? = nil) {
        state.emit(Event(level: level, file: file, payload: .custom(name: event, data: data)))
    }

    /// Updates the progress of a step: `ctx.setProgress(i + 1, total, step: "training")`.
    ///
    /// The record also carries the percentage, the seconds since the step's timer started and the
    /// estimated time remaining, computed as the Python SDK does. A step's timer starts on its first
    /// update and restarts whenever `current` is 0.
    public func setProgress(_ current: Int, _ total: Int, step: String? = nil) {
        state.emitProgress(current: current, total: total, step: step)
    }

    /// Declares the steps' weights in the run's overall progress (synapse-sdk's `set_step_proportions`):
    /// `ctx.setStepProportions(["prepare": 10, "training": 90])`. Call it before the first `setProgress`.
    ///
    /// Writes a `step_proportions` record. Without one, readers know no overall percent (how many steps
    /// follow is unknown) and show the steps done instead; with one, the overall figure is synapse-sdk's
    /// (docs/event-log.md, "Overall progress"). Weights need not sum to 100; those not above 0 are dropped.
    public func setStepProportions(_ proportions: [String: Double], orders: [String: Int]? = nil) {
        var weights = JSONObject()
        for (step, weight) in proportions.sorted(by: { $0.key < $1.key }) where weight.isFinite && weight > 0 {
            weights[step] = .double(weight)
        }
        var data: JSONObject = ["proportions": .object(weights)]
        if let orders {
            var o = JSONObject()
            for (step, index) in orders.sorted(by: { $0.key < $1.key }) { o[step] = .int(index) }
            data["orders"] = .object(o)
        }
        log("step_proportions", .object(data))
    }

    /// Records metrics, optionally for a step: `ctx.setMetrics(["mAP": 0.87], step: "validation")`.
    ///
    /// Readers merge successive records of one step into one cumulative dict, as the Python SDK does.
    /// Unlike the Python SDK (which raises without a step), a `nil` step is allowed: the spec makes it
    /// optional, and the metrics then belong to the default step.
    public func setMetrics(_ values: JSONObject, step: String? = nil) {
        state.emit(Event(step: step, payload: .metrics(values)))
    }

    /// Logs a user-facing message: `ctx.logMessage("GPU memory low", context: .warning)`.
    ///
    /// - Parameters:
    ///   - message: the text shown to the user.
    ///   - context: `.info` (default), `.warning`, `.success` or `.danger` (any ``LogLevel`` is accepted).
    public func logMessage(_ message: String, context: LogLevel = .info) {
        state.emit(Event(level: context, payload: .message(Message(content: message))))
    }

    /// Logs a development event, hidden from end users by default:
    /// `ctx.logDevEvent("Cache hit rate", data: ["hits": 95, "misses": 5])`.
    public func logDevEvent(_ message: String, data: JSONValue? = nil) {
        state.emit(Event(level: .debug, payload: .devEvent(DevEvent(message: message, data: data))))
    }

    /// Records a categorised metric, as the Python SDK's `log_metric(category, key, value, **metrics)`.
    public func logMetric(category: String, key: String, value: JSONValue, metrics: JSONObject = [:]) {
        state.emit(Event(payload: .metric(MetricRecord(category: category, key: key, value: value, metrics: metrics))))
    }

    /// Signals that the action's work is complete.
    ///
    /// The run's `end` record is written exactly once: the first call writes it, later calls do nothing,
    /// and the runner writes it itself when an action forgets (or throws before reaching it). In a
    /// pipeline the runner writes it after the last action.
    public func endLog() {
        if ownsEnd { state.emitEnd() }
    }

    // MARK: Runner-facing

    /// Records a prepared event (status changes written by the runner).
    func emit(_ event: Event) {
        state.emit(event)
    }

    /// A context for one pipeline action: same run, same logger, but `endLog()` is left to the runner.
    func pipelineChild() -> RuntimeContext {
        RuntimeContext(state: state, env: env, jobID: jobID, client: client, agentClient: agentClient,
                       checkpoint: checkpoint, ownsEnd: false)
    }
}

extension RuntimeContext {
    /// The context of the run the current task belongs to (set by the runner for the action's task tree).
    ///
    /// ``SynapseLogHandler`` uses it to route swift-log output into the run that produced it.
    @TaskLocal public static var current: RuntimeContext?
}
