import ArgumentParser
import Foundation
import SynapsePlugins

/// What `attach` and `show` read: a job of `SYNAPSE_HOME` (by id or unique prefix), an event-log file, or
/// the captured console output of an unmodified synapse-sdk run.
struct EventLogSource: Sendable {
    enum Format: Sendable {
        /// `events.jsonl` (format v1).
        case eventLog
        /// Console text, parsed by ``ConsoleLineParser``.
        case console
    }

    var path: String
    var format: Format
    /// How the header names the source before the log says which action it is.
    var label: String

    /// The follower for it: the event-log tailer or the console tailer. Nothing is read before
    /// ``EventSource/start(into:)``.
    func makeSource() throws -> any EventSource {
        switch format {
        case .eventLog: return try EventLogTailer(path: path, label: label)
        case .console: return try ConsoleFileTailer(path: path)
        }
    }

    /// Resolves the command's source options; exactly one must be given.
    static func resolve(job: String?, file: String?, console: String?) throws -> EventLogSource {
        let given = [job, file, console].compactMap { $0 }
        guard given.count == 1 else { throw ValidationError("Give one of: a job id, --file PATH, --console PATH.") }
        if let file {
            return EventLogSource(path: file, format: .eventLog, label: (file as NSString).lastPathComponent)
        }
        if let console {
            return EventLogSource(path: console, format: .console, label: (console as NSString).lastPathComponent)
        }
        let store = JobStore.fromEnvironment()
        do {
            let id = try store.resolve(job!)
            return EventLogSource(path: try store.eventLog(of: id).path, format: .eventLog, label: id)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
