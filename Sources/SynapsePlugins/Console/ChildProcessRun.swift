import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a child process and turns what it prints into ``Event``s: `synapse-tui run --plugin` (the Python
/// bridge runner) and `synapse-tui run -- CMD ...`.
///
/// - Records travel on a channel of their own: a pipe the child finds on descriptor 3
///   (`SYNAPSE_EVENT_FD=3`; the bridge writes one JSON record per line there). Nothing the child prints on
///   stdout/stderr is a record, however it looks (a printed `__SYNAPSE_EVENT__ {...}` is output).
/// - In ``Mode/console`` stdout/stderr lines go through ``ConsoleLineParser`` (synapse-sdk console output);
///   in ``Mode/bridge`` every line is kept as an `output` event.
/// - In ``Mode/bridge`` the records from the record descriptor are appended to the job log as they came
///   (the bridge sends them there only), one `write(2)` per chunk read.
/// - `output` events are appended to the job's event log (so the child's own stdout/stderr are never lost),
///   and in ``Mode/console`` every event is (the child writes no log of its own): the live view and the log
///   hold the same events.
/// - The child runs in a process group of its own. ``cancel()`` signals the whole group (SIGINT, SIGTERM to
///   the others at once and to the child after half the grace period) and kills it (SIGKILL) once
///   ``gracePeriod`` has passed. Whatever the group still holds when the child exits is stopped the same
///   way, and reading stops once the group is gone: a process that left the group (a daemon) and still
///   holds the pipes is never waited for.
/// - The outcome follows the exit status: a child that exits non-zero (or is killed) is never `completed`,
///   whatever it said; one that ends without a final status is recorded `failed` (or `cancelled` when it
///   was cancelled), with how it ended.
package final class ChildProcessRun: @unchecked Sendable {
    /// What the child is, and so what of its output becomes records.
    package enum Mode: Sendable {
        /// The child is the bridge runner: it sends its records on the record descriptor, and they are
        /// written to the job log here as they came (it writes the log itself only if that pipe breaks).
        case bridge
        /// Any command: records on the record descriptor and synapse-sdk console lines are understood, the
        /// rest is output.
        case console
    }

    /// How the run ended.
    package struct Outcome: Sendable, Hashable {
        /// The run's final status (reported by the child, or recorded here).
        package var status: RunStatus
        /// Why it failed or was cancelled.
        package var error: RunError?
        /// The child's exit status, or `128 + signal` when a signal ended it.
        package var exitStatus: Int32
        /// True when the final status was written here because the child never reported one (or reported
        /// one its exit status contradicts).
        package var synthesized: Bool
        /// True when the child (or what it left running) had to be killed with SIGKILL after the grace period.
        package var killed = false

        /// The exit status for `synapse-tui run`: 0 completed, 130 cancelled, 1 otherwise.
        package var commandExitCode: Int32 {
            switch status {
            case .completed: return 0
            case .cancelled: return 130
            default: return 1
            }
        }
    }

    /// Where a cancel stands, for a countdown on screen.
    package struct Stopping: Sendable, Hashable {
        /// When (``Event/now()`` clock) SIGKILL is sent to what is still running.
        package var killAt: Double
        /// True once SIGKILL was sent.
        package var killed: Bool
    }

    /// The descriptor the child finds its record pipe on (announced in `SYNAPSE_EVENT_FD`).
    package static let eventDescriptor: Int32 = 3
    /// The environment variable naming ``eventDescriptor`` for the bridge.
    package static let eventDescriptorEnvironmentKey = "SYNAPSE_EVENT_FD"
    /// The default time between a cancel and SIGKILL.
    package static let defaultGracePeriod = 5.0

    /// The program (a path or a name on `PATH`).
    package let executable: String
    /// Its arguments.
    package let arguments: [String]
    /// Bridge runner or any command.
    package let mode: Mode
    /// The job's event log, or `nil` to write nothing.
    package let eventLogPath: String?
    /// The action named in statuses recorded here.
    package let action: String?
    /// The job id named in statuses recorded here.
    package let jobID: String?

    /// When the child exits 0 without a final status, record `completed` (any command) instead of `failed`
    /// (the bridge runner always reports one). Set before ``start()``.
    package var succeedsOnExitZero = false
    /// Seconds from a cancel (or from the child's exit, for what it left running) to SIGKILL. Set before
    /// ``start()``.
    package var gracePeriod = ChildProcessRun.defaultGracePeriod

    private let environment: [String: String]?
    private var pid: pid_t = 0
    private var reaped = false
    private let sink: @Sendable ([Event]) -> Void
    private let lock = NSLock()
    private var parser: ConsoleLineParser
    private var records = RecordLineSplitter()
    private var finalStatus: RunStatusUpdate?
    private var cancelRequested = false
    private var cancelReason: String?  // guarded by lock; the first one given
    private var stopping: Stopping?
    private var killedAfterGrace = false
    /// How the group came to be killed, for the final status ("did not stop within 5 s of the cancel").
    private var killNote: String?
    private var logFD: Int32 = -1
    private var stopReadFD: Int32 = -1
    private var stopWriteFD: Int32 = -1
    private let readersDone = DispatchGroup()

    /// - Parameters:
    ///   - executable: a path, or a name looked up on `PATH`.
    ///   - environment: the child's environment (default: this process's).
    ///   - eventLogPath: the job's `events.jsonl` (its folder is created `0700`, the file `0600`).
    ///   - sink: receives events in the order they were read (called from reader threads, serialised).
    package init(executable: String, arguments: [String], environment: [String: String]? = nil,
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
        parser.markedLines = .none  // records come on the record descriptor only
        self.parser = parser
        self.environment = environment
    }

    deinit {
        for fd in [logFD, stopReadFD, stopWriteFD] where fd >= 0 { close(fd) }
    }

    /// True once a final `run_status` was read (or recorded).
    package var hasFinalStatus: Bool { lock.withLock { finalStatus != nil } }

    /// The child's process id (after ``start()``); also its process group's id.
    package var processIdentifier: Int32 { lock.withLock { pid } }

    /// Where a cancel stands (`nil` before one, and once the child and its group are gone).
    package var stopState: Stopping? { lock.withLock { reaped ? nil : stopping } }

    /// Starts the child and the threads reading its output.
    ///
    /// The child gets a process group of its own, an empty signal mask and default signal dispositions (a
    /// blocked or ignored SIGINT would otherwise be inherited from this process and make the child
    /// impossible to cancel), stdin from `/dev/null`, stdout and stderr on pipes, and the record pipe on
    /// descriptor 3.
    package func start() throws {
        let path = try ChildProcessRun.locate(executable: executable, environment: environment)
        try lock.withLock { () throws -> Void in try openLogLocked() }
        var stop: [Int32] = [-1, -1]
        guard pipe(&stop) == 0 else { throw RunError(type: "OSError", message: "pipe: \(String(cString: strerror(errno)))") }
        for fd in stop { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        lock.withLock { (stopReadFD, stopWriteFD) = (stop[0], stop[1]) }
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1], eventPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0, pipe(&eventPipe) == 0 else {
            throw RunError(type: "OSError", message: "pipe: \(String(cString: strerror(errno)))")
        }
        for fd in outPipe + errPipe + eventPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        // The record pipe's write end moves above the standard descriptors first, so dup2 onto 3 is never a
        // no-op that would leave it close-on-exec.
        let eventWrite = fcntl(eventPipe[1], F_DUPFD_CLOEXEC, 10)
        close(eventPipe[1])
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        posix_spawn_file_actions_adddup2(&actions, eventWrite, ChildProcessRun.eventDescriptor)
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
        // A group of its own: a cancel reaches every process the child started, not the child alone.
        posix_spawnattr_setpgroup(&attr, 0)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        var childEnvironment = environment ?? ProcessInfo.processInfo.environment
        childEnvironment[ChildProcessRun.eventDescriptorEnvironmentKey] = String(ChildProcessRun.eventDescriptor)
        let env = childEnvironment.map { "\($0.key)=\($0.value)" }
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
        close(eventWrite)
        guard rc == 0 else {
            for fd in [outPipe[0], errPipe[0], eventPipe[0]] { close(fd) }
            throw RunError(type: "OSError", message: "cannot run \(executable): \(String(cString: strerror(rc)))")
        }
        lock.withLock { pid = child }
        ChildGroups.register(child)
        read(outPipe[0], name: "stdout") { [self] bytes in deliver(parser.feed(bytes, stream: .stdout)) }
        read(errPipe[0], name: "stderr") { [self] bytes in deliver(parser.feed(bytes, stream: .stderr)) }
        read(eventPipe[0], name: "events") { [self] bytes in
            // The bridge sends its records here only (one channel): they reach the job log from here,
            // byte for byte as sent, one write per chunk read.
            let (events, lines) = records.feed(bytes, keepingLines: mode == .bridge)
            appendLines(lines)
            deliver(events)
        }
    }

    /// Starts the child as ``start()`` does; a child that cannot start is recorded `failed` (in the job log
    /// and to the sink, like the child's own status) and the reason is returned.
    package func startRecordingFailure() -> RunError? {
        do {
            try start()
            return nil
        } catch {
            let failure = RunError(error)
            record([Event(level: .error, payload: .runStatus(RunStatusUpdate(status: .failed, action: action, jobID: jobID, error: failure)))])
            return failure
        }
    }

    /// Delivers events of the caller's own (a `run_status` it announces, say) like the child's: to the sink,
    /// and to the job log under the same rules.
    package func record(_ events: [Event]) {
        lock.withLock { deliver(events) }
    }

    /// Cancels the run: SIGINT to the child's whole process group, SIGTERM to the rest of the group at
    /// once (a background process of a non-interactive shell ignores SIGINT) and to the child after half
    /// ``gracePeriod``, SIGKILL to whatever is left after ``gracePeriod``. Calling it again does nothing.
    /// `reason` ("cancelled by SIGTERM") leads the recorded error when the child ends without its own status.
    package func cancel(reason: String? = nil) {
        lock.withLock {
            cancelRequested = true
            if cancelReason == nil { cancelReason = reason }
            guard stopping == nil, pid > 0, !reaped else { return }
            beginStoppingLocked(leaderFirst: SIGINT)
        }
    }

    /// The same as ``cancel()`` (Ctrl-C).
    package func interrupt() { cancel() }

    /// The same as ``cancel()`` (SIGTERM).
    package func terminate() { cancel() }

    /// Kills the child's whole process group at once (SIGKILL): a second Ctrl-C.
    package func kill(reason: String? = nil) {
        lock.withLock {
            cancelRequested = true
            if cancelReason == nil { cancelReason = reason }
            guard pid > 0, !reaped else { return }
            if stopping == nil { stopping = Stopping(killAt: Event.now(), killed: false) }
            killedAfterGrace = true
            if killNote == nil { killNote = "was killed (SIGKILL) when the cancel was repeated" }
            killGroupLocked()
        }
    }

    /// Sends any signal to the child's process group; SIGINT and SIGTERM count as a cancel request.
    package func send(_ signal: Int32) {
        lock.withLock {
            if signal == SIGINT || signal == SIGTERM { cancelRequested = true }
            if pid > 0, !ChildProcessRun.liveMembers(ofGroup: pid).isEmpty { _ = killpg(pid, signal) }
        }
    }

    /// Waits for the child to exit, for what it left in its group to stop (stopping it after the grace
    /// period) and for its output to be read; records a final status if it gave none or its exit status
    /// contradicts it.
    package func wait() -> Outcome {
        let child = lock.withLock { pid }
        var status: Int32 = 0
        if child > 0 {
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        }
        let signalled = status & 0x7F != 0
        let code = signalled ? status & 0x7F : (status >> 8) & 0xFF
        let exitStatus: Int32 = signalled ? 128 + code : code
        let leftovers = child > 0 ? stopLeftovers(of: child) : 0
        if child > 0 { ChildGroups.unregister(child) }
        lock.withLock { reaped = true }
        // The group is gone: what is still in the pipes is read, then reading stops even if a process that
        // left the group holds them open.
        let stopFD = lock.withLock { stopWriteFD }
        if stopFD >= 0 { var byte: UInt8 = 1; _ = Glibc.write(stopFD, &byte, 1) }
        readersDone.wait()
        return lock.withLock { () -> Outcome in
            deliver(parser.finish())
            if leftovers > 0 {
                let text = "\(leftovers) process\(leftovers == 1 ? "" : "es") the run left running "
                    + (killedAfterGrace ? "ignored SIGTERM and \(leftovers == 1 ? "was" : "were") killed (SIGKILL)"
                                        : "\(leftovers == 1 ? "was" : "were") stopped")
                appendAndShow(Event(level: .warning, payload: .message(Message(content: text, key: "CHILD_LEFTOVERS"))))
            }
            let exitedCleanly = !signalled && code == 0
            let how = signalled ? "was killed by signal \(code)" : "exited with status \(code)"
            if let final = finalStatus, final.status != .completed || exitedCleanly {
                return Outcome(status: final.status, error: final.error, exitStatus: exitStatus, synthesized: false,
                               killed: killedAfterGrace)
            }
            if finalStatus == nil && succeedsOnExitZero && exitedCleanly && !cancelRequested {
                let done = RunStatusUpdate(status: .completed, action: action, jobID: jobID)
                finalStatus = done
                appendAndShow(Event(payload: .runStatus(done)))
                return Outcome(status: .completed, error: nil, exitStatus: 0, synthesized: true)
            }
            let status: RunStatus = cancelRequested ? .cancelled : .failed
            var error: RunError
            // The child itself dying of our SIGKILL is the story even when a straggler of its group was
            // still on its way out when the group was looked at.
            let killedByUs = leftovers == 0 || (signalled && code == SIGKILL)
            if killedAfterGrace && cancelRequested && killedByUs, let killNote {
                error = RunError(type: "Killed", message: "\((executable as NSString).lastPathComponent) \(killNote)")
            } else if finalStatus?.status == .completed {
                // A `completed` the exit status contradicts (printed by the plugin itself, or a crash after it).
                error = RunError(type: cancelRequested ? "Cancelled" : "ChildProcessExited",
                                 message: "\(executable) \(how) after reporting completed")
            } else {
                error = RunError(type: cancelRequested ? "Cancelled" : "ChildProcessExited",
                                 message: "\(executable) \(how) without reporting a final status")
            }
            if cancelRequested, let cancelReason { error.message = "\(cancelReason): \(error.message)" }
            let update = RunStatusUpdate(status: status, action: action, jobID: jobID, error: error)
            finalStatus = update
            appendAndShow(Event(level: .error, payload: .runStatus(update)))
            return Outcome(status: status, error: error, exitStatus: exitStatus, synthesized: true, killed: killedAfterGrace)
        }
    }

    // MARK: stopping

    /// Called with `lock` held: the first signals of a cancel, and the escalation timers.
    private func beginStoppingLocked(leaderFirst: Int32) {
        let start = Event.now()
        stopping = Stopping(killAt: start + gracePeriod, killed: false)
        let group = pid
        _ = killpg(group, leaderFirst)
        for member in ChildProcessRun.liveMembers(ofGroup: group) where member != group { Glibc.kill(member, SIGTERM) }
        let queue = DispatchQueue.global()
        queue.asyncAfter(deadline: .now() + gracePeriod / 2) { [self] in
            lock.withLock {
                guard !reaped, !(stopping?.killed ?? true) else { return }
                if !ChildProcessRun.liveMembers(ofGroup: group).isEmpty { _ = killpg(group, SIGTERM) }
            }
        }
        queue.asyncAfter(deadline: .now() + gracePeriod) { [self] in
            lock.withLock {
                guard !reaped, !(stopping?.killed ?? true) else { return }
                if !ChildProcessRun.liveMembers(ofGroup: group).isEmpty {
                    killedAfterGrace = true
                    killNote = "did not stop within \(Self.seconds(gracePeriod)) of the cancel and was killed (SIGKILL)"
                    killGroupLocked()
                }
            }
        }
    }

    /// Called with `lock` held.
    private func killGroupLocked() {
        stopping?.killed = true
        if !ChildProcessRun.liveMembers(ofGroup: pid).isEmpty { _ = killpg(pid, SIGKILL) }
    }

    /// After the child exited: stops what is still running in its group (SIGTERM, SIGKILL after the grace
    /// period, or at the cancel's own deadline) and waits until the group is empty. Returns how many
    /// processes were left.
    private func stopLeftovers(of group: pid_t) -> Int {
        let left = ChildProcessRun.liveMembers(ofGroup: group)
        guard !left.isEmpty else { return 0 }
        lock.withLock {
            if stopping == nil {
                stopping = Stopping(killAt: Event.now() + gracePeriod, killed: false)
            }
            if stopping?.killed != true { _ = killpg(group, SIGTERM) }
        }
        while true {
            let (killAt, killed) = lock.withLock { (stopping?.killAt ?? 0, stopping?.killed ?? false) }
            if ChildProcessRun.liveMembers(ofGroup: group).isEmpty { return left.count }
            if !killed && Event.now() >= killAt {
                lock.withLock {
                    killedAfterGrace = true
                    killGroupLocked()
                }
            }
            usleep(20_000)
        }
    }

    /// Processes (not zombies) whose process group is `group`, from `/proc`.
    package static func liveMembers(ofGroup group: pid_t) -> [pid_t] {
        guard group > 0 else { return [] }
        #if os(Linux)
        guard let dir = opendir("/proc") else { return [] }
        defer { closedir(dir) }
        var members: [pid_t] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard let pid = pid_t(name) else { continue }
            let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            close(fd)
            guard n > 0 else { continue }
            // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so read after the last ')'.
            let bytes = buffer[0..<n]
            guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { continue }
            let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " "), maxSplits: 4)
            guard fields.count >= 3, let state = fields[0].first,
                  let pgrp = Int32(String(decoding: fields[2], as: UTF8.self)) else { continue }
            if pgrp == group && state != UInt8(ascii: "Z") && state != UInt8(ascii: "X") { members.append(pid) }
        }
        return members
        #else
        return killpg(group, 0) == 0 ? [group] : []
        #endif
    }

    // MARK: reading

    /// Reads `fd` on a thread of its own until end of file, or until the stop pipe says the child's group is
    /// gone (then what is already in the pipe is read and the rest left alone).
    private func read(_ fd: Int32, name: String, handle: @escaping @Sendable ([UInt8]) -> Void) {
        readersDone.enter()
        let stop = lock.withLock { stopReadFD }
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            // Once stopped: what is already in the pipe, and at most this much more (a runaway writer
            // outside the group must not keep us reading).
            var drainBudget = -1
            while true {
                if drainBudget < 0 {
                    var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                               pollfd(fd: stop, events: Int16(POLLIN), revents: 0)]
                    if poll(&fds, 2, -1) < 0 { if errno == EINTR { continue }; break }
                    if fds[1].revents != 0 {
                        drainBudget = 4 << 20
                        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                    }
                } else if drainBudget == 0 {
                    break
                }
                let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                if drainBudget > 0 { drainBudget = max(0, drainBudget - n) }
                let chunk = Array(buffer[0..<n])
                lock.withLock { handle(chunk) }
            }
            close(fd)
            readersDone.leave()
        }
        thread.name = "synapse.child.\(name)"
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
            case (.bridge, .message(let message)) where message.key == RecordLineSplitter.unreadableKey: append(event)
            default: break
            }
        }
        sink(events)
    }

    /// Called with `lock` held: an event of our own, to the log and the screen alike.
    private func appendAndShow(_ event: Event) {
        append(event)
        sink([event])
    }

    /// Called with `lock` held.
    private func openLogLocked() throws {
        guard logFD < 0, let eventLogPath else { return }
        logFD = try ChildProcessRun.openLog(eventLogPath)
    }

    /// Called with `lock` held.
    private func append(_ event: Event) {
        appendLines(EventCodec.encodeLine(event))
    }

    /// Called with `lock` held: whole lines, written with one `write(2)` (looping only on a short write).
    private func appendLines<Bytes: ContiguousBytes & Collection>(_ lines: Bytes) {
        guard !lines.isEmpty else { return }
        if logFD < 0 { try? openLogLocked() }
        guard logFD >= 0 else { return }
        lines.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(logFD, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
    }

    // MARK: helpers

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

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
    package static func resolve(executable: String, environment: [String: String]? = nil) -> String? {
        try? locate(executable: executable, environment: environment)
    }

    /// Like ``resolve(executable:environment:)``, but says why nothing runs: no such file, a file that is
    /// not executable, a folder.
    package static func locate(executable: String, environment: [String: String]? = nil) throws(RunError) -> String {
        func check(_ path: String) -> RunError? {
            var info = stat()
            guard stat(path, &info) == 0 else { return RunError(type: "FileNotFoundError", message: "\(executable): command not found") }
            if info.st_mode & S_IFMT == S_IFDIR { return RunError(type: "PermissionError", message: "\(executable): is a directory") }
            if access(path, X_OK) != 0 { return RunError(type: "PermissionError", message: "\(executable): permission denied (not executable)") }
            return nil
        }
        if executable.contains("/") {
            if let error = check(executable) { throw error }
            return executable
        }
        let path = (environment ?? ProcessInfo.processInfo.environment)["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        var firstProblem: RunError?
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(executable)"
            guard let problem = check(candidate) else { return candidate }
            if problem.type != "FileNotFoundError" && firstProblem == nil { firstProblem = problem }
        }
        throw firstProblem ?? RunError(type: "FileNotFoundError", message: "\(executable): command not found")
    }
}

/// Splits what arrives on the record descriptor into lines, each one event-log record.
struct RecordLineSplitter {
    private var partial: [UInt8] = []
    private var skipping = false

    mutating func feed(_ bytes: [UInt8]) -> [Event] {
        feed(bytes, keepingLines: false).events
    }

    /// The records completed by `bytes`, and (`keepingLines`) each readable one's line with its newline,
    /// as it came.
    mutating func feed(_ bytes: [UInt8], keepingLines: Bool) -> (events: [Event], lines: [UInt8]) {
        var events: [Event] = []
        var lines: [UInt8] = []
        for byte in bytes {
            if byte == 0x0A {
                if !skipping, !partial.isEmpty {
                    let event = Self.decode(partial)
                    if keepingLines, !Self.isUnreadable(event) {
                        lines.append(contentsOf: partial)
                        lines.append(0x0A)
                    }
                    events.append(event)
                }
                partial.removeAll(keepingCapacity: true)
                skipping = false
            } else if !skipping {
                partial.append(byte)
                if partial.count > EventCodec.maxLineBytes {
                    // A record larger than any reader takes: said once, the rest of the line dropped.
                    events.append(Self.unreadable("a record over \(EventCodec.maxLineBytes) bytes"))
                    partial.removeAll()
                    skipping = true
                }
            }
        }
        return (events, lines)
    }

    static func decode(_ line: [UInt8]) -> Event {
        do {
            if let event = try line.withUnsafeBufferPointer({ buffer throws(EventDecodingError) in try EventCodec.decodeLine(buffer) }) {
                return event
            }
            return unreadable("an empty record")
        } catch {
            return unreadable(error.reason)
        }
    }

    static let unreadableKey = "UNREADABLE_RECORD"

    static func isUnreadable(_ event: Event) -> Bool {
        if case .message(let message) = event.payload, message.key == unreadableKey { return true }
        return false
    }

    static func unreadable(_ why: String) -> Event {
        Event(level: .warning, payload: .message(Message(content: "unreadable record from the plugin runner: \(why)",
                                                         key: unreadableKey)))
    }
}
