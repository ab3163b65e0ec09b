import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import SynapsePlugins
@testable import SynapseRay

/// The real cluster the Ray suites talk to (`SYNAPSE_RAY_URL`, set by scripts/ray-tests.sh), or `nil` with
/// the reason printed: the suites then skip instead of failing.
enum RayTestEnv {
    static let url: String? = {
        let url = ProcessInfo.processInfo.environment["SYNAPSE_RAY_URL"]
        if url == nil || url!.isEmpty {
            print("SynapseRayTests: SYNAPSE_RAY_URL is not set: skipping the tests that need a real Ray cluster (run scripts/ray-tests.sh)")
            return nil
        }
        return url
    }()

    static var available: Bool { url != nil }

    static func client() throws -> RayJobsClient {
        RayJobsClient(endpoint: try RayEndpoint.resolve(address: url, token: nil, environment: [:]))
    }

    /// The repository root (Tests/SynapseRayTests/ → ../..).
    static let repo: URL = {
        if let repo = ProcessInfo.processInfo.environment["SYNAPSE_RAY_REPO"] { return URL(fileURLWithPath: repo) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }()

    static var demoPlugin: String {
        repo.appendingPathComponent("integrations/python/tests/plugins/demo_plugin").path
    }

    /// Look-alike records (`forge`) and background processes (`spawn`).
    static var probePlugin: String {
        repo.appendingPathComponent("integrations/python/tests/plugins/probe_plugin").path
    }

    static var cliBinary: String? {
        let env = ProcessInfo.processInfo.environment["SYNAPSE_TUI_BIN"]
        guard let env, FileManager.default.isExecutableFile(atPath: env) else { return nil }
        return env
    }

    static func uniqueID(_ prefix: String) -> String {
        "\(prefix)-\(UInt32.random(in: 0...UInt32.max))"
    }
}

/// Collects what a follower says, thread-safely.
final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private var _updates: [RayFollowUpdate] = []

    func add(_ update: RayFollowUpdate) { lock.lock(); _updates.append(update); lock.unlock() }
    var updates: [RayFollowUpdate] { lock.lock(); defer { lock.unlock() }; return _updates }
    var lines: [String] { updates.flatMap { if case .lines(let l) = $0 { return l } else { return [] } } }
    var notices: [String] { updates.compactMap { if case .notice(_, let t) = $0 { return t } else { return nil } } }
    var final: RayFollowUpdate? {
        updates.last { if case .finished = $0 { return true }; if case .failed = $0 { return true }; return false }
    }
}

extension RayFollowUpdate {
    /// The job's info if following ended with the job final (`try #require` it: anything else fails).
    var finishedInfo: RayJobInfo? { if case .finished(let info) = self { info } else { nil } }
}

/// Polls `condition` every 100 ms until it holds or `timeout` passes; `false` on timeout.
func eventually(timeout: Double, _ condition: @Sendable () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(nanoseconds: 100_000_000)
    }
    return try await condition()
}

/// Runs a follower to its end, or cancels it after `timeout` (recorded as a test failure).
@discardableResult
func follow(_ follower: RayLogFollower, timeout: Double = 120,
            sourceLocation: SourceLocation = #_sourceLocation) async -> Collector {
    let collector = Collector()
    let task = Task { await follower.run { collector.add($0) } }
    let finished = await eventually(timeout: timeout) { collector.final != nil }
    if !finished {
        Issue.record("follower did not finish within \(Int(timeout)) s; last updates: \(collector.updates.suffix(5))",
                     sourceLocation: sourceLocation)
    }
    task.cancel()
    await task.value
    return collector
}

/// A TCP forwarder on 127.0.0.1 in front of Ray, that can cut every connection (a dropped websocket, a
/// network blip) and answer the next requests with an HTTP error carrying Retry-After.
final class FaultyProxy: @unchecked Sendable {
    let port: UInt16
    private let upstreamPort: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var connections: [SocketPair] = []
    private var failures: [(status: Int, retryAfter: String)] = []
    private(set) var failuresServed = 0
    private var closed = false

    init(upstreamPort: UInt16) throws {
        self.upstreamPort = upstreamPort
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 64) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: addr.sin_port)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Cuts every open connection (both directions), as a network failure would.
    func dropAll() {
        lock.lock()
        let open = connections
        connections.removeAll()
        lock.unlock()
        for pair in open { pair.cut() }
    }

    /// The next `count` connections get `status` with `Retry-After: retryAfter` instead of Ray.
    func failNext(_ count: Int, status: Int = 503, retryAfter: String = "1") {
        lock.lock()
        failures += Array(repeating: (status, retryAfter), count: count)
        lock.unlock()
        dropAll()  // kept-alive connections would bypass the failures
    }

    func close() {
        lock.lock(); closed = true; lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
        dropAll()
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                lock.lock(); let done = closed; lock.unlock()
                if done { return }
                continue
            }
            lock.lock()
            let failure = failures.isEmpty ? nil : failures.removeFirst()
            if failure != nil { failuresServed += 1 }
            lock.unlock()
            if let failure {
                Thread { Self.answer(client, failure.status, failure.retryAfter) }.start()
                continue
            }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = upstreamPort.bigEndian
            let ok = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if ok != 0 { Glibc.close(client); Glibc.close(upstream); continue }
            let pair = SocketPair(client, upstream)
            lock.lock(); connections.removeAll { $0.isClosed }; connections.append(pair); lock.unlock()
            Thread { Self.pump(from: client, to: upstream, pair: pair) }.start()
            Thread { Self.pump(from: upstream, to: client, pair: pair) }.start()
        }
    }

    private static func answer(_ fd: Int32, _ status: Int, _ retryAfter: String) {
        var buffer = [UInt8](repeating: 0, count: 8192)
        _ = recv(fd, &buffer, buffer.count, 0)  // the request (ignored)
        let body = "busy"
        let text = "HTTP/1.1 \(status) Unavailable\r\nRetry-After: \(retryAfter)\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        _ = text.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
    }

    private static func pump(from: Int32, to: Int32, pair: SocketPair) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(from, &buffer, buffer.count, 0)
            if n <= 0 { break }
            var sent = 0
            while sent < n {
                let m = buffer.withUnsafeBytes { send(to, $0.baseAddress! + sent, n - sent, Int32(MSG_NOSIGNAL)) }
                if m <= 0 { break }
                sent += m
            }
            if sent < n { break }
        }
        shutdown(to, Int32(SHUT_RDWR))
        shutdown(from, Int32(SHUT_RDWR))
        pair.done()
    }
}

/// Both sockets of a proxied connection, closed when both directions are done (never while one pump
/// might still use a descriptor number).
final class SocketPair: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining = 2
    private let fds: (Int32, Int32)
    init(_ a: Int32, _ b: Int32) { fds = (a, b) }
    var isClosed: Bool { lock.lock(); defer { lock.unlock() }; return remaining == 0 }
    /// Shuts both sockets down (the pumps then finish and close them).
    func cut() {
        lock.lock(); defer { lock.unlock() }
        guard remaining > 0 else { return }
        shutdown(fds.0, Int32(SHUT_RDWR))
        shutdown(fds.1, Int32(SHUT_RDWR))
    }
    func done() {
        lock.lock(); defer { lock.unlock() }
        remaining -= 1
        if remaining == 0 { Glibc.close(fds.0); Glibc.close(fds.1) }
    }
}

/// Runs a command through `/bin/sh -c`, returning its exit status and combined output.
func shell(_ command: String, environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    if let environment { process.environment = environment }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Everything drained from an ``EventQueue`` so far.
final class Drained: @unchecked Sendable {
    private let lock = NSLock()
    private var _events: [Event] = []
    private var _notices: [SourceNotice] = []

    func take(_ queue: EventQueue) {
        var events: [Event] = [], notices: [QueuedNotice] = []
        queue.drain(events: &events, notices: &notices)
        lock.lock(); _events += events; _notices += notices.map(\.notice); lock.unlock()
    }
    var events: [Event] { lock.lock(); defer { lock.unlock() }; return _events }
    var notices: [SourceNotice] { lock.lock(); defer { lock.unlock() }; return _notices }
}

/// A program in a real terminal: a tmux server and session of its own (started from this process, so inside
/// the same network namespace), observed with capture-pane and polled, never slept on.
final class RayTmux: @unchecked Sendable {
    static let executable = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    let name = "synapse-ray-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

    init(width: Int = 120, height: Int = 40, command: String) throws {
        try tmux(["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height), command])
        _ = try? tmux(["set-option", "-t", name, "remain-on-exit", "on"])
    }

    deinit { _ = try? tmux(["kill-server"]) }

    func send(_ keys: String...) throws { _ = try tmux(["send-keys", "-t", name] + keys) }
    func capture() -> String { (try? tmux(["capture-pane", "-p", "-t", name])) ?? "" }
    var isDead: Bool { ((try? tmux(["display-message", "-p", "-t", name, "#{pane_dead}"])) ?? "").hasPrefix("1") }

    /// Polls the screen until it contains `text` (any case); the last screen either way.
    func waitFor(_ text: String, timeout: Double = 30) -> (ok: Bool, screen: String) {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = capture()
        while !screen.localizedCaseInsensitiveContains(text) {
            if Date() > deadline { return (false, screen) }
            usleep(100_000)
            screen = capture()
        }
        return (true, screen)
    }

    /// Runs tmux via `system()` (a forked tmux server would hold a Process pipe open forever).
    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        guard let executable = Self.executable else { throw POSIXError(.ENOENT) }
        let out = NSTemporaryDirectory() + "ray-tmux-\(UUID().uuidString)"
        defer { unlink(out) }
        let quoted = ([executable, "-L", name, "-f", "/dev/null"] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: #"'\''"#) + "'" }
        guard system(quoted.joined(separator: " ") + " </dev/null 2>/dev/null >'\(out)'") == 0 else { throw POSIXError(.EIO) }
        return FileManager.default.contents(atPath: out).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
