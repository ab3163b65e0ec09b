#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynapsePlugins

/// The terminal's settings before curses changed them, and the descriptor to restore them on; read only by
/// the crash handler below (which cannot capture context).
nonisolated(unsafe) private var savedSettings = termios()
nonisolated(unsafe) private var savedFD: Int32 = -1
/// The handlers in place before ours (a child run's own), put back by `uninstall`.
nonisolated(unsafe) private var previousActions: [Int32: sigaction] = [:]

/// Leaves the terminal usable even when the process crashes while curses owns it.
///
/// `endwin()` is not safe inside a signal handler, but restoring the saved `termios` and writing a few
/// escape sequences is: on SIGSEGV, SIGBUS, SIGILL, SIGTRAP (a Swift runtime trap), SIGFPE or SIGABRT — and
/// on every other signal whose default is to end the process and that ``SignalPipe`` does not turn into a
/// clean quit (SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGSYS, SIGIO,
/// SIGPWR, SIGSTKFLT) — the handler puts line mode and echo back, leaves the alternate screen, stops mouse
/// reporting, shows the cursor, kills the process groups of running children (``ChildGroups``), and then
/// lets the signal do what it would have done (a core dump, an exit status).
enum CrashRestore {
    static let signals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT] + fatalByDefault

    /// Signals that end a process by default without being a crash (SIGKILL and SIGSTOP cannot be caught).
    static let fatalByDefault: [Int32] = {
        var list: [Int32] = [SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGSYS]
        #if os(Linux)
        list += [SIGIO, SIGPWR, SIGSTKFLT]
        #endif
        return list
    }()

    /// Saves the settings of `fd` (before curses starts) and installs the handlers.
    static func install(fd: Int32) {
        guard tcgetattr(fd, &savedSettings) == 0 else { return }
        savedFD = fd
        for signal in signals {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = restoreAndReraise
            #else
            action.__sigaction_u.__sa_handler = restoreAndReraise
            #endif
            sigemptyset(&action.sa_mask)
            // One shot: the handler's own raise() then gets the default action.
            action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)
            var previous = sigaction()
            sigaction(signal, &action, &previous)
            previousActions[signal] = previous
        }
    }

    /// Removes the handlers (the terminal is restored the normal way).
    static func uninstall() {
        for signal in signals {
            if var previous = previousActions[signal] {
                sigaction(signal, &previous, nil)
            } else {
                _ = Glibc_signal(signal)
            }
        }
        previousActions = [:]
        savedFD = -1
    }
}

/// Async-signal-safe: only `tcsetattr`, `write` and `raise`.
private func restoreAndReraise(_ number: Int32) {
    if savedFD >= 0 {
        _ = tcsetattr(savedFD, TCSANOW, &savedSettings)
        let reset: StaticString = "\u{1B}[0m\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1006l\u{1B}[?1049l\u{1B}[?25h\r\n"
        _ = write(savedFD, reset.utf8Start, reset.utf8CodeUnitCount)
    }
    ChildGroups.killAllFromSignalHandler()
    raise(number)
}

private func Glibc_signal(_ number: Int32) -> sighandler_t? {
    signal(number, SIG_DFL)
}
