import Foundation

/// Why a job could not be found, created or read. Messages are meant for the person at the terminal.
public enum JobStoreError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// The id cannot name a job folder.
    case unsafeID(String, reason: String)
    /// No job has this id or prefix.
    case unknown(String)
    /// Several jobs start with this prefix.
    case ambiguous(String, matches: [String])
    /// A job with this id exists already.
    case exists(String)
    /// A file operation failed.
    case io(path: String, errno: Int32)
    /// The job's log is not a regular file (a FIFO, a device, a folder): reading it could block or never end.
    case notARegularFile(path: String, kind: String)

    /// A readable form, as shown to the user.
    public var description: String {
        switch self {
        case .unsafeID(let id, let reason):
            return "'\(SafeText.line(id))' is not a valid job id: \(reason)"
        case .unknown(let id):
            return "no job matches '\(SafeText.line(id))' (see `synapse-tui jobs`)"
        case .ambiguous(let id, let matches):
            let shown = matches.prefix(5).joined(separator: ", ") + (matches.count > 5 ? ", ..." : "")
            return "'\(SafeText.line(id))' matches \(matches.count) jobs (\(shown)); give more characters"
        case .exists(let id):
            return "job \(id) already exists"
        case .io(let path, let code):
            return "\(path): \(String(cString: strerror(code)))"
        case .notARegularFile(let path, let kind):
            return "\(path) is \(kind), not a regular file"
        }
    }

    /// Throws ``notARegularFile(path:kind:)`` unless `info` (from `stat`) is a regular file: a FIFO would
    /// block a reader forever, a device or a folder never ends.
    package static func requireRegularFile(_ info: stat, path: String) throws(JobStoreError) {
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG else {
            throw .notARegularFile(path: path, kind: kind == S_IFIFO ? "a FIFO" : kind == S_IFDIR ? "a directory" : "a device or socket")
        }
    }

    /// The same text as `description`, for `LocalizedError`.
    public var errorDescription: String? { description }
}
