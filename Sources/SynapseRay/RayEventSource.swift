import Foundation
import SynapsePlugins

/// A Ray job as a dashboard event source: follows the job (``RayLogFollower``), turns what it says into
/// events (``RayEventMapper``) and pushes them into the dashboard's ``EventQueue``; ``cancelJob()`` is the
/// hook behind the dashboard's `c` key (after its confirmation): it asks Ray to stop the job, and the stop
/// then shows up as the run's final status (`cancelled`) through the same stream.
package final class RayEventSource: EventSource {
    package let client: RayJobsClient
    package let submissionID: String
    package let options: RayLogFollower.Options
    private let task = TaskBox()

    package init(client: RayJobsClient, submissionID: String, options: RayLogFollower.Options = .init()) {
        self.client = client
        self.submissionID = submissionID
        self.options = options
    }

    /// A label for the dashboard's header: `ray://<id> @ <address>`.
    package var label: String { "Ray job \(submissionID) @ \(client.endpoint)" }

    /// Starts following into `queue`; the queue gets ``SourceNotice/finished`` when following ends.
    package func start(into queue: EventQueue) {
        let follower = RayLogFollower(client: client, submissionID: submissionID, options: options)
        let id = submissionID
        queue.post(.following(label))
        task.set(Task {
            let mapper = MapperBox(RayEventMapper(submissionID: id))
            await follower.run { update in
                if case .restarted(let reason) = update { queue.post(.restarted(reason: reason)) }
                let events = mapper.events(for: update)
                if !events.isEmpty { queue.push(contentsOf: events) }
            }
            queue.post(.finished)
        })
    }

    /// Stops following (the job goes on).
    package func stop() { task.cancel() }

    /// Waits until following has ended.
    package func wait() async { await task.value() }

    /// Asks Ray to stop the job (`POST /api/jobs/<id>/stop`). `false` when it had already finished.
    @discardableResult
    package func cancelJob() async throws(RayError) -> Bool {
        try await client.stop(submissionID)
    }

    /// The dashboard's cancel hook: fire and forget; what happened is reported into `queue` as a message
    /// (the final status arrives through the log stream).
    package func cancelHook(reportingTo queue: EventQueue) -> (@Sendable () -> Void)? {
        let client = client, id = submissionID
        return {
            Task {
                queue.push(Event(level: .warning, payload: .message(Message(
                    content: "Ray: asking Ray to stop job \(id)…", key: "RAY_STOP"))))
                do {
                    let stopped = try await client.stop(id)
                    queue.push(Event(level: stopped ? .warning : .info, payload: .message(Message(
                        content: stopped ? "Ray: stop requested; waiting for the job to end"
                            : "Ray: the job had already finished", key: "RAY_STOP"))))
                } catch {
                    queue.push(Event(level: .error, payload: .message(Message(
                        content: "Ray: could not stop the job: \(error)", key: "RAY_STOP"))))
                }
            }
        }
    }

    /// Everything a job says now (status, metadata and its whole log so far) as events, for `show`:
    /// the dashboard of a finished job is its final state; of a running one, its current state.
    package static func snapshot(client: RayJobsClient, submissionID: String) async throws(RayError)
        -> (info: RayJobInfo, events: [Event])
    {
        let info = try await client.job(submissionID)
        let log = try await client.logs(submissionID)
        var mapper = RayEventMapper(submissionID: submissionID)
        var events = mapper.events(for: .job(info))
        var splitter = LineSplitter()
        events += mapper.events(for: .lines(splitter.push(log)))
        if let last = splitter.finish() { events += mapper.events(for: .lines([last])) }
        if info.status.isTerminal { events += mapper.events(for: .finished(info)) }
        return (info, events)
    }
}

/// The follower's task, cancellable from any thread.
final class TaskBox: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<Void, Never>?
    func set(_ task: Task<Void, Never>) { lock.lock(); self.task = task; lock.unlock() }
    func cancel() { lock.lock(); let task = task; lock.unlock(); task?.cancel() }
    private var current: Task<Void, Never>? { lock.withLock { task } }
    func value() async { await current?.value }
}

/// The mapper, used from the follower's callback (one caller at a time, but typed as escaping Sendable).
final class MapperBox: @unchecked Sendable {
    private let lock = NSLock()
    private var mapper: RayEventMapper
    init(_ mapper: RayEventMapper) { self.mapper = mapper }
    func events(for update: RayFollowUpdate) -> [Event] {
        lock.lock(); defer { lock.unlock() }
        return mapper.events(for: update)
    }
}
