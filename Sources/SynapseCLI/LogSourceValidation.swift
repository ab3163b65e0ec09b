import ArgumentParser
import Foundation

/// `attach` and `show` read one source: a job of SYNAPSE_HOME, an event-log file, a console capture, or a
/// Ray job (by its submission id). One check, so both commands say the same thing.
///
/// `allowNone`: no source at all is fine (`attach` then opens the jobs browser).
func validateLogSource(job: String?, file: String?, console: String?, ray: RayOptions, allowNone: Bool = false) throws {
    if allowNone, job == nil, file == nil, console == nil { return }
    if ray.isSet {
        if job == nil || file != nil || console != nil {
            throw ValidationError("With --ray, give the job's submission id (and no --file / --console).")
        }
    } else if [job, file, console].compactMap({ $0 }).count != 1 {
        throw ValidationError("Give one of: a job id, --file PATH, --console PATH.")
    }
}

/// A log source that cannot be read: what the path is and why, for a clear error and a non-zero exit
/// (a directory or an unreadable file used to show an empty WAITING dashboard, or wait forever).
struct LogSourceError: Error, CustomStringConvertible {
    var description: String
}

/// Checks that `path` can be read as a log before a reader starts on it. A missing path is an error only
/// when `mustExist` (`show`; `attach` waits for the log to appear). Pipes and devices pass: they are read
/// as streams. Nothing is opened, so a FIFO's writer is not woken and left without a reader.
func checkLogFile(_ path: String, mustExist: Bool) throws {
    var info = stat()
    guard stat(path, &info) == 0 else {
        let reason = errno
        if reason == ENOENT && !mustExist { return }
        throw LogSourceError(description: "cannot read \(path): \(String(cString: strerror(reason)))")
    }
    if info.st_mode & S_IFMT == S_IFDIR {
        throw LogSourceError(description: "\(path) is a directory, not a log (give a file, such as a job's events.jsonl, or a job id)")
    }
    guard access(path, R_OK) == 0 else {
        throw LogSourceError(description: "cannot read \(path): \(String(cString: strerror(errno)))")
    }
}

/// Why a file that must be read cannot be: `does not exist`, `is a directory`, `permission denied` (or the
/// system's own words), or `nil` when it can be read. Every file error of the CLI says which.
func unreadableFileReason(_ path: String) -> String? {
    var info = stat()
    guard stat(path, &info) == 0 else {
        return errno == ENOENT ? "no such file" : String(cString: strerror(errno))
    }
    if info.st_mode & S_IFMT == S_IFDIR { return "it is a directory, not a file" }
    guard access(path, R_OK) == 0 else {
        return errno == EACCES ? "permission denied" : String(cString: strerror(errno))
    }
    return nil
}
