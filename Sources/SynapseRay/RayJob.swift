import Foundation
import SynapsePlugins

/// A Ray job's status as the Jobs API reports it (`JobStatus` in Ray).
package enum RayJobStatus: Sendable, Hashable, CustomStringConvertible {
    case pending, running, stopped, succeeded, failed
    /// A status this version does not know (kept as Ray spelled it).
    case other(String)

    package init(_ name: String) {
        switch name.uppercased() {
        case "PENDING": self = .pending
        case "RUNNING": self = .running
        case "STOPPED": self = .stopped
        case "SUCCEEDED": self = .succeeded
        case "FAILED": self = .failed
        default: self = .other(name)
        }
    }

    /// Ray's spelling.
    package var description: String {
        switch self {
        case .pending: return "PENDING"
        case .running: return "RUNNING"
        case .stopped: return "STOPPED"
        case .succeeded: return "SUCCEEDED"
        case .failed: return "FAILED"
        case .other(let name): return name
        }
    }

    /// The run status the dashboard shows: PENDING → pending, RUNNING → running, STOPPED → cancelled,
    /// SUCCEEDED → completed, FAILED → failed. An unknown status is shown as running (not final), so a newer
    /// Ray never makes the dashboard stop following too early.
    package var runStatus: RunStatus {
        switch self {
        case .pending: return .pending
        case .running: return .running
        case .stopped: return .cancelled
        case .succeeded: return .completed
        case .failed: return .failed
        case .other: return .running
        }
    }

    /// `true` once the job can no longer change (Ray's `JobStatus.is_terminal()`).
    package var isTerminal: Bool {
        switch self {
        case .stopped, .succeeded, .failed: return true
        case .pending, .running, .other: return false
        }
    }
}

/// What `GET /api/jobs/<id>` (and each element of `GET /api/jobs/`) says about a job.
package struct RayJobInfo: Sendable, Hashable {
    /// The submission id (the id users pass around; `nil` for drivers not started through the Jobs API).
    package var submissionID: String?
    /// Ray's internal job id (hex), once the driver started.
    package var jobID: String?
    /// `SUBMISSION` or `DRIVER`.
    package var type: String?
    package var status: RayJobStatus
    package var entrypoint: String?
    /// Ray's human-readable status message ("Job finished successfully.", the failure's last log lines, ...).
    package var message: String?
    /// Ray's error type on failure (`JOB_SUPERVISOR_ACTOR_START_FAILURE`, ...).
    package var errorType: String?
    /// Epoch seconds.
    package var startTime: Double?
    package var endTime: Double?
    package var metadata: [String: String]
    package var runtimeEnv: JSONValue?
    package var driverExitCode: Int?

    package init(submissionID: String?, jobID: String? = nil, type: String? = nil, status: RayJobStatus,
                entrypoint: String? = nil, message: String? = nil, errorType: String? = nil,
                startTime: Double? = nil, endTime: Double? = nil, metadata: [String: String] = [:],
                runtimeEnv: JSONValue? = nil, driverExitCode: Int? = nil) {
        self.submissionID = submissionID
        self.jobID = jobID
        self.type = type
        self.status = status
        self.entrypoint = entrypoint
        self.message = message
        self.errorType = errorType
        self.startTime = startTime
        self.endTime = endTime
        self.metadata = metadata
        self.runtimeEnv = runtimeEnv
        self.driverExitCode = driverExitCode
    }

    /// The id to show and to use in URLs: the submission id, else the job id.
    package var id: String { submissionID ?? jobID ?? "?" }

    /// The synapse action the job runs, when it was submitted by `synapse-tui run --ray`.
    package var action: String? { metadata[RayJobInfo.actionMetadataKey] }

    /// Metadata keys written by `synapse-tui run --ray`.
    package static let actionMetadataKey = "synapse_action"
    package static let pluginMetadataKey = "synapse_plugin"
    /// The job's marker secret (``MarkedLine``), also in its runtime env as `SYNAPSE_EVENT_TOKEN`.
    package static let eventTokenMetadataKey = "synapse_event_token"

    /// The secret the job's bridge marks its records with, when the submitter gave one: only lines carrying
    /// it are records (see docs/event-log.md).
    package var eventToken: String? {
        if let token = metadata[RayJobInfo.eventTokenMetadataKey], !token.isEmpty { return token }
        if case .string(let token)? = runtimeEnv?.objectValue?["env_vars"]?.objectValue?[MarkedLine.tokenEnvironmentKey],
           !token.isEmpty { return token }
        return nil
    }

    /// Builds the info from the JSON object Ray returns.
    package init(json: JSONValue) throws(RayError) {
        guard let object = json.objectValue else {
            throw RayError.badResponse("job info is not a JSON object")
        }
        guard let statusName = object["status"]?.stringValue else {
            throw RayError.badResponse("job info has no status")
        }
        func string(_ key: String) -> String? { object[key]?.stringValue }
        func millis(_ key: String) -> Double? { object[key]?.doubleValue.map { $0 / 1000 } }
        var metadata: [String: String] = [:]
        if let meta = object["metadata"]?.objectValue {
            for (key, value) in meta { metadata[key] = value.stringValue ?? value.jsonText }
        }
        var runtimeEnv = object["runtime_env"]
        if runtimeEnv?.isNull == true { runtimeEnv = Optional<JSONValue>.none }
        self.init(submissionID: string("submission_id"), jobID: string("job_id"), type: string("type"),
                  status: RayJobStatus(statusName), entrypoint: string("entrypoint"), message: string("message"),
                  errorType: string("error_type"), startTime: millis("start_time"), endTime: millis("end_time"),
                  metadata: metadata, runtimeEnv: runtimeEnv, driverExitCode: object["driver_exit_code"]?.intValue)
    }
}

/// Everything that can go wrong talking to Ray, each with a message fit for the dashboard.
package enum RayError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// No connection could be made (refused, DNS, timeout).
    case unreachable(address: String, reason: String)
    /// `404`: Ray does not know the job.
    case jobNotFound(id: String, address: String)
    /// `401`/`403`: token mode is on and the token is missing or wrong.
    case unauthorized(status: Int, message: String)
    /// Any other HTTP error; `retryAfter` is the server's `Retry-After`, in seconds, when it sent one.
    case http(status: Int, message: String, retryAfter: Double?)
    /// The answer was not what the Jobs API sends.
    case badResponse(String)
    /// The job disappeared while it was followed: the cluster was restarted (its jobs are gone).
    case clusterRestarted(id: String, address: String)
    /// A bad address or argument.
    case invalidArgument(String)

    package var description: String {
        switch self {
        case .unreachable(let address, let reason):
            return "cannot reach the Ray dashboard at \(address) (\(reason)); is the cluster running and is the address its dashboard address (default port 8265)?"
        case .jobNotFound(let id, let address):
            return "Ray at \(address) has no job \"\(id)\" (check the submission id with `synapse-tui jobs --ray \(address)`)"
        case .unauthorized(let status, let message):
            let hint = status == 401
                ? "this cluster uses token authentication: pass --ray-token or set RAY_AUTH_TOKEN"
                : "the Ray auth token was rejected: check --ray-token / RAY_AUTH_TOKEN"
            return message.isEmpty ? "\(hint) (HTTP \(status))" : "\(hint) (HTTP \(status): \(message))"
        case .http(let status, let message, let retryAfter):
            var text = "Ray answered HTTP \(status)"
            if !message.isEmpty { text += ": \(message)" }
            if let retryAfter { text += " (retry after \(RayError.formatSeconds(retryAfter)))" }
            return text
        case .badResponse(let reason):
            return "unexpected answer from Ray: \(reason)"
        case .clusterRestarted(let id, let address):
            return "job \"\(id)\" disappeared from Ray at \(address): the cluster was restarted and its jobs are gone"
        case .invalidArgument(let reason):
            return reason
        }
    }

    package var errorDescription: String? { description }

    /// `true` for errors worth retrying while following a job.
    package var isTransient: Bool {
        switch self {
        case .unreachable: return true
        case .http(let status, _, let retryAfter): return retryAfter != nil || status >= 500 || status == 429
        case .badResponse: return true
        case .jobNotFound, .unauthorized, .clusterRestarted, .invalidArgument: return false
        }
    }

    static func formatSeconds(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
    }
}
