import Foundation
import SynapseDashboard
import SynapsePlugins

/// The jobs of a store as the browser lists them, kept up to date without reading every log again:
/// each refresh lists the folder and `stat`s each log; an unchanged log (same file, size and change time)
/// costs nothing more, a finished job comes from its `summary.json`, and a job being written keeps its
/// reduced state and decoder, so a refresh decodes only the bytes appended since the last one.
///
/// Used on one thread (the browser's UI thread).
package final class JobCatalog {
    private struct Tracked {
        var device: UInt64
        var inode: UInt64
        var size: Int
        var modified: Double
        var overview: JobOverview
        /// A job still being written: the state of the log's first `offset` bytes and the decoder holding
        /// any partial last line.
        var live: (state: DashboardState, decoder: EventLogDecoder, offset: Int)?
    }

    package let store: JobStore
    private var tracked: [String: Tracked] = [:]
    /// Jobs that could not be read at the last refresh, and why.
    package private(set) var skipped: [(id: String, reason: JobStoreError)] = []
    /// Logs decoded (wholly or their appended bytes) at the last refresh: what a refresh cost.
    package private(set) var logsRead = 0
    /// Bytes decoded at the last refresh.
    package private(set) var bytesRead = 0

    package init(store: JobStore) { self.store = store }

    /// Looks at every job folder again and returns the rows, newest first.
    package func refresh(now: Double = Event.now()) -> [JobRow] {
        logsRead = 0
        bytesRead = 0
        var seen: [String: Tracked] = [:]
        var skipped: [(id: String, reason: JobStoreError)] = []
        for id in store.ids() {
            do {
                seen[id] = try look(at: id, now: now)
            } catch {
                skipped.append((id, error))
            }
        }
        tracked = seen
        self.skipped = skipped.sorted { $0.id < $1.id }
        return overviews.map { Self.row($0, now: now) }
    }

    /// The overviews of the jobs found at the last refresh, newest first (as `jobs` lists them).
    var overviews: [JobOverview] {
        tracked.values.map(\.overview).sorted { a, b in (a.started ?? 0, a.id) > (b.started ?? 0, b.id) }
    }

    private func look(at id: String, now: Double) throws(JobStoreError) -> Tracked {
        let directory = try store.directory(of: id)
        let log = directory.appendingPathComponent("events.jsonl").path
        var info = stat()
        guard stat(log, &info) == 0 else {
            // No log yet: listed, with nothing known but whether a writer is there.
            var overview = JobOverview(id: id)
            overview.lostSince = JobHeartbeat.liveness(directory: directory, now: now).lostSince
            return Tracked(device: 0, inode: 0, size: -1, modified: 0, overview: overview)
        }
        try JobStoreError.requireRegularFile(info, path: log)
        let size = Int(info.st_size)
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        let device = UInt64(info.st_dev), inode = UInt64(info.st_ino)
        var entry: Tracked
        if var old = tracked[id], old.device == device, old.inode == inode {
            if old.size == size, old.modified == modified {
                entry = old  // unchanged: nothing to read
            } else if var live = old.live, size >= live.offset {
                // The same file grew: decode what was appended.
                read(log, from: live.offset, into: &live.state, decoder: &live.decoder, offset: &live.offset)
                old.overview = JobOverview(id: id, state: live.state)
                old.live = live
                old.size = size
                old.modified = modified
                entry = old
            } else {
                entry = load(id: id, log: log, directory: directory, size: size, modified: modified, device: device, inode: inode)
            }
        } else {
            entry = load(id: id, log: log, directory: directory, size: size, modified: modified, device: device, inode: inode)
        }
        if entry.overview.status?.isFinal == true {
            entry.live = nil
            entry.overview.lostSince = nil
        } else if entry.overview.lostSince == nil || tracked[id]?.modified != modified {
            // A writer once found gone stays gone until its log changes: thousands of crashed jobs cost no
            // reads of writer.json per refresh.
            entry.overview.lostSince = JobHeartbeat.liveness(directory: directory, now: now).lostSince
        }
        return entry
    }

    /// A job seen for the first time (or whose log was replaced or truncated): its `summary.json` when it
    /// matches, else the whole log, whose state is kept while the run goes on.
    private func load(id: String, log: String, directory: URL, size: Int, modified: Double, device: UInt64,
                      inode: UInt64) -> Tracked {
        let cachePath = directory.appendingPathComponent(JobOverview.cacheName).path
        if let data = JobHeartbeat.readSmallFile(cachePath, limit: 1 << 20), let json = try? JSONParser.parse(data),
           let cached = JobOverview(id: id, cache: json, logSize: size, logModified: modified),
           cached.status?.isFinal == true {
            return Tracked(device: device, inode: inode, size: size, modified: modified, overview: cached)
        }
        var state = DashboardState(capacities: .init(messages: 1, devEvents: 1, customEvents: 1, output: 1))
        var decoder = EventLogDecoder()
        var offset = 0
        read(log, from: 0, into: &state, decoder: &decoder, offset: &offset)
        let overview = JobOverview(id: id, state: state)
        if overview.status?.isFinal == true, offset == size {
            JobHeartbeat.writeAtomically(overview.cacheJSON(logSize: size, logModified: modified).jsonText + "\n", to: cachePath)
            return Tracked(device: device, inode: inode, size: size, modified: modified, overview: overview)
        }
        return Tracked(device: device, inode: inode, size: size, modified: modified, overview: overview,
                       live: (state, decoder, offset))
    }

    /// Decodes the log from `offset` to its end into `state`, advancing `offset`.
    private func read(_ path: String, from start: Int, into state: inout DashboardState, decoder: inout EventLogDecoder,
                      offset: inout Int) {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        logsRead += 1
        var position = off_t(start)
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, chunk, position) }
            guard n > 0 else { break }
            position += off_t(n)
            bytesRead += n
            let batch = buffer.withUnsafeBufferPointer { decoder.feed(UnsafeBufferPointer(rebasing: $0[..<n])) }
            state.apply(batch)
        }
        offset = Int(position)
    }

    /// The browser's row of a job.
    static func row(_ job: JobOverview, now: Double) -> JobRow {
        JobRow(id: job.id, action: job.action, status: job.statusWord,
               isLive: job.status != nil && job.status?.isFinal != true && job.lostSince == nil,
               fraction: job.fraction, current: job.current, total: job.total, started: job.started,
               duration: job.duration(now: now), metrics: job.metrics, params: job.params)
    }
}
