import Foundation
import SynapsePlugins

/// Turns what a ``RayLogFollower`` reports into dashboard ``Event``s:
/// - a log line carrying the bridge's marker (`__SYNAPSE_EVENT__ {json}`) is that record;
/// - any other line goes to ``consoleParser`` (synapse-sdk's console lines) and, failing that, is `output`;
/// - Ray's job status becomes `run_status` (PENDING → pending, RUNNING → running, STOPPED → cancelled,
///   SUCCEEDED → completed, FAILED → failed), without contradicting the bridge's own `run_status` records
///   (the bridge knows the action, params and result; Ray has the last word on how the job ended);
/// - connection notices become `message` events, so the dashboard shows them.
public struct RayEventMapper: Sendable {
    /// Parses a non-marked log line into events (synapse-sdk's ConsoleLogger format); `nil` = not such a line.
    public typealias ConsoleParser = @Sendable (String) -> [Event]?

    public let submissionID: String
    public var consoleParser: ConsoleParser?
    /// Marked lines that could not be decoded.
    public private(set) var unreadableLines = 0
    /// The last run status said, by the bridge or by us.
    public private(set) var lastStatus: RunStatus?
    private var action: String?
    private var bridgeSpoke = false

    public init(submissionID: String, consoleParser: ConsoleParser? = nil) {
        self.submissionID = submissionID
        self.consoleParser = consoleParser
    }

    public mutating func events(for update: RayFollowUpdate) -> [Event] {
        switch update {
        case .job(let info):
            if action == nil { action = info.action }
            let status = info.status.runStatus
            // Once the bridge reported the run, Ray's non-final statuses add nothing.
            if bridgeSpoke && !status.isFinal { return [] }
            if lastStatus == status || lastStatus?.isFinal == true { return [] }
            if status.isFinal { return [] }  // said once the log is complete (.finished)
            lastStatus = status
            return [runStatus(status, info: info)]
        case .lines(let lines):
            return lines.flatMap { self.events(forLine: $0) }
        case .notice(let level, let text):
            return [Event(level: level, payload: .message(Message(content: "Ray: " + text, key: "RAY_CONNECTION")))]
        case .finished(let info):
            let status = info.status.runStatus
            guard status != lastStatus else { return [] }
            lastStatus = status
            var error: RunError?
            switch info.status {
            case .failed:
                error = RunError(type: info.errorType ?? "RayJobFailed", message: info.message ?? "the Ray job failed")
            case .stopped:
                error = RunError(type: "RayJobStopped", message: info.message ?? "the Ray job was stopped")
            default: break
            }
            return [runStatus(status, info: info, error: error)]
        case .failed(let rayError):
            var events = [Event(level: .error, payload: .message(Message(content: "Ray: " + rayError.description, key: "RAY_ERROR")))]
            if lastStatus?.isFinal != true, case .clusterRestarted = rayError {
                lastStatus = .failed
                events.append(Event(payload: .runStatus(RunStatusUpdate(
                    status: .failed, action: action, jobID: submissionID,
                    error: RunError(type: "RayClusterRestarted", message: rayError.description)))))
            }
            return events
        }
    }

    /// The events one log line stands for.
    public mutating func events(forLine line: String) -> [Event] {
        if let decoded = MarkedLine.decode(line[...]) {
            switch decoded {
            case .success(let event):
                if case .runStatus(let update) = event.payload {
                    bridgeSpoke = true
                    lastStatus = update.status
                    if let name = update.action { action = name }
                }
                return [event]
            case .failure(let error):
                unreadableLines += 1
                return [Event(level: .warning, payload: .message(Message(
                    content: "Ray: unreadable event line (\(error.reason))", key: "RAY_UNREADABLE_LINE")))]
            }
        }
        if let parsed = consoleParser?(line) { return parsed }
        return [Event(payload: .output(OutputLine(stream: .stdout, text: line)))]
    }

    private func runStatus(_ status: RunStatus, info: RayJobInfo, error: RunError? = nil) -> Event {
        Event(payload: .runStatus(RunStatusUpdate(status: status, action: action ?? info.action ?? info.entrypoint,
                                                  jobID: submissionID, error: error)))
    }
}
