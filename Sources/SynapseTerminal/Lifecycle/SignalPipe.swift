#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynapsePlugins

/// The write end the signal handler uses. A C signal handler cannot capture context, and `write` on a
/// descriptor is one of the few things that are safe inside one.
nonisolated(unsafe) private var signalWriteFD: Int32 = -1

/// Turns SIGINT, SIGTERM, SIGHUP and SIGQUIT into bytes on a pipe the UI thread polls (the self-pipe trick).
///
/// SIGQUIT (Ctrl-\) quits like SIGTERM: without a handler the Swift runtime's backtracer would print a
/// backtrace over the dashboard.
///
/// Nothing happens inside the handler but one `write`; the UI thread sees the pipe readable, restores the
/// terminal and lets the run record `cancelled`. Install it *before* curses starts: ncurses only installs
/// its own SIGINT/SIGTERM handlers when none is installed, and those would end the process on its own.
package final class SignalPipe: @unchecked Sendable {
    private let pipe: WakePipe
    /// The handlers in place before ours (a child run's fatal-signal handler for SIGQUIT), put back by
    /// ``uninstall()``.
    private var previous: [Int32: sigaction] = [:]
    /// The signals handled.
    package static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// Installs the handlers. Only one `SignalPipe` may be alive at a time.
    package init() throws {
        pipe = try WakePipe()
        signalWriteFD = pipe.writeFD
        for signal in Self.signals {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(signalWriteFD, &byte, 1)
            }
            #else
            action.__sigaction_u.__sa_handler = { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(signalWriteFD, &byte, 1)
            }
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            var old = sigaction()
            sigaction(signal, &action, &old)
            previous[signal] = old
        }
    }

    /// Restores the handlers from before (the defaults, unless someone had set others), after the terminal
    /// is restored, so a second Ctrl-C ends the process.
    package func uninstall() {
        for signal in Self.signals {
            if var old = previous[signal] {
                sigaction(signal, &old, nil)
            } else {
                Glibc_signal(signal)
            }
        }
        signalWriteFD = -1
    }

    /// The descriptor to poll: readable once a signal arrived.
    package var fd: Int32 { pipe.readFD }

    /// The signals received since the last call, oldest first.
    package func take() -> [Int32] {
        var buffer = [UInt8](repeating: 0, count: 64)
        var received: [Int32] = []
        while true {
            let n = read(pipe.readFD, &buffer, buffer.count)
            guard n > 0 else { return received }
            received += buffer[0..<n].map { Int32($0) }
        }
    }
}

private func Glibc_signal(_ number: Int32) {
    _ = signal(number, SIG_DFL)
}
