import Foundation
import SynapsePlugins
import Testing

/// The Python venv with synapse-sdk and the bridge (`scripts/python-tests.sh --setup`; CI has it), or nil.
enum E2EPython {
    static let python: String? = {
        let env = ProcessInfo.processInfo.environment
        let candidates: [String?] = [env["SYNAPSE_TUI_PYTHON"], Harness.packageRoot.appendingPathComponent(".venv/bin/python").path]
        for candidate in candidates.compactMap({ $0 }) where FileManager.default.isExecutableFile(atPath: candidate) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: candidate)
            p.arguments = ["-c", "import synapse_tui_bridge, synapse_sdk"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            if (try? p.run()) != nil {
                p.waitUntilExit()
                if p.terminationStatus == 0 { return candidate }
            }
        }
        return nil
    }()
    static let probePlugin = Harness.packageRoot.appendingPathComponent("integrations/python/tests/plugins/probe_plugin").path
    static var ready: Bool { Harness.canRun && python != nil }
}

extension EndToEnd {
    /// `run --plugin` and `run -- CMD` in a real terminal: a cancel stops the child's whole process group
    /// within the grace period, and every way out leaves the terminal sane.
    @Suite(.serialized, .enabled(if: Harness.canRun, "\(Harness.skipReason ?? "")"))
    struct ChildEndToEndTests {
        enum Cancel: String, CaseIterable, Sendable { case cKey, ctrlC, sigterm }

        /// True once none of `pids` runs (gone, or a zombie), polling until `timeout`.
        static func allEnded(_ pids: [Int32], within timeout: Double) -> Bool {
            Harness.eventually(timeout: timeout) {
                pids.allSatisfy { pid in
                    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                          let close = stat.lastIndex(of: ")") else { return true }
                    let state = stat[stat.index(close, offsetBy: 2)]
                    return state == "Z" || state == "X"
                }
            }
        }

        static func pids(in path: String) -> [Int32] {
            var found: [Int32] = []
            _ = Harness.eventually(timeout: 60) {
                guard let text = try? String(contentsOfFile: path, encoding: .utf8), text.hasSuffix("\n") else { return false }
                found = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int32($0) }
                return true
            }
            return found
        }

        static func lastStatus(_ log: String) -> RunStatusUpdate? {
            guard let data = FileManager.default.contents(atPath: log) else { return nil }
            var decoder = EventLogDecoder()
            return decoder.feed(Array(data)).events.compactMap { event -> RunStatusUpdate? in
                if case .runStatus(let u) = event.payload { return u }
                return nil
            }.last
        }

        static func expectSaneTerminal(_ tmux: TmuxSession) throws {
            try tmux.type("clear; stty -a\n")
            let stty = tmux.waitFor { $0.contains("icanon") }
            let words = stty.screen.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init)
            #expect(words.contains("icanon") && words.contains("echo") && words.contains("isig"), "terminal restored:\n\(stty.screen)")
        }

        /// Starts the run in a shell in tmux, waits for the child's pids, cancels it the given way, and checks
        /// that it ends within the grace period with nothing left running, `cancelled` recorded.
        /// `saysWhy`: the child ends without a status of its own, so the recorded error leads with the reason.
        func cancelEndsEverything(_ cancel: Cancel, saysWhy: Bool = false, expectStatus: RunStatus = .cancelled,
                                  command: (String) -> [String]) throws {
            let home = TestHome()
            let job = "e2e-child-\(cancel.rawValue)-\(getpid())"
            let pidFile = home.file("pids")
            let tmux = try TmuxSession(width: 120, height: 40, command: "sh", environment: home.environment)
            try tmux.type(Harness.command(["run", "--job-id", job] + command(pidFile)) + "; echo exit\"\"code=$?\n")
            let started = Self.pids(in: pidFile)
            try #require(started.count == 2, "the child wrote its pid and its grandchild's:\n\(tmux.capture())")
            #expect(tmux.waitFor("RUNNING").ok, "\(tmux.capture())")
            let began = Date()
            switch cancel {
            case .cKey:
                try tmux.send("c")
                #expect(tmux.waitFor("Cancel").ok, "asks first:\n\(tmux.capture())")
                try tmux.send("y")
                let cancelled = tmux.waitFor(timeout: 8) { $0.contains("CANCELLED") }
                #expect(cancelled.ok, "the screen shows the cancelled run:\n\(cancelled.screen)")
                try tmux.send("q")
            case .ctrlC:
                try tmux.send("C-c")
            case .sigterm:
                let pid = try #require(tmux.childOfPane)
                #expect(kill(pid, SIGTERM) == 0)
            }
            let exited = tmux.waitFor(timeout: 8) { $0.contains("exitcode=") }
            let took = Date().timeIntervalSince(began)
            #expect(exited.ok && exited.screen.contains("exitcode=130"), "ends with 130:\n\(exited.screen)")
            #expect(took < 6.5, "within the 5 s grace period (+ the time to press q): \(took) s")
            #expect(Self.allEnded(started, within: 2), "nothing left running: \(started)")
            #expect(Self.lastStatus(home.jobLog(job))?.status == expectStatus)
            if saysWhy {
                let why = switch cancel {
                case .cKey: "cancelled by user (c)"
                case .ctrlC: "cancelled by SIGINT (Ctrl-C)"
                case .sigterm: "cancelled by SIGTERM"
                }
                let message = Self.lastStatus(home.jobLog(job))?.error?.message ?? ""
                #expect(message.hasPrefix(why + ": "), "the error says why: \(message)")
            }
            try Self.expectSaneTerminal(tmux)
        }

        @Test(arguments: Cancel.allCases)
        func aShellCommandWithABackgroundGrandchildIsStopped(_ cancel: Cancel) throws {
            try cancelEndsEverything(cancel, saysWhy: true) { pidFile in
                ["--", "sh", "-c", "sleep 300 & echo \"$$ $!\" > \(pidFile); wait"]
            }
        }

        @Test(.enabled(if: E2EPython.ready, "needs the Python venv (scripts/python-tests.sh --setup)"), arguments: Cancel.allCases)
        func aPluginWithABackgroundGrandchildIsStopped(_ cancel: Cancel) throws {
            try cancelEndsEverything(cancel) { pidFile in
                ["--plugin", E2EPython.probePlugin, "spawn", "--python", E2EPython.python!,
                 "--params", #"{"pid_file": "\#(pidFile)", "stubborn_grandchild": true}"#]
            }
        }

        /// A plugin that ignores SIGINT and SIGTERM: the status line counts down, SIGKILL ends it after the
        /// grace period, and the job says so.
        @Test(.enabled(if: E2EPython.ready, "needs the Python venv (scripts/python-tests.sh --setup)"))
        func aStubbornPluginIsKilledAfterTheCountdown() throws {
            let home = TestHome()
            let job = "e2e-child-stubborn-\(getpid())"
            let pidFile = home.file("pids")
            let tmux = try TmuxSession(width: 80, height: 24, command: "sh", environment: home.environment)
            try tmux.type(Harness.command("run", "--job-id", job, "--plugin", E2EPython.probePlugin, "spawn", "--python",
                                          E2EPython.python!, "--params", #"{"pid_file": "\#(pidFile)", "stubborn": true}"#)
                          + "; echo exit\"\"code=$?\n")
            let started = Self.pids(in: pidFile)
            try #require(started.count == 2)
            #expect(tmux.waitFor("grandchild started").ok, "\(tmux.capture())")  // it ignores signals from here on
            try tmux.send("c")
            #expect(tmux.waitFor("Cancel").ok)
            try tmux.send("y")
            let counting = tmux.waitFor(timeout: 4) { $0.contains("SIGKILL in") }
            #expect(counting.ok, "the status line counts down:\n\(counting.screen)")
            let killed = tmux.waitFor(timeout: 8) { $0.contains("CANCELLED") }
            #expect(killed.ok, "killed after the grace period:\n\(killed.screen)")
            #expect(killed.screen.contains("Cancelled: Killed: cancelled by user (c): python did not stop"),
                    "the screen says it was killed, and why:\n\(killed.screen)")
            // The overview (o) has the error whole. Waited for whole: a capture can catch a frame half
            // drawn (the pane's title already there, its lines not yet).
            try tmux.send("o")
            let overview = tmux.waitFor(timeout: 4) {
                $0.contains("Overview") && $0.contains("Killed: cancelled by user (c): python did not stop within 5 s")
            }
            #expect(overview.ok, "the overview has the whole error:\n\(overview.screen)")
            try tmux.send("o")
            #expect(Self.allEnded(started, within: 2))
            let final = Self.lastStatus(home.jobLog(job))
            #expect(final?.status == .cancelled && final?.error?.type == "Killed")
            try tmux.send("q")
            #expect(tmux.waitFor { $0.contains("exitcode=") }.screen.contains("exitcode=130"))
            try Self.expectSaneTerminal(tmux)
        }

        /// Headless, a child ignoring SIGINT and SIGTERM: the second Ctrl-C kills its group at once, and the
        /// final status is still written (nothing orphaned, the job not left "running").
        @Test func aSecondCtrlCKillsAStubbornCommandAndStillRecordsIt() throws {
            let home = TestHome()
            let job = "e2e-child-second-\(getpid())"
            let pidFile = home.file("pids")
            let tmux = try TmuxSession(width: 120, height: 30, command: "sh", environment: home.environment)
            let script = "trap '' INT TERM; sleep 300 & echo \"$$ $!\" > \(pidFile); while :; do sleep 0.05; done"
            try tmux.type(Harness.command("run", "--headless", "--job-id", job, "--", "sh", "-c", script) + "; echo exit\"\"code=$?\n")
            let started = Self.pids(in: pidFile)
            try #require(started.count == 2)
            try tmux.send("C-c")
            #expect(tmux.waitFor("a second Ctrl-C kills it now").ok, "\(tmux.capture())")
            try tmux.send("C-c")
            let exited = tmux.waitFor(timeout: 3) { $0.contains("exitcode=") }
            #expect(exited.ok && exited.screen.contains("exitcode=130"), "\(exited.screen)")
            #expect(Self.allEnded(started, within: 2))
            let final = Self.lastStatus(home.jobLog(job))
            #expect(final?.status == .cancelled && final?.error?.message.contains("killed (SIGKILL) when the cancel was repeated") == true,
                    "\(String(describing: final))")
            try Self.expectSaneTerminal(tmux)
        }

        /// synapse-tui itself killed by a signal it cannot turn into a cancel: the child's group goes with it.
        @Test(arguments: [false, true])
        func whenSynapseTUIDiesOfASignalItsChildrenGoToo(headless: Bool) throws {
            let home = TestHome()
            let job = "e2e-child-usr1-\(getpid())"
            let pidFile = home.file("pids")
            let tmux = try TmuxSession(width: 120, height: 30, command: "sh", environment: home.environment)
            let script = "sleep 300 & echo \"$$ $!\" > \(pidFile); wait"
            try tmux.type(Harness.command(["run", "--job-id", job] + (headless ? ["--headless"] : []) + ["--", "sh", "-c", script])
                          + "; echo exit\"\"code=$?\n")
            let started = Self.pids(in: pidFile)
            try #require(started.count == 2)
            let pid = try #require(tmux.childOfPane)
            #expect(kill(pid, SIGUSR1) == 0)
            let exited = tmux.waitFor { $0.contains("exitcode=") }
            #expect(exited.screen.contains("exitcode=138"), "\(exited.screen)")
            #expect(Self.allEnded(started, within: 2), "nothing left running: \(started)")
            try Self.expectSaneTerminal(tmux)
        }

        /// Signals whose default ends the process: the terminal comes back sane, SIGQUIT quits cleanly (no
        /// backtrace over the screen).
        @Test(arguments: [(SIGUSR1, 138), (SIGUSR2, 140), (SIGALRM, 142), (SIGPIPE, 141), (SIGQUIT, 131), (SIGHUP, 129)])
        func everyFatalSignalLeavesTheTerminalSane(_ signal: Int32, _ exitCode: Int) throws {
            let home = TestHome()
            let log = home.file("events.jsonl")
            LogWriter(path: log).append(Fixture.complete())
            let tmux = try TmuxSession(width: 100, height: 30, command: "sh", environment: home.environment)
            try tmux.type(Harness.command("attach", "--file", log) + "; echo exit\"\"code=$?\n")
            #expect(tmux.waitFor("completed").ok)
            let pid = try #require(tmux.childOfPane)
            #expect(kill(pid, signal) == 0)
            let exited = tmux.waitFor { $0.contains("exitcode=") }
            #expect(exited.screen.contains("exitcode=\(exitCode)"), "signal \(signal):\n\(exited.screen)")
            #expect(!exited.screen.contains("Backtrace") && !exited.screen.contains("Crash"), "\(exited.screen)")
            try Self.expectSaneTerminal(tmux)
        }
    }
}
