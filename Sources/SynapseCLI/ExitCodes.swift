import ArgumentParser
import Foundation
import SynapsePlugins

/// The exit codes of `synapse-tui run`, so scripts can tell outcomes apart.
///
/// | code | meaning |
/// |---|---|
/// | 0 | the run completed |
/// | 1 | the run failed (an action threw) |
/// | 2 | invalid params, an unknown action or an unreadable `--params`/`--checkpoint`; nothing ran |
/// | 3 | the job could not be created (unwritable `SYNAPSE_HOME`, say) |
/// | 4 | the run ended but its job log is incomplete: records could not be written (a full disk) |
/// | 5 | the run ended but what it printed was lost: standard output or error could not be written |
/// | 64 | bad command-line usage (argument parser) |
/// | 130 | the run was cancelled (Ctrl-C, SIGTERM, or a second signal forcing exit) |
package enum RunExitCode {
    /// The run completed.
    package static let completed: Int32 = 0
    /// An action threw.
    package static let failed: Int32 = 1
    /// Invalid params, an unknown action or unreadable input; nothing ran.
    package static let invalidInput: Int32 = 2
    /// The job folder or its log could not be created.
    package static let jobNotCreated: Int32 = 3
    /// The run ended, but records could not be written to its job log (a full disk): the log is incomplete.
    package static let logIncomplete: Int32 = 4
    /// The run ended, but standard output or standard error could not be written (`/dev/full`, a closed pipe).
    package static let outputLost: Int32 = 5

    /// Says on stderr, and by exiting with ``logIncomplete``, that the run's job log lacks records.
    static func checkLog(of handle: RunHandle) throws {
        guard let log = handle.jobLog else { return }
        let missing = log.recordsNotWritten
        guard missing > 0 else { return }
        let reason = String(cString: strerror(log.writeFailures.lastErrno))
        Console.error("the job log is incomplete: \(missing) records could not be written (\(reason))")
        throw ExitCode(logIncomplete)
    }
    /// The run was cancelled (128 + SIGINT, as shells report an interrupted command).
    package static let cancelled: Int32 = 130

    /// The exit code for a run's outcome.
    package static func code(for outcome: RunOutcome) -> Int32 {
        switch outcome.status {
        case .completed: return completed
        case .cancelled: return cancelled
        case .pending, .running, .failed:
            switch outcome.failure {
            case .invalidParams?, .unknownAction?: return invalidInput
            case .cancelled?: return cancelled
            case .actionError?, nil: return failed
            }
        }
    }
}
