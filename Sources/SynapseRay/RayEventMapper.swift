import Foundation
import SynapsePlugins

/// Turns what a ``RayLogFollower`` reports into dashboard ``Event``s:
/// - a log line carrying the bridge's marker with the job's secret (`__SYNAPSE_EVENT__:TOKEN {json}`, the
///   token from the job's metadata; any marker for a job submitted without one) is that record, any other
///   marked line is output;
/// - any other line goes through synapse-sdk's ``ConsoleLineParser`` (ConsoleLogger lines, the Ray job
///   result markers, tqdm bars), which keeps what it does not recognise as `output`;
/// - Ray's job status becomes `run_status` (PENDING → pending, RUNNING → running, STOPPED → cancelled,
///   SUCCEEDED → completed, FAILED → failed), without contradicting the bridge's own `run_status` records
///   (the bridge knows the action, params and result; Ray has the last word on how the job ended);
/// - connection notices become `message` events, so the dashboard shows them.
package struct RayEventMapper: Sendable {
    package let submissionID: String
    /// Parses the lines that carry no marker; `nil`: every such line is plain `output`.
    package var console: ConsoleLineParser?
    /// Marked lines that could not be decoded.
    package private(set) var unreadableLines = 0
    /// The last run status said, by the bridge or by us.
    package private(set) var lastStatus: RunStatus?
    /// Which marked lines are records: set from the job's info (its secret), `nil` before it arrives.
    package private(set) var trust: MarkedLine.Trust?
    private var action: String?
    private var bridgeSpoke = false

    package init(submissionID: String, console: ConsoleLineParser? = ConsoleLineParser()) {
        self.submissionID = submissionID
        self.console = console
        // Marked lines are decided here, with the job's secret; the console parser only sees the others.
        self.console?.markedLines = .none
    }

    /// Starts over (the job's log was replaced and is delivered again).
    package mutating func reset() {
        let trust = trust
        self = RayEventMapper(submissionID: submissionID, console: console.map { ConsoleLineParser(now: $0.now) })
        self.trust = trust
    }

    package mutating func events(for update: RayFollowUpdate) -> [Event] {
        switch update {
        case .job(let info):
            if action == nil { action = info.action }
            if trust == nil { trust = info.eventToken.map { .token($0) } ?? .anyMarker }
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
        case .restarted(let reason):
            reset()
            return [Event(level: .warning, payload: .message(Message(content: "Ray: " + reason, key: "RAY_CONNECTION")))]
        case .finished(let info):
            let pending = flushConsole()
            let status = info.status.runStatus
            guard status != lastStatus else { return pending }
            lastStatus = status
            var error: RunError?
            switch info.status {
            case .failed:
                error = RunError(type: info.errorType ?? "RayJobFailed", message: info.message ?? "the Ray job failed")
            case .stopped:
                error = RunError(type: "RayJobStopped", message: info.message ?? "the Ray job was stopped")
            default: break
            }
            return pending + [runStatus(status, info: info, error: error)]
        case .failed(let rayError):
            var events = flushConsole()
            events += [Event(level: .error, payload: .message(Message(content: "Ray: " + rayError.description, key: "RAY_ERROR")))]
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
    package mutating func events(forLine line: String) -> [Event] {
        if let decoded = MarkedLine.decode(line[...], trust: trust ?? .anyMarker) {
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
        guard var parser = console else { return [Event(payload: .output(OutputLine(stream: .stdout, text: line)))] }
        let events = parser.parse(line: line)
        console = parser
        return noteStatuses(events)
    }

    /// What the console parser still holds (a result whose end marker never came).
    private mutating func flushConsole() -> [Event] {
        guard var parser = console else { return [] }
        let events = parser.finish()
        console = parser
        return noteStatuses(events)
    }

    /// A `run_status` from the job's own output (the console's `Result:` / result markers) counts like the
    /// bridge's: Ray's status must not contradict or repeat it.
    /// Console lines do not name the job or the action: the job's own are filled in. A console `Result:`
    /// repeating the outcome the bridge already recorded (the bridge's runner prints both) is dropped.
    private mutating func noteStatuses(_ events: [Event]) -> [Event] {
        events.compactMap { event in
            guard case .runStatus(var update) = event.payload else { return event }
            if let lastStatus, lastStatus.isFinal, lastStatus == update.status { return nil }
            bridgeSpoke = true
            lastStatus = update.status
            if update.jobID == nil { update.jobID = submissionID }
            if update.action == nil { update.action = action }
            var event = event
            event.payload = .runStatus(update)
            return event
        }
    }

    private func runStatus(_ status: RunStatus, info: RayJobInfo, error: RunError? = nil) -> Event {
        Event(payload: .runStatus(RunStatusUpdate(status: status, action: action ?? info.action ?? info.entrypoint,
                                                  jobID: submissionID, error: error)))
    }
}
