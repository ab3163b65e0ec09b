import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The process groups of the children running now, where a fatal-signal handler can reach them: when
/// `synapse-tui` itself dies of a signal (SIGUSR1, SIGPIPE, a crash), its children's groups are killed
/// first instead of running on as orphans.
///
/// A fixed table of plain `pid_t` slots, allocated once: the handler only reads slots and calls `kill`,
/// both async-signal-safe.
package enum ChildGroups {
    private static let capacity = 64
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<pid_t> = {
        let pointer = UnsafeMutablePointer<pid_t>.allocate(capacity: capacity)
        pointer.initialize(repeating: 0, count: capacity)
        return pointer
    }()
    private static let lock = NSLock()

    /// Remembers `group` (a running child's process group).
    package static func register(_ group: pid_t) {
        lock.withLock {
            for i in 0..<capacity where slots[i] == 0 {
                slots[i] = group
                return
            }
        }
    }

    /// Forgets `group` (its processes are gone).
    package static func unregister(_ group: pid_t) {
        lock.withLock {
            for i in 0..<capacity where slots[i] == group { slots[i] = 0 }
        }
    }

    /// The groups registered now (tests).
    package static var registered: [pid_t] {
        lock.withLock { (0..<capacity).map { slots[$0] }.filter { $0 != 0 } }
    }

    /// SIGKILL to every registered group. Async-signal-safe: call it from a fatal-signal handler.
    package static func killAllFromSignalHandler() {
        _ = slots  // already initialised by any register
        for i in 0..<capacity {
            let group = slots[i]
            if group > 0 { _ = killpg(group, SIGKILL) }
        }
    }

    /// Signals that end a process by default, besides SIGINT/SIGTERM/SIGHUP (which the CLI turns into a
    /// cancel) and SIGKILL/SIGSTOP (which cannot be caught).
    package static let fatalSignals: [Int32] = {
        var list: [Int32] = [SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT, SIGUSR1, SIGUSR2, SIGALRM,
                             SIGPIPE, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGSYS]
        #if os(Linux)
        list += [SIGIO, SIGPWR, SIGSTKFLT]
        #endif
        return list
    }()

    /// While a child runs without the dashboard: a fatal signal kills the children's groups, then does what
    /// it would have done (one shot: the handler resets itself and raises the signal again).
    package static func installFatalSignalHandlers() {
        _ = slots
        for signal in fatalSignals {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = killChildrenAndReraise
            #else
            action.__sigaction_u.__sa_handler = killChildrenAndReraise
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)
            sigaction(signal, &action, nil)
        }
    }

    /// Puts the default dispositions back.
    package static func uninstallFatalSignalHandlers() {
        for signal in fatalSignals { _ = Glibc_resetSignal(signal) }
    }
}

private func killChildrenAndReraise(_ number: Int32) {
    ChildGroups.killAllFromSignalHandler()
    raise(number)
}

private func Glibc_resetSignal(_ number: Int32) -> sighandler_t? {
    signal(number, SIG_DFL)
}
