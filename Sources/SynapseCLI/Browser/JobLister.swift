import Foundation
import SynapseDashboard
import SynapsePlugins
import SynapseRay

/// Where the jobs browser's rows come from and what it can do to a job: the jobs of this machine, or a Ray
/// cluster's. Called on the browser's UI thread only.
protocol JobLister: AnyObject, Sendable {
    /// Shown in the header.
    var label: String { get }
    /// Whether finished jobs' folders can be deleted (`D`).
    var canDelete: Bool { get }
    /// The rows now (cheap: called once a second).
    func refresh(now: Double) -> (rows: [JobRow], skipped: Int)
    /// Cancels a live job; returns what to tell the user.
    func cancel(_ id: String) -> String
    /// Deletes a finished job's folder; returns what to tell the user.
    func delete(_ id: String) -> String
}

/// The jobs of `$SYNAPSE_HOME/jobs`, through a ``JobCatalog``: the first list is read at once, then a
/// thread of its own refreshes it once a second and the UI takes the latest (a `stat` per job: 5,000 jobs
/// cost ~100 ms a pass, which the UI thread must not wait for).
final class LocalJobLister: JobLister, @unchecked Sendable {
    /// Touched by the refresher thread only, once `start()` ran.
    let catalog: JobCatalog
    let store: JobStore
    let label: String
    let canDelete = true
    private let lock = NSLock()
    private var latest: (rows: [JobRow], skipped: Int)  // guarded by lock
    private var stopping = false  // guarded by lock
    private let wake = DispatchSemaphore(value: 0)

    init(store: JobStore) {
        self.store = store
        catalog = JobCatalog(store: store)
        label = store.jobsDirectory.path
        latest = (catalog.refresh(now: Event.now()), catalog.skipped.count)
    }

    /// Refreshes once a second on a thread of its own until ``stop()``.
    func start() {
        let thread = Thread { [self] in
            while true {
                _ = wake.wait(timeout: .now() + 1)
                if lock.withLock({ stopping }) { return }
                let rows = catalog.refresh(now: Event.now())
                let skipped = catalog.skipped.count
                lock.withLock { latest = (rows, skipped) }
            }
        }
        thread.name = "synapse.jobs"
        thread.start()
    }

    func stop() {
        lock.withLock { stopping = true }
        wake.signal()
    }

    func refresh(now: Double) -> (rows: [JobRow], skipped: Int) {
        lock.withLock { latest }
    }

    /// Asks the run's writer (its `writer.json` pid, on this host) to stop with SIGTERM: the runner records
    /// `cancelled by SIGTERM`, as for a Ctrl-C in its own terminal.
    func cancel(_ id: String) -> String {
        guard let directory = try? store.directory(of: id), let writer = JobHeartbeat.read(directory: directory) else {
            return "\(JobBrowser.short(id)): no writer.json, so no process to stop"
        }
        guard writer.host == JobHeartbeat.localHost else {
            return "\(JobBrowser.short(id)) runs on \(SafeText.line(writer.host)): cancel it there"
        }
        guard kill(writer.pid, SIGTERM) == 0 else {
            return "\(JobBrowser.short(id)): could not signal pid \(writer.pid) (\(String(cString: strerror(errno))))"
        }
        return "Asked \(JobBrowser.short(id)) to stop (SIGTERM to pid \(writer.pid))"
    }

    func delete(_ id: String) -> String {
        do {
            let directory = try store.directory(of: id)
            try FileManager.default.removeItem(at: directory)
            return "Deleted job \(JobBrowser.short(id))"
        } catch {
            return "Could not delete \(JobBrowser.short(id)): \(error)"
        }
    }
}

/// A Ray cluster's jobs: fetched every two seconds off the UI thread, the latest list handed over.
final class RayJobLister: JobLister, @unchecked Sendable {
    let client: RayJobsClient
    let label: String
    let canDelete = false
    private let lock = NSLock()
    private var latest: [RayJobInfo] = []  // guarded by lock
    private var problem: String?  // guarded by lock
    private var poller: Task<Void, Never>?

    init(client: RayJobsClient) {
        self.client = client
        label = "\(client.endpoint)"
    }

    /// Starts fetching (the first list arrives within a request's time).
    func start() {
        poller = Task { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                do {
                    let jobs = try await self.client.jobs()
                    self.lock.withLock { self.latest = jobs; self.problem = nil }
                } catch {
                    self.lock.withLock { self.problem = "\(error)" }
                }
                try? await Task.sleep(nanoseconds: 2_000_000_000)
            }
        }
    }

    func stop() { poller?.cancel() }

    /// Why the last fetch failed, if it did.
    var lastProblem: String? { lock.withLock { problem } }

    func refresh(now: Double) -> (rows: [JobRow], skipped: Int) {
        let jobs = lock.withLock { latest }
        return (jobs.map { job in
            let run = job.status.runStatus
            return JobRow(id: job.id, action: job.action ?? job.entrypoint.map { SafeText.line($0) },
                          status: run.rawValue, isLive: !job.status.isTerminal,
                          fraction: run == .completed ? 1 : nil, started: job.startTime,
                          duration: job.startTime.map { max(0, (job.endTime ?? now) - $0) })
        }, 0)
    }

    func cancel(_ id: String) -> String {
        let client = client
        Task { _ = try? await client.stop(id) }
        return "Asked Ray to stop \(SafeText.line(id))"
    }

    func delete(_ id: String) -> String { "Jobs of a Ray cluster are not deleted from here" }
}

/// The key metric picked per action, remembered in `$SYNAPSE_HOME/browser.json`
/// (`{"key_metrics": {"train": "training/loss"}}`).
enum BrowserPreferences {
    static func path(_ store: JobStore) -> String { store.home.appendingPathComponent("browser.json").path }

    static func keyMetrics(_ store: JobStore) -> [String: String] {
        guard let data = JobHeartbeat.readSmallFile(path(store), limit: 1 << 20), let json = try? JSONParser.parse(data),
              case .object(let o) = json, case .object(let metrics)? = o["key_metrics"] else { return [:] }
        var out: [String: String] = [:]
        for (action, value) in metrics { if case .string(let name) = value { out[action] = name } }
        return out
    }

    static func save(_ keyMetrics: [String: String], _ store: JobStore) {
        var metrics = JSONObject()
        for (action, name) in keyMetrics.sorted(by: { $0.key < $1.key }) { metrics[action] = .string(name) }
        try? FileManager.default.createDirectory(at: store.home, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        JobHeartbeat.writeAtomically(JSONValue.object(["key_metrics": .object(metrics)]).jsonText + "\n", to: path(store))
    }
}
