#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A non-blocking pipe used only to wake a thread that sleeps in `poll()`.
///
/// Writers put one byte in to say "look again"; the sleeper polls ``readFD`` and calls ``clear()`` before
/// it looks, so a wake-up that races with the look is never lost (at worst it wakes once for nothing).
package final class WakePipe: @unchecked Sendable {
    /// The end to give to `poll()` (readable when a wake-up is pending).
    package let readFD: Int32
    /// The end written by ``wake()``; also safe to write from a signal handler.
    package let writeFD: Int32

    /// Opens the pipe (both ends non-blocking and close-on-exec).
    package init() throws {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw SystemCallError("pipe", errno) }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    /// Wakes the sleeper. Never blocks: when the pipe is full a wake-up is already pending.
    @inline(__always)
    package func wake() {
        var byte: UInt8 = 1
        _ = write(writeFD, &byte, 1)
    }

    /// Discards pending wake-ups; call before looking at what the wake-up was about.
    package func clear() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(readFD, &buffer, buffer.count) > 0 {}
    }
}

/// A failed system call: its name and `errno`.
package struct SystemCallError: Error, Sendable, CustomStringConvertible {
    /// The call that failed (`pipe`, `inotify_init1`, ...).
    package var call: String
    /// Its `errno`.
    package var code: Int32

    /// The failure of `call` with `errno` `code`.
    package init(_ call: String, _ code: Int32) {
        self.call = call
        self.code = code
    }

    /// The call and the system's message for the error.
    package var description: String { "\(call): \(String(cString: strerror(code)))" }
}
