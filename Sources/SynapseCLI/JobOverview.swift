import Foundation
import SynapseDashboard
import SynapsePlugins

/// What `jobs` shows about one job: the same status and progress `show` derives, from the whole event log
/// (the source of truth), kept in the job folder's `summary.json` for as long as the log has not changed.
struct JobOverview: Sendable, Equatable {
    var id: String
    var action: String?
    /// The run's status (`nil` when the log holds none).
    var status: RunStatus?
    /// The overall figure (0...1), as the dashboard's overall bar shows it; `nil` when none is known (nothing
    /// declared weights and the run did not complete: then the steps done and the current step are).
    var fraction: Double?
    /// With no overall figure: the steps done, and the step the run is in with its own fraction.
    var stepsDone: Int?
    var step: String?
    var stepFraction: Double?
    /// The main step's counts: the largest total among the steps standing on their own.
    var current: Int?
    var total: Int?
    /// When the run started, ended, and its latest event (epoch seconds).
    var started: Double?
    var ended: Double?
    var last: Double?
    var error: RunError?
    /// Every numeric metric the run reported (at most ``maxMetrics``), with its last and best value: the
    /// jobs browser's key metric.
    var metrics: [JobRow.Metric] = []
    /// The run's params as one line (`epochs=50 api_key=********`), secret-looking values masked.
    var params: String?
    /// Derived at listing time from `writer.json`, never cached: the writer's last proof of life when lost.
    var lostSince: Double?

    /// The status word shown: the run's, or `lost`.
    var statusWord: String {
        if lostSince != nil { return "lost" }
        return status?.rawValue ?? "unknown"
    }

    /// Seconds from start to the end, to the writer's last proof of life when lost, or to `now`.
    func duration(now: Double) -> Double? {
        guard let started else { return nil }
        if let ended { return max(0, ended - started) }
        if let lostSince { return max(0, max(lostSince, last ?? lostSince) - started) }
        // No final status and no sidecar to ask (an older or foreign writer): stop at the last event once
        // the log has been quiet for a minute.
        if let last, now - last > 60 { return max(0, last - started) }
        return max(0, now - started)
    }

    /// Derives the overview from a state built from the whole log.
    init(id: String, state: DashboardState) {
        self.id = id
        action = state.run.action
        status = state.run.status
        let top = state.steps.indices.filter { state.steps[$0].parent == nil }
        if let main = top.max(by: { state.steps[$0].progress.total < state.steps[$1].progress.total }) {
            current = state.steps[main].progress.current
            total = state.steps[main].progress.total
        }
        fraction = state.overallFraction
        if let known = state.stepsDone {
            stepsDone = known.done
            step = known.current
            stepFraction = known.fraction
        }
        started = state.run.startedAt ?? state.firstTimestamp
        ended = state.run.endedAt
        if ended == nil, state.run.status?.isFinal == true { ended = state.lastTimestamp }
        last = state.lastTimestamp
        error = state.run.error
        params = Self.paramsLine(state.run.params)
        metrics = MetricSummary.all(in: state).prefix(Self.maxMetrics).map { m in
            JobRow.Metric(name: m.step.isEmpty ? m.name : "\(m.step)/\(m.name)", last: m.last, best: m.best)
        }
    }

    /// `k=v` for each member of the params (masked), cut to 240 characters.
    static func paramsLine(_ params: JSONValue?) -> String? {
        guard let params = params?.maskingSecrets else { return nil }
        guard case .object(let o) = params else { return SafeText.line(params.jsonText) }
        var text = o.map { key, value -> String in
            if case .string(let s) = value { return "\(key)=\(s)" }
            return "\(key)=\(value.jsonText)"
        }.joined(separator: " ")
        if text.count > 240 { text = String(text.prefix(239)) + "…" }
        return SafeText.line(text)
    }

    /// The most metrics kept per job (in `summary.json` too).
    static let maxMetrics = 64

    init(id: String) { self.id = id }

    // MARK: summary.json

    /// The cached summary's JSON, stamped with the log's size and change time.
    func cacheJSON(logSize: Int, logModified: Double) -> JSONValue {
        var o: JSONObject = ["v": .int(Self.cacheVersion), "log_size": .int(logSize), "log_modified": .double(logModified)]
        if let action { o["action"] = .string(action) }
        if let status { o["status"] = .string(status.rawValue) }
        if let fraction { o["fraction"] = .double(fraction) }
        if let stepsDone { o["steps_done"] = .int(stepsDone) }
        if let step { o["step"] = .string(step) }
        if let stepFraction { o["step_fraction"] = .double(stepFraction) }
        if let current { o["current"] = .int(current) }
        if let total { o["total"] = .int(total) }
        if let started { o["started"] = .double(started) }
        if let ended { o["ended"] = .double(ended) }
        if let last { o["last"] = .double(last) }
        if let error { o["error"] = ["type": .string(error.type), "message": .string(error.message)] }
        if let params { o["params"] = .string(params) }
        if !metrics.isEmpty {
            // [name, last, best]; a NaN or infinite value is kept as null (JSON has no such numbers).
            func number(_ d: Double?) -> JSONValue { d.flatMap { $0.isFinite ? JSONValue.double($0) : nil } ?? .null }
            o["metrics"] = .array(metrics.map { .array([.string($0.name), number($0.last), number($0.best)]) })
        }
        return .object(o)
    }

    /// The overview from a cached summary, when it was made from a log of this size and change time.
    init?(id: String, cache: JSONValue, logSize: Int, logModified: Double) {
        guard case .object(let o) = cache, o["v"]?.doubleValue == Double(Self.cacheVersion),
              o["log_size"]?.doubleValue == Double(logSize),
              o["log_modified"]?.doubleValue == logModified else { return nil }
        self.init(id: id)
        if case .string(let s)? = o["action"] { action = s }
        if case .string(let s)? = o["status"] { status = RunStatus(rawValue: s) }
        fraction = o["fraction"]?.doubleValue
        stepsDone = o["steps_done"]?.intValue
        if case .string(let s)? = o["step"] { step = s }
        stepFraction = o["step_fraction"]?.doubleValue
        current = o["current"]?.intValue
        total = o["total"]?.intValue
        started = o["started"]?.doubleValue
        ended = o["ended"]?.doubleValue
        last = o["last"]?.doubleValue
        if case .object(let e)? = o["error"], case .string(let type)? = e["type"], case .string(let message)? = e["message"] {
            error = RunError(type: type, message: message)
        }
        if case .string(let p)? = o["params"] { params = p }
        if case .array(let list)? = o["metrics"] {
            metrics = list.prefix(Self.maxMetrics).compactMap { item in
                guard case .array(let parts) = item, parts.count == 3, case .string(let name) = parts[0] else { return nil }
                return JobRow.Metric(name: name, last: parts[1].doubleValue, best: parts[2].doubleValue)
            }
        }
    }

    static let cacheName = "summary.json"
    /// Version 2: no overall figure without declared weights (a version-1 summary held a held 99.9 %).
    /// Version 3: the params line and each metric's last and best (the jobs browser).
    static let cacheVersion = 3

    /// The overview of job `id`: from `summary.json` when the log has not changed since it was written,
    /// else read from the whole log (and the cache rewritten, atomically, when the folder is writable).
    static func load(id: String, store: JobStore, now: Double = Event.now()) throws(JobStoreError) -> JobOverview {
        let directory = try store.directory(of: id)
        let log = directory.appendingPathComponent("events.jsonl").path
        var info = stat()
        // No log yet: listed, with nothing known.
        guard stat(log, &info) == 0 else { return JobOverview(id: id) }
        try JobStoreError.requireRegularFile(info, path: log)
        let size = Int(info.st_size)
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        let cachePath = directory.appendingPathComponent(cacheName).path
        var overview: JobOverview
        if let data = JobHeartbeat.readSmallFile(cachePath, limit: 1 << 20),
           let json = try? JSONParser.parse(data),
           let cached = JobOverview(id: id, cache: json, logSize: size, logModified: modified) {
            overview = cached
        } else {
            guard let state = readState(path: log) else { return JobOverview(id: id) }
            overview = JobOverview(id: id, state: state)
            JobHeartbeat.writeAtomically(overview.cacheJSON(logSize: size, logModified: modified).jsonText + "\n",
                                         to: cachePath)
        }
        if overview.status?.isFinal != true {
            overview.lostSince = JobHeartbeat.liveness(directory: directory, now: now).lostSince
        }
        return overview
    }

    /// The whole log reduced as `show` reduces it (small ring buffers: only the run and progress matter).
    static func readState(path: String) -> DashboardState? {
        guard let queue = try? EventQueue(), let tailer = try? EventLogTailer(path: path, follow: false) else {
            return nil
        }
        var state = DashboardState(capacities: .init(messages: 1, devEvents: 1, customEvents: 1, output: 1))
        tailer.start(into: queue)
        defer { tailer.stop() }
        queue.consumeUntilFinished(events: { state.apply($0) }, notice: { state.apply($0) })
        return state
    }

    /// Every job of `store`, newest first, and the jobs that could not be read, with the reason.
    static func listing(_ store: JobStore, now: Double = Event.now())
        -> (jobs: [JobOverview], skipped: [(id: String, reason: JobStoreError)]) {
        var jobs: [JobOverview] = []
        var skipped: [(id: String, reason: JobStoreError)] = []
        for id in store.ids() {
            do { jobs.append(try load(id: id, store: store, now: now)) } catch { skipped.append((id, error)) }
        }
        jobs.sort { a, b in (a.started ?? 0, a.id) > (b.started ?? 0, b.id) }
        return (jobs, skipped.sorted { $0.id < $1.id })
    }
}
