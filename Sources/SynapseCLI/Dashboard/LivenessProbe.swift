import Foundation
import SynapsePlugins

/// Reads a job's `writer.json` for a reader (`attach`, `show`): whether the run's writer is gone.
///
/// A live screen asks every frame; the file is read at most once a second (the answer it gives cannot
/// change faster than the writer beats). Used on one thread only (the UI thread, or `show`'s).
final class LivenessProbe: @unchecked Sendable {
    let directory: URL
    private var checkedAt = -Double.infinity
    private var answer = WriterLiveness.unknown
    /// The writer's host, once its `writer.json` was read.
    private(set) var host: String?

    /// A probe for the job folder `directory`.
    init(directory: URL) { self.directory = directory }

    /// A probe for the folder of an event log, when that folder is a job folder with a sidecar (or may get one).
    convenience init(eventLog path: String) {
        self.init(directory: URL(fileURLWithPath: path).deletingLastPathComponent())
    }

    /// The writer's liveness at `now`.
    func liveness(now: Double = Event.now()) -> WriterLiveness {
        if now - checkedAt >= 1 || now < checkedAt {
            let record = JobHeartbeat.read(directory: directory)
            answer = record?.liveness(now: now, localHost: JobHeartbeat.localHost, processExists: JobHeartbeat.processExists) ?? .unknown
            if let record { host = record.host }
            checkedAt = now
        }
        return answer
    }
}
