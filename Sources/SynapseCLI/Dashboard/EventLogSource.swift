import ArgumentParser
import Foundation
import SynapsePlugins

/// The event log a command reads: a job of `SYNAPSE_HOME` (by id or unique prefix) or a file.
struct EventLogSource: Sendable {
    var path: String
    /// How the header names the source before the log says which action it is.
    var label: String

    static func resolve(job: String?, file: String?) throws -> EventLogSource {
        if let file {
            return EventLogSource(path: file, label: (file as NSString).lastPathComponent)
        }
        guard let job else { throw ValidationError("Give a job id or --file PATH.") }
        let store = JobStore.fromEnvironment()
        do {
            let id = try store.resolve(job)
            return EventLogSource(path: try store.eventLog(of: id).path, label: id)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
