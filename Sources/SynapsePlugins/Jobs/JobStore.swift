import Foundation

/// The jobs on this machine: `$SYNAPSE_HOME/jobs/<job_id>/events.jsonl` (default `~/.synapse`).
///
/// Folders are created with mode 0700 and logs with 0600: a run's events can hold paths, params and
/// messages that are nobody else's business. Every id is validated before it touches the file system.
public struct JobStore: Sendable {
    /// The Synapse home folder.
    public let home: URL

    /// The store under `home`.
    public init(home: URL) {
        self.home = home
    }

    /// The store under `$SYNAPSE_HOME`, or `~/.synapse` when it is not set.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        -> JobStore {
        if let home = environment["SYNAPSE_HOME"], !home.isEmpty {
            return JobStore(home: URL(fileURLWithPath: home, isDirectory: true))
        }
        let user = environment["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return JobStore(home: user.appendingPathComponent(".synapse", isDirectory: true))
    }

    /// The folder holding one folder per job.
    public var jobsDirectory: URL { home.appendingPathComponent("jobs", isDirectory: true) }

    /// The folder of job `id` (validated).
    public func directory(of id: String) throws(JobStoreError) -> URL {
        try JobID.validate(id)
        return jobsDirectory.appendingPathComponent(id, isDirectory: true)
    }

    /// The event log of job `id` (validated).
    public func eventLog(of id: String) throws(JobStoreError) -> URL {
        try directory(of: id).appendingPathComponent("events.jsonl")
    }

    /// Creates the folder of a new job (0700, parents too) and returns its event log's path.
    public func create(_ id: String) throws(JobStoreError) -> URL {
        let dir = try directory(of: id)
        for folder in [home, jobsDirectory] { try Self.makeFolder(folder, exclusive: false) }
        try Self.makeFolder(dir, exclusive: true)
        return dir.appendingPathComponent("events.jsonl")
    }

    /// Opens the event log of a new job for writing.
    public func openLog(for id: String, flushInterval: Double = 0.05) throws(JobStoreError) -> JSONLinesLogger {
        try JSONLinesLogger(path: create(id).path, flushInterval: flushInterval)
    }

    private static func makeFolder(_ url: URL, exclusive: Bool) throws(JobStoreError) {
        if mkdir(url.path, 0o700) == 0 { return }
        let code = errno
        if code == EEXIST && !exclusive { return }
        if code == EEXIST { throw JobStoreError.exists(url.lastPathComponent) }
        throw JobStoreError.io(path: url.path, errno: code)
    }

    /// The ids of every job folder (in no particular order). Folders whose names are not valid ids are
    /// ignored.
    public func ids() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: jobsDirectory.path)) ?? []
        return names.filter(JobID.isValid)
    }

    /// The id of the one job whose id is `idOrPrefix` or starts with it.
    ///
    /// An exact match wins over longer ids sharing it as a prefix. Throws ``JobStoreError/unsafeID(_:reason:)``
    /// for an id that could escape the jobs folder, ``JobStoreError/unknown(_:)`` when nothing matches and
    /// ``JobStoreError/ambiguous(_:matches:)`` when several do.
    public func resolve(_ idOrPrefix: String) throws(JobStoreError) -> String {
        try JobID.validate(idOrPrefix)
        let all = ids()
        if all.contains(idOrPrefix) { return idOrPrefix }
        let matches = all.filter { $0.hasPrefix(idOrPrefix) }.sorted()
        switch matches.count {
        case 0: throw JobStoreError.unknown(idOrPrefix)
        case 1: return matches[0]
        default: throw JobStoreError.ambiguous(idOrPrefix, matches: matches)
        }
    }

    /// A summary of every job, newest first.
    package func list() -> [JobSummary] {
        listing().jobs
    }

    /// A summary of every job, newest first, and the jobs that could not be read, with the reason (a log
    /// that is a FIFO would block the listing forever: such jobs are skipped, and said to be).
    package func listing() -> (jobs: [JobSummary], skipped: [(id: String, reason: JobStoreError)]) {
        var jobs: [JobSummary] = []
        var skipped: [(id: String, reason: JobStoreError)] = []
        for id in ids() {
            do {
                jobs.append(try summary(of: id))
            } catch {
                skipped.append((id, error))
            }
        }
        jobs.sort { a, b in (a.started ?? 0, a.id) > (b.started ?? 0, b.id) }
        return (jobs, skipped.sorted { $0.id < $1.id })
    }

    /// A summary of job `id`, read from its event log.
    package func summary(of id: String) throws(JobStoreError) -> JobSummary {
        let log = try eventLog(of: id)
        var summary = JobSummary(id: id)
        var info = stat()
        if stat(log.path, &info) == 0 {
            try JobStoreError.requireRegularFile(info, path: log.path)
            summary.modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        }
        for event in JobLogSampler.sample(path: log.path) { summary.apply(event) }
        return summary
    }
}
