import Foundation

/// Drives a real terminal: one tmux server and session per test (own socket, unique name), killed when
/// the value goes away. Everything is observed through `capture-pane`, polled until a condition holds or a
/// timeout passes (the fzf harness's approach), never by sleeping and hoping.
final class TmuxSession {
    static let executable: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static var isAvailable: Bool { executable != nil }

    let name: String
    private let socket: String

    /// Starts `command` (run by `sh -c`) in a new detached session of `width`x`height`.
    init(width: Int, height: Int, command: String, environment: [String: String] = [:]) throws {
        let unique = "synapse-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
        name = unique
        socket = unique
        var arguments = ["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height)]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) { arguments += ["-e", "\(key)=\(value)"] }
        arguments.append(command)
        // new-session forks the server, which would inherit an output pipe and keep it open forever.
        try tmux(arguments, captureOutput: false)
        // Keep the pane after the program exits, so its last screen and exit can be inspected.
        _ = try? tmux(["set-option", "-t", name, "remain-on-exit", "on"])
    }

    deinit {
        _ = try? tmux(["kill-server"], captureOutput: false)
        unlink((ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp") + "/tmux-\(getuid())/\(socket)")
    }

    /// Types keys (tmux key names: `q`, `Enter`, `C-c`, `/`, ...).
    func send(_ keys: String...) throws {
        try tmux(["send-keys", "-t", name] + keys)
    }

    /// Types text literally.
    func type(_ text: String) throws {
        try tmux(["send-keys", "-t", name, "-l", text])
    }

    /// The visible screen as text.
    func capture() -> String {
        (try? tmux(["capture-pane", "-p", "-t", name])) ?? ""
    }

    /// Resizes the window (the program gets SIGWINCH).
    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", String(width), "-y", String(height)])
    }

    /// The process id of the pane's program.
    var panePID: Int32? {
        Int32(((try? tmux(["display-message", "-p", "-t", name, "#{pane_pid}"])) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The first child of the pane's program (the command a pane's shell is running).
    var childOfPane: Int32? {
        guard let parent = panePID,
              let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        for entry in entries {
            guard let pid = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // Fields after "(comm)": state, ppid, ...
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, Int32(fields[1]) == parent { return pid }
        }
        return nil
    }

    /// `true` once the pane's program has exited.
    var isDead: Bool {
        ((try? tmux(["display-message", "-p", "-t", name, "#{pane_dead}"])) ?? "").hasPrefix("1")
    }

    /// Waits until `condition` holds for the screen; returns the last screen either way (check it).
    @discardableResult
    func waitFor(timeout: Double = 15, _ condition: (String) -> Bool) -> (ok: Bool, screen: String) {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = capture()
        while !condition(screen) {
            if Date() > deadline { return (false, screen) }
            usleep(50_000)
            screen = capture()
        }
        return (true, screen)
    }

    /// Waits until the screen contains `text`, ignoring case (statuses are shown in capitals).
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 15) -> (ok: Bool, screen: String) {
        waitFor(timeout: timeout) { $0.localizedCaseInsensitiveContains(text) }
    }

    /// Runs tmux through `system()` with output to a temporary file: Foundation's `Process` waits for
    /// EOF on its pipes, which the forked tmux server would hold open forever.
    @discardableResult
    private func tmux(_ arguments: [String], captureOutput: Bool = true) throws -> String {
        guard let executable = Self.executable else { throw TmuxError.missing }
        let outputFile = NSTemporaryDirectory() + "tmux-out-\(UUID().uuidString)"
        defer { unlink(outputFile) }
        let line = ([executable, "-L", socket, "-f", "/dev/null"] + arguments).map(Harness.quote).joined(separator: " ")
            + " </dev/null 2>/dev/null >" + (captureOutput ? Harness.quote(outputFile) : "/dev/null")
        let status = system(line)
        guard status == 0 else { throw TmuxError.failed(arguments.first ?? "") }
        guard captureOutput, let data = FileManager.default.contents(atPath: outputFile) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}

enum TmuxError: Error {
    case missing
    case failed(String)
}
