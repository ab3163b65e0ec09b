import Foundation

/// Monotonic seconds.
@inline(__always)
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Runs `body` `runs` times and returns the sorted durations.
func timeRuns(_ runs: Int, _ body: () throws -> Void) rethrows -> [Double] {
    var times: [Double] = []
    for _ in 0..<runs {
        let t0 = now()
        try body()
        times.append(now() - t0)
    }
    return times.sorted()
}

func median(_ xs: [Double]) -> Double {
    guard !xs.isEmpty else { return .nan }
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let i = min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded(.up)))
    return sorted[i]
}

/// Formats numbers for the report.
func fmt(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

func rate(_ perSecond: Double) -> String {
    if perSecond >= 1e6 { return fmt(perSecond / 1e6) + " M" }
    if perSecond >= 1e3 { return fmt(perSecond / 1e3) + " k" }
    return fmt(perSecond)
}

func seconds(_ s: Double) -> String {
    if s < 1e-3 { return fmt(s * 1e6, 1) + " µs" }
    if s < 1 { return fmt(s * 1e3, 1) + " ms" }
    return fmt(s, 3) + " s"
}

/// The result of running a child process.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var seconds: Double
}

/// Runs an executable found on PATH (or an absolute path); returns nil when it cannot start.
func run(_ argv: [String], stdin: String? = nil, environment: [String: String]? = nil, capture: Bool = true) -> ProcessResult? {
    if !capture {
        // For commands that leave a daemon behind (tmux new-session): posix_spawn + waitpid, output to
        // /dev/null (a daemon holding our pipe would make reading it wait forever).
        let t0 = now()
        guard let pid = spawnQuietly(argv) else { return nil }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return ProcessResult(status: (status >> 8) & 0xFF, stdout: "", stderr: "", seconds: now() - t0)
    }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = argv
    if let environment { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = stdin == nil ? FileHandle.nullDevice : nil
    let t0 = now()
    do { try p.run() } catch { return nil }
    // Read both pipes concurrently so a chatty child never blocks.
    nonisolated(unsafe) var errData = Data()
    let errThread = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
    errThread.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let t1 = now()
    while errThread.isExecuting || !errThread.isFinished { usleep(1000) }
    return ProcessResult(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self), seconds: t1 - t0)
}

/// `true` when `name` is an executable on PATH.
func haveTool(_ name: String) -> Bool {
    run(["sh", "-c", "command -v \(name) >/dev/null 2>&1"])?.status == 0
}

/// Peak resident set size of this process in bytes (VmHWM).
func peakRSS() -> Int { peakRSS(of: "self") ?? 0 }

/// Peak resident set size in bytes (VmHWM) of process `pid` ("self" for this one), or nil once it is gone.
func peakRSS(of pid: String) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return (line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0) * 1024
    }
    return nil
}

/// Starts `argv` (found on PATH) with stdin, stdout and stderr on /dev/null; its pid, or nil.
func spawnQuietly(_ argv: [String]) -> pid_t? {
    var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for fd in Int32(0)...2 { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
    let cargs = argv.map { strdup($0) } + [nil]
    defer { cargs.forEach { free($0) } }
    var pid: pid_t = 0
    return posix_spawnp(&pid, argv[0], &actions, nil, cargs, environ) == 0 ? pid : nil
}

/// Seconds from spawning `argv` (output to /dev/null) to its exit, and its exit status; nil when it cannot
/// start. What a user waits for: Foundation's `Process.waitUntilExit()` (``run(_:stdin:environment:capture:)``)
/// notices an exit by spinning a run loop in slices, which added tens of milliseconds to short commands.
func timeChild(_ argv: [String]) -> (seconds: Double, status: Int32)? {
    let t0 = now()
    guard let pid = spawnQuietly(argv) else { return nil }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (now() - t0, (status >> 8) & 0xFF)
}

/// The peak RSS in bytes of a child running `argv` (output to /dev/null), or nil when it cannot start.
///
/// Read from the child's /proc/PID/status (VmHWM, which only grows) every 2 ms until it exits, the last
/// reading kept: `wait4`'s `ru_maxrss` cannot be used, since a child started by `posix_spawn` (or `fork`)
/// is charged the parent's RSS from before its `exec` — ~190 MiB for this harness after its 10M run.
func peakRSSOfChild(_ argv: [String]) -> Int? {
    guard let pid = spawnQuietly(argv) else { return nil }
    var peak = 0
    var status: Int32 = 0
    while true {
        if let bytes = peakRSS(of: String(pid)) { peak = max(peak, bytes) }
        let done = waitpid(pid, &status, WNOHANG)
        if done == pid || (done < 0 && errno != EINTR) { break }
        usleep(2_000)
    }
    return peak
}

/// CPU seconds (user + system) a process has used so far, from /proc/PID/stat.
func cpuSeconds(pid: Int32) -> Double? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = text.lastIndex(of: ")") else { return nil }
    let fields = text[text.index(after: close)...].split(separator: " ")
    // fields[0] is the state (field 3); utime is field 14, stime field 15.
    guard fields.count > 13, let u = Double(fields[11]), let s = Double(fields[12]) else { return nil }
    return (u + s) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// CPU seconds used so far by this thread / this process.
func threadCPU() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func processCPU() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// The 1-minute load average: how busy the machine was (other work inflates wall-clock figures).
func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "?"
}
