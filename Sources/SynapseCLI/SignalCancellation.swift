import Foundation
import SynapsePlugins

/// Turns SIGINT and SIGTERM (and any other `signals` given) into a cancelled run while a run is in progress.
///
/// The first signal cancels the run (the action's task is cancelled, or a child's process group is asked to
/// stop; the runner records `cancelled`, flushes, and `run` exits 130). A second signal means the run
/// ignores cancellation: `beforeForcedExit` runs, then the process exits 130 at once, after flushing what
/// the log has buffered — or, with `exitOnSignal: 3`, only at the third (a child run kills its group at the
/// second and still writes its final status).
final class SignalCancellation: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []
    private let lock = NSLock()
    private var received = 0  // guarded by lock
    private let signals: [Int32]

    /// Starts watching; `onSignal` runs once, on the first signal; `beforeForcedExit` on every later one, and
    /// the process exits at signal number `exitOnSignal`.
    init(signals: [Int32] = [SIGINT, SIGTERM], exitOnSignal: Int = 2,
         onSignal: @escaping @Sendable (Int32) -> Void, beforeForcedExit: @escaping @Sendable () -> Void) {
        self.signals = signals
        for number in signals {
            signal(number, SIG_IGN)  // let the dispatch source see it instead of the default handler
            let source = DispatchSource.makeSignalSource(signal: number, queue: DispatchQueue.global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                let count = self.lock.withLock { () -> Int in self.received += 1; return self.received }
                if count == 1 {
                    onSignal(number)
                } else {
                    beforeForcedExit()
                    if count >= exitOnSignal { exit(RunExitCode.cancelled) }
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Why a run was cancelled, as the user reads it in the run's error: "cancelled by SIGINT (Ctrl-C)".
    static func reason(for signal: Int32) -> String {
        switch signal {
        case SIGINT: return "cancelled by SIGINT (Ctrl-C)"
        case SIGTERM: return "cancelled by SIGTERM"
        case SIGHUP: return "cancelled by SIGHUP"
        default: return "cancelled by signal \(signal)"
        }
    }

    /// Stops watching and restores the default signal handlers.
    func stop() {
        for source in sources { source.cancel() }
        sources.removeAll()
        for number in signals { signal(number, SIG_DFL) }
    }
}

/// Notices when the reader of a piped standard output or error went away (`run --headless | head`), so a
/// headless run is cancelled and recorded as such instead of dying of SIGPIPE at its next line.
///
/// Polled, not waited on: a quiet run writes nothing for a long time, yet a pipe whose reader is gone
/// reports POLLERR (a terminal that hung up, POLLHUP) at once. The caller ignores SIGPIPE meanwhile.
final class BrokenOutputWatch: @unchecked Sendable {
    private let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
    private let lock = NSLock()
    private var fired = false  // guarded by lock

    /// Checks `fds` every `interval` seconds; `onBroken` runs once, with the first fd found broken.
    init(fds: [Int32] = [STDOUT_FILENO, STDERR_FILENO], interval: Double = 0.25,
         onBroken: @escaping @Sendable (Int32) -> Void) {
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            var polled = fds.map { pollfd(fd: $0, events: 0, revents: 0) }
            guard poll(&polled, nfds_t(polled.count), 0) > 0,
                  let broken = polled.first(where: { $0.revents & Int16(POLLERR | POLLHUP) != 0 }) else { return }
            guard self.lock.withLock({ () -> Bool in defer { self.fired = true }; return !self.fired }) else { return }
            self.timer.cancel()
            onBroken(broken.fd)
        }
        timer.resume()
    }

    /// What the run's error says: "cancelled: standard output closed (broken pipe)".
    static func reason(for fd: Int32) -> String {
        "cancelled: standard \(fd == STDERR_FILENO ? "error" : "output") closed (broken pipe)"
    }

    func stop() { timer.cancel() }
}
