import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The thread a file follower runs on, and the way to stop it: shared by ``EventLogTailer`` (event logs)
/// and ``ConsoleFileTailer`` (console captures), which differ only in how they read.
final class FollowerThread: @unchecked Sendable {
    private let name: String
    private let stopPipe: WakePipe
    private let stateLock = NSLock()
    private var stopping = false
    private var started = false
    private let exited = DispatchSemaphore(value: 0)

    init(name: String) throws {
        self.name = name
        self.stopPipe = try WakePipe()
    }

    /// Runs `body` on a new thread. Calling it twice does nothing.
    func start(_ body: @escaping @Sendable () -> Void) {
        let shouldStart = stateLock.withLock { () -> Bool in
            defer { started = true }
            return !started
        }
        guard shouldStart else { return }
        let thread = Thread { [self] in
            body()
            exited.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Asks the body to return and waits until it has (nothing is pushed after this returns).
    func stop() {
        let wasRunning = stateLock.withLock { () -> Bool in
            let running = started && !stopping
            stopping = true
            return running
        }
        guard wasRunning else { return }
        stopPipe.wake()
        exited.wait()
    }

    /// `true` once ``stop()`` was called: the body's loop checks it.
    var isStopping: Bool { stateLock.withLock { stopping } }

    /// Sleeps until `fd` (a pipe or a device being read) has something to read or was closed by its writer,
    /// ``stop()`` is called, or `heartbeat` seconds pass.
    func sleep(readable fd: Int32, heartbeat: Double) {
        var fds = [pollfd(fd: stopPipe.readFD, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, nfds_t(fds.count), Int32(heartbeat * 1000))
    }

    /// Sleeps until the watched folder changes, ``stop()`` is called, or `heartbeat` seconds pass (sooner
    /// while the folder cannot be watched yet, since it may appear at any moment).
    func sleep(watching watch: FolderWatch, heartbeat: Double) {
        let timeout = watch.isWatching ? heartbeat : min(heartbeat, 0.25)
        var fds = [pollfd(fd: stopPipe.readFD, events: Int16(POLLIN), revents: 0)]
        if watch.fd >= 0 { fds.append(pollfd(fd: watch.fd, events: Int16(POLLIN), revents: 0)) }
        _ = poll(&fds, nfds_t(fds.count), Int32(timeout * 1000))
        if fds.count > 1, fds[1].revents != 0 { watch.consume() }
    }
}
