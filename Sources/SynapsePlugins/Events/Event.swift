import Foundation

/// One record of a run: the single seam between everything that produces (actions, Python plugins,
/// Ray jobs) and everything that consumes (the event log, the console, the dashboard).
///
/// On disk an event is one line of the job's `events.jsonl` (see `docs/event-log.md`).
public struct Event: Sendable, Hashable {
    /// Zero bytes. It makes the compiler synthesize a (private) memberwise initializer with a signature of
    /// its own, which the public initializer below delegates to: an event built by the synthesized
    /// initializer is moved into every `ctx` call's logger, one built by a hand-written one was copied
    /// (the cost: docs/benchmarks.md, "The figures behind the code").
    private var memberwise = MemberwiseTag()
    /// Epoch seconds, fractional.
    public var timestamp: Double
    /// The step the event belongs to (`progress`, `metrics`, and anything logged within a step).
    public var step: String?
    /// Severity, for messages and dev events.
    public var level: LogLevel?
    /// A file associated with the event (`log(event, data, file)`).
    public var file: String?
    /// What happened.
    public var payload: EventPayload

    /// The record's `event` name (`progress`, `message`, ..., or a custom name).
    public var name: String { payload.name }

    /// Current wall-clock time as epoch seconds, to the microsecond (what Python's `time.time()` gives).
    ///
    /// The value is the double nearest to the decimal `seconds.micros` (one exact integer, one correctly
    /// rounded division), so the writer prints it as those digits without a general float formatting.
    @inline(__always)
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000) / 1e6
    }
}

extension Event {
    /// An event with the given payload; the time defaults to now.
    public init(timestamp: Double = Event.now(), step: String? = nil, level: LogLevel? = nil, file: String? = nil,
                payload: EventPayload) {
        self.init(memberwise: MemberwiseTag(), timestamp: timestamp, step: step, level: level, file: file, payload: payload)
    }
}

/// See ``Event``'s first stored property.
struct MemberwiseTag: Sendable, Hashable {}

/// What an ``Event`` says. Known kinds are typed; anything else is ``custom(name:data:)``.
/// The rare, large payloads are `indirect` so an `Event` stays small (about 100 bytes): events are moved
/// through queues and batches by the million.
public enum EventPayload: Sendable, Hashable {
    indirect case runStatus(RunStatusUpdate)
    indirect case actionStatus(ActionStatusUpdate)
    case progress(ProgressData)
    /// A metric dict for the event's step; readers merge successive records of one step.
    case metrics(JSONObject)
    case message(Message)
    case devEvent(DevEvent)
    /// The Python SDK's `log_metric(category, key, value, **metrics)`.
    indirect case metric(MetricRecord)
    /// A plain line of a child process's output.
    case output(OutputLine)
    /// `end_log()`: the action said it is done.
    case end
    /// `log(event, data, file)` with any other name, and any event kind this version does not know.
    case custom(name: String, data: JSONValue)

    /// The record's `event` name.
    public var name: String {
        if case .custom(let name, _) = self { return name }
        return typedName!.description
    }

    /// The name of a typed payload as a literal (`nil` for ``custom(name:data:)``): the writer copies it
    /// into a record without looking at its bytes.
    var typedName: StaticString? {
        switch self {
        case .runStatus: return "run_status"
        case .actionStatus: return "action_status"
        case .progress: return "progress"
        case .metrics: return "metrics"
        case .message: return "message"
        case .devEvent: return "dev_event"
        case .metric: return "metric"
        case .output: return "output"
        case .end: return "end"
        case .custom: return nil
        }
    }

    /// Names reserved for typed payloads; `log()` with one of these names is still written as given.
    public static let reservedNames: Set<String> = [
        "run_status", "action_status", "progress", "metrics", "message", "dev_event", "metric", "output", "end",
    ]
}

/// An error as recorded in the log: the error's type name and its message.
public struct RunError: Sendable, Hashable, Error, CustomStringConvertible {
    /// The error's type name (`ValueError`, `TrainingDiverged`).
    public var type: String
    /// The error's message; may be empty.
    public var message: String

    /// An error of type `type` with `message`.
    public init(type: String, message: String) {
        self.type = type
        self.message = message
    }

    /// Describes any Swift error as a `RunError` (keeping one that already is).
    public init(_ error: any Error) {
        if let runError = error as? RunError { self = runError; return }
        self.type = String(describing: Swift.type(of: error))
        if let localized = error as? LocalizedError, let text = localized.errorDescription {
            self.message = text
        } else {
            self.message = String(describing: error)
        }
    }

    /// A readable form, as shown to the user.
    public var description: String { message.isEmpty ? type : "\(type): \(message)" }
}

/// A change of the run's status.
public struct RunStatusUpdate: Sendable, Hashable {
    /// The run's new status.
    public var status: RunStatus
    /// The action (or pipeline) run, when known.
    public var action: String?
    /// The job's id, when the run is a job.
    public var jobID: String?
    /// The params the run was given (recorded with `running`).
    public var params: JSONValue?
    /// The action's result (recorded with `completed`).
    public var result: JSONValue?
    /// Why it failed (with `failed`).
    public var error: RunError?

    /// A status change; the other members are recorded only when given.
    public init(status: RunStatus, action: String? = nil, jobID: String? = nil, params: JSONValue? = nil,
                result: JSONValue? = nil, error: RunError? = nil) {
        self.status = status
        self.action = action
        self.jobID = jobID
        self.params = params
        self.result = result
        self.error = error
    }
}

/// A change of one pipeline action's status.
public struct ActionStatusUpdate: Sendable, Hashable {
    /// The action's name.
    public var action: String
    /// 0-based position in the pipeline.
    public var index: Int
    /// Number of actions in the pipeline, when known.
    public var total: Int?
    /// The action's new status.
    public var status: ActionStatus
    /// Why it failed (with `failed`).
    public var error: RunError?

    /// A status change of the action at `index` of a pipeline of `total`.
    public init(action: String, index: Int, total: Int? = nil, status: ActionStatus, error: RunError? = nil) {
        self.action = action
        self.index = index
        self.total = total
        self.status = status
        self.error = error
    }
}

/// A user-facing message; its context is the event's ``Event/level``.
public struct Message: Sendable, Hashable {
    /// The message's text.
    public var content: String
    /// An optional machine-readable key (the Python SDK's `PLUGIN_RUN_COMPLETE`, for instance).
    public var key: String?
    /// Set when the record's text was too long to hold while reading its line: ``content`` is then what
    /// ``EventCodec/cappedText(_:)`` makes of it, and this is the whole text's UTF-8 size (``ShortenedLine``).
    package var wholeBytes: Int?

    /// A message with `content` and an optional machine-readable `key`.
    public init(content: String, key: String? = nil) {
        self.content = content
        self.key = key
    }
}

/// A development event: shown to plugin developers, hidden from end users by default.
public struct DevEvent: Sendable, Hashable {
    /// What happened, in a line.
    public var message: String
    /// Any JSON detail that goes with it.
    public var data: JSONValue? {
        get {
            switch storage {
            case .value(let value): return value
            case .text(let text): return Self.parse(text)
            }
        }
        set { storage = .value(newValue) }
    }

    /// `data` as given, or as the JSON text a log held: most dev events are never looked at, so reading a
    /// log does not build their trees (a bounded pane keeps only the last ones anyway).
    private enum Storage: Sendable {
        case value(JSONValue?)
        case text(String)
    }
    private var storage: Storage

    /// A dev event with `message` and optional `data`.
    public init(message: String, data: JSONValue? = nil) {
        self.message = message
        self.storage = .value(data)
    }

    /// A dev event whose `data` is the JSON value `dataText`, already checked to be one (`null`: none).
    package init(message: String, dataText: String) {
        self.message = message
        self.storage = .text(dataText)
    }

    /// `data`'s JSON text when it is kept as text (read from a log), else nil.
    package var dataText: String? {
        if case .text(let text) = storage { return text }
        return nil
    }

    private static func parse(_ text: String) -> JSONValue? {
        guard let value = try? JSONParser.parse(text), !value.isNull else { return nil }
        return value
    }

    public static func == (a: DevEvent, b: DevEvent) -> Bool {
        a.message == b.message && a.data == b.data
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(message)
        hasher.combine(data)
    }
}

/// The Python SDK's categorised metric (`log_metric`).
public struct MetricRecord: Sendable, Hashable {
    /// The metric's category (`log_metric`'s first argument).
    public var category: String
    /// The metric's key within its category, when given.
    public var key: String?
    /// The metric's value.
    public var value: JSONValue
    /// Further named values recorded with it.
    public var metrics: JSONObject

    /// A categorised metric.
    public init(category: String, key: String? = nil, value: JSONValue = .null, metrics: JSONObject = [:]) {
        self.category = category
        self.key = key
        self.value = value
        self.metrics = metrics
    }
}

/// A plain line of output from a child process or a log stream.
public struct OutputLine: Sendable, Hashable {
    /// The stream a line was written to.
    public enum Stream: String, Sendable, Hashable {
        case stdout, stderr
    }

    /// The stream the line came from.
    public var stream: Stream
    /// The line, without its newline.
    public var text: String

    /// A line of `text` on `stream`.
    public init(stream: Stream = .stdout, text: String) {
        self.stream = stream
        self.text = text
    }
}
