import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a child process and turns what it prints into ``Event``s: `synapse-tui run --plugin` (the Python
/// bridge runner) and `synapse-tui run -- CMD ...`.
///
/// - Lines carrying the bridge's marker (`__SYNAPSE_EVENT__ {json}`) are records.
/// - In ``Mode/console`` every other line goes through ``ConsoleLineParser`` (synapse-sdk console output);
///   in ``Mode/bridge`` (the child writes the job log itself) every other line is kept as an `output` event.
/// - `output` events are appended to the job's event log (so the child's own stdout/stderr are never lost),
///   and in ``Mode/console`` every event is (the child writes no log of its own).
/// - A child that ends without a final `run_status` is recorded as `failed` (or `cancelled` when it was
///   interrupted through ``interrupt()`` / ``terminate()``), with how it ended.
public final class ChildProcessRun: @unchecked Sendable {
    /// What the child is, and so what of its output becomes records.
    public enum Mode: Sendable {
        /// The child is the bridge runner: it writes the job log and prints marked lines.
        case bridge
        /// Any command: marked lines and synapse-sdk console lines are understood, the rest is output.
        case console
    }

    /// How the run ended.
    public struct Outcome: Sendable, Hashable {
        /// The run's final status (reported by the child, or recorded here).
        public var status: RunStatus
        /// Why it failed or was cancelled.
        public var error: RunError?
        /// The child's exit status, or `128 + signal` when a signal ended it.
        public var exitStatus: Int32
        /// True when the final status was written here because the child never reported one.
        public var synthesized: Bool

        /// The exit status for `synapse-tui run`: 0 completed, 130 cancelled, 1 otherwise.
        public var commandExitCode: Int32 {
            switch status {
            case .completed: return 0
            case .cancelled: return 130
            default: return 1
            }
        }
    }

    /// The program (a path or a name on `PATH`).
    public let executable: String
    /// Its arguments.
    public let arguments: [String]
    /// Bridge runner or any command.
    public let mode: Mode
    /// The job's event log, or `nil` to write nothing.
    public let eventLogPath: String?
    /// The action named in statuses recorded here.
    public let action: String?
    /// The job id named in statuses recorded here.
    public let jobID: String?

    /// When the child exits 0 without a final status, record `completed` (any command) instead of `failed`
    /// (the bridge runner always reports one). Set before ``start()``.
    public var succeedsOnExitZero = false

    private let environment: [String: String]?
    private var pid: pid_t = 0
    private var reaped = false
    private let sink: @Sendable ([Event]) -> Void
    private let lock = NSLock()
    private var parser: ConsoleLineParser
    private var finalStatus: RunStatusUpdate?
    private var cancelRequested = false
    private var logFD: Int32 = -1
    private let readersDone = DispatchGroup()

    /// - Parameters:
    ///   - executable: a path, or a name looked up on `PATH`.
    ///   - environment: the child's environment (default: this process's).
    ///   - eventLogPath: the job's `events.jsonl` (its folder is created `0700`, the file `0600`).
    ///   - sink: receives events in the order they were read (called from reader threads, serialised).
    public init(executable: String, arguments: [String], environment: [String: String]? = nil,
                mode: Mode, eventLogPath: String?, action: String? = nil,
                jobID: String? = nil, now: @escaping @Sendable () -> Double = { Event.now() },
                sink: @escaping @Sendable ([Event]) -> Void) {
        self.executable = executable
        self.arguments = arguments
        self.mode = mode
        self.eventLogPath = eventLogPath
        self.action = action
        self.jobID = jobID
        self.sink = sink
        var parser = ConsoleLineParser(now: now)
        parser.parsesConsoleLines = mode == .console
        self.parser = parser
        self.environment = environment
    }

    deinit {
        if logFD >= 0 { close(logFD) }
    }

    /// True once a final `run_status` was read (or recorded).
    public var hasFinalStatus: Bool { lock.withLock { finalStatus != nil } }

    /// The child's process id (after ``start()``).
    public var processIdentifier: Int32 { lock.withLock { pid } }

    /// Starts the child and the threads reading its output.
    ///
    /// The child gets an empty signal mask and default signal dispositions (a blocked or ignored SIGINT
    /// would otherwise be inherited from this process and make the child impossible to cancel), stdin from
    /// `/dev/null`, stdout and stderr on pipes.
    public func start() throws {
        guard let path = ChildProcessRun.resolve(executable: executable, environment: environment) else {
            throw RunError(type: "FileNotFoundError", message: "\(executable): command not found")
        }
        try lock.withLock { () throws -> Void in try openLogLocked() }
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            throw RunError(type: "OSError", message: "pipe: \(String(cString: strerror(errno)))")
        }
        for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in 1..<32 where sig != SIGKILL && sig != SIGSTOP { sigaddset(&defaults, Int32(sig)) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var child: pid_t = 0
        let rc = posix_spawn(&child, path, &actions, &attr, &argv, &envp)
        close(outPipe[1])
        close(errPipe[1])
        guard rc == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw RunError(type: "OSError", message: "cannot run \(executable): \(String(cString: strerror(rc)))")
        }
        lock.withLock { pid = child }
        read(outPipe[0], stream: .stdout)
        read(errPipe[0], stream: .stderr)
    }

    /// Delivers events of the caller's own (a `run_status` it announces, say) like the child's: to the sink,
    /// and to the job log under the same rules.
    public func record(_ events: [Event]) {
        lock.withLock { deliver(events) }
    }

    /// Sends SIGINT (the run is recorded as cancelled if the child does not say otherwise).
    public func interrupt() { send(SIGINT) }

    /// Sends SIGTERM (the run is recorded as cancelled if the child does not say otherwise).
    public func terminate() { send(SIGTERM) }

    /// Sends any signal; SIGINT and SIGTERM count as a cancel request.
    public func send(_ signal: Int32) {
        lock.withLock {
            if signal == SIGINT || signal == SIGTERM { cancelRequested = true }
            if pid > 0 && !reaped { kill(pid, signal) }
        }
    }

    /// Waits for the child to exit and its output to be read; records a final status if it gave none.
    public func wait() -> Outcome {
        let child = lock.withLock { pid }
        var status: Int32 = 0
        if child > 0 {
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        }
        lock.withLock { reaped = true }
        readersDone.wait()
        let signalled = status & 0x7F != 0
        let code = signalled ? status & 0x7F : (status >> 8) & 0xFF
        let exitStatus: Int32 = signalled ? 128 + code : code
        return lock.withLock { () -> Outcome in
            deliver(parser.finish())
            if let final = finalStatus {
                return Outcome(status: final.status, error: final.error, exitStatus: exitStatus, synthesized: false)
            }
            if succeedsOnExitZero && !signalled && code == 0 && !cancelRequested {
                let done = RunStatusUpdate(status: .completed, action: action, jobID: jobID)
                let event = Event(payload: .runStatus(done))
                finalStatus = done
                append(event)
                sink([event])
                return Outcome(status: .completed, error: nil, exitStatus: 0, synthesized: true)
            }
            let how = signalled ? "was killed by signal \(code)" : "exited with status \(code)"
            let status: RunStatus = cancelRequested ? .cancelled : .failed
            let error = RunError(type: cancelRequested ? "Cancelled" : "ChildProcessExited",
                                 message: "\(executable) \(how) without reporting a final status")
            let event = Event(level: .error, payload: .runStatus(RunStatusUpdate(
                status: status, action: action, jobID: jobID, error: error)))
            finalStatus = RunStatusUpdate(status: status, action: action, jobID: jobID, error: error)
            append(event)
            sink([event])
            return Outcome(status: status, error: error, exitStatus: exitStatus, synthesized: true)
        }
    }

    // MARK: reading

    private func read(_ fd: Int32, stream: OutputLine.Stream) {
        readersDone.enter()
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                lock.withLock {
                    deliver(parser.feed(buffer[0..<n], stream: stream))
                }
            }
            close(fd)
            readersDone.leave()
        }
        thread.name = "synapse.child.\(stream.rawValue)"
        thread.start()
    }

    /// Called with `lock` held.
    private func deliver(_ events: [Event]) {
        guard !events.isEmpty else { return }
        var events = events
        if mode == .console {
            // console lines (`Result: ...`) know nothing of the job: name it
            for i in events.indices {
                guard case .runStatus(var update) = events[i].payload, update.action == nil || update.jobID == nil else { continue }
                update.action = update.action ?? action
                update.jobID = update.jobID ?? jobID
                events[i].payload = .runStatus(update)
            }
        }
        for event in events {
            if case .runStatus(let update) = event.payload, update.status.isFinal { finalStatus = update }
            switch (mode, event.payload) {
            case (.console, _), (.bridge, .output): append(event)
            default: break
            }
        }
        sink(events)
    }

    /// Called with `lock` held.
    private func openLogLocked() throws {
        guard logFD < 0, let eventLogPath else { return }
        logFD = try ChildProcessRun.openLog(eventLogPath)
    }

    /// Called with `lock` held.
    private func append(_ event: Event) {
        if logFD < 0 { try? openLogLocked() }
        guard logFD >= 0 else { return }
        let line = EventCodec.encodeLine(event)
        line.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(logFD, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
    }

    // MARK: helpers

    static func openLog(_ path: String) throws -> Int32 {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            chmod(folder, 0o700)
        }
        let existed = FileManager.default.fileExists(atPath: path)
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw RunError(type: "OSError", message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        if !existed { fchmod(fd, 0o600) }
        return fd
    }

    /// `executable` itself when it holds a `/`, else the first match on `PATH`.
    public static func resolve(executable: String, environment: [String: String]? = nil) -> String? {
        if executable.contains("/") { return access(executable, X_OK) == 0 ? executable : nil }
        let path = (environment ?? ProcessInfo.processInfo.environment)["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(executable)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
