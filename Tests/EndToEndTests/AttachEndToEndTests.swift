import Foundation
import SynapsePlugins
import Testing

extension EndToEnd {
    /// The real binary in a real terminal (tmux), following a job log that the test writes like a run does.
    @Suite(.serialized, .enabled(if: Harness.canRun, "\(Harness.skipReason ?? "")"))
    struct AttachEndToEndTests {
        @Test func attachShowsWaitingThenFollowsTheJobToItsFinalState() throws {
            let home = TestHome()
            let log = home.file("later.jsonl")
            let writer = LogWriter(path: log)
            let tmux = try TmuxSession(width: 100, height: 30, command: Harness.command("attach", "--file", log),
                                       environment: home.environment)
            #expect(tmux.waitFor { $0.lowercased().contains("waiting") }.ok, "a log that does not exist yet shows waiting")
            writer.append(Fixture.start() + Fixture.epoch(1, of: 10))
            #expect(tmux.waitFor("running").ok)
            writer.append((2...10).flatMap { Fixture.epoch($0, of: 10) } + Fixture.finish())
            let final = tmux.waitFor { $0.localizedCaseInsensitiveContains("completed") && $0.contains("100%") }
            #expect(final.ok, "final screen:\n\(final.screen)")
        }

        @Test func devPaneSearchAndQuitLeaveTheTerminalSane() throws {
            let home = TestHome()
            let log = home.file("events.jsonl")
            let writer = LogWriter(path: log)
            // A needle early on, then enough messages to push it out of the messages pane.
            let needle = Event(timestamp: Fixture.t0 + 0.5, level: .warning,
                               payload: .message(Message(content: "needle-in-the-haystack")))
            let filler = (0..<200).map {
                Event(timestamp: Fixture.t0 + 1 + Double($0), level: .info, payload: .message(Message(content: "filler \($0)")))
            }
            writer.append(Fixture.start() + [needle] + filler + Fixture.epoch(3, of: 10))
            // A shell, so the terminal's state after the dashboard exits can be inspected.
            let tmux = try TmuxSession(width: 100, height: 30, command: "sh", environment: home.environment)
            try tmux.type(Harness.command("attach", "--file", log) + "; echo exit\"\"code=$?\n")
            #expect(tmux.waitFor("filler 199").ok)
            #expect(!tmux.capture().contains("needle-in-the-haystack"))

            #expect(!tmux.capture().contains("Epoch 3 done"), "dev events are hidden by default")
            try tmux.send("d")
            let dev = tmux.waitFor("Epoch 3 done")
            #expect(dev.ok, "d shows dev events:\n\(dev.screen)")

            // `/` searches the focused pane; hiding the dev pane gives the focus back to messages.
            try tmux.send("d")
            #expect(tmux.waitFor { !$0.contains("Epoch 3 done") }.ok)
            try tmux.send("/")
            try tmux.type("needle")
            try tmux.send("Enter")
            let found = tmux.waitFor("needle-in-the-haystack")
            #expect(found.ok, "/ finds a message scrolled out of view:\n\(found.screen)")

            try tmux.send("Escape")
            try tmux.send("q")
            // Type only once the shell has the terminal back: keys typed while the dashboard is still
            // exiting are its input, not the shell's. (The quotes keep the typed command from matching.)
            let exited = tmux.waitFor { $0.contains("exitcode=") }
            #expect(exited.screen.contains("exitcode=0"), "q quits with 0:\n\(exited.screen)")
            try tmux.type("clear; stty -a\n")
            let stty = tmux.waitFor { $0.contains("icanon") }
            #expect(stty.ok)
            let words = stty.screen.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init)
            #expect(words.contains("icanon") && words.contains("echo"), "q restores canonical mode and echo:\n\(stty.screen)")
        }

        @Test func aCrashStillLeavesTheTerminalSane() throws {
            let home = TestHome()
            let log = home.file("events.jsonl")
            LogWriter(path: log).append(Fixture.complete())
            let tmux = try TmuxSession(width: 100, height: 30, command: "sh", environment: home.environment)
            try tmux.type(Harness.command("attach", "--file", log) + "; echo exit\"\"code=$?\n")
            #expect(tmux.waitFor("completed").ok)
            let pid = try #require(tmux.childOfPane)
            // What a Swift runtime trap or a failed precondition ends in.
            #expect(kill(pid, SIGABRT) == 0)
            let exited = tmux.waitFor { $0.contains("exitcode=") }
            #expect(exited.screen.contains("exitcode=134"), "the crash is still a crash to the shell:\n\(exited.screen)")
            try tmux.type("clear; stty -a\n")
            let stty = tmux.waitFor { $0.contains("icanon") }
            let words = stty.screen.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init)
            #expect(words.contains("icanon") && words.contains("echo"), "terminal restored after a crash:\n\(stty.screen)")
        }

        @Test func survivesResizesDownToTinyAndBack() throws {
            let home = TestHome()
            let log = home.file("events.jsonl")
            LogWriter(path: log).append(Fixture.complete())
            let tmux = try TmuxSession(width: 200, height: 50, command: Harness.command("attach", "--file", log),
                                       environment: home.environment)
            #expect(tmux.waitFor("completed").ok)
            for (w, h) in [(80, 24), (20, 6), (120, 40)] {
                try tmux.resize(width: w, height: h)
                let screen = tmux.waitFor { screen in
                    let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
                    return !screen.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                        && lines.allSatisfy { $0.count <= w }
                }
                #expect(screen.ok, "draws something at \(w)x\(h):\n\(screen.screen)")
                #expect(!tmux.isDead, "still running after resizing to \(w)x\(h)")
            }
            #expect(tmux.waitFor("completed").ok, "back at 120x40 the final state is shown")
            try tmux.send("q")
            #expect(tmux.waitFor(timeout: 5) { _ in tmux.isDead }.ok)
        }

        @Test func followsALogTruncatedAndRewrittenWhileAttached() throws {
            let home = TestHome()
            let log = home.jobLog("job-rewrite")
            let writer = LogWriter(path: log)
            writer.append(Fixture.start(job: "job-rewrite") + [
                Event(timestamp: Fixture.t0 + 1, level: .info, payload: .message(Message(content: "first attempt"))),
            ])
            let tmux = try TmuxSession(width: 100, height: 30, command: Harness.command("attach", "job-rew"),
                                       environment: home.environment)
            #expect(tmux.waitFor("first attempt").ok, "attach by a unique prefix of the job id")
            writer.truncate()
            writer.append(Fixture.start(job: "job-rewrite") + [
                Event(timestamp: Fixture.t0 + 2, level: .info, payload: .message(Message(content: "second attempt"))),
            ] + Fixture.finish(job: "job-rewrite", status: .failed))
            let rewritten = tmux.waitFor { $0.contains("second attempt") && $0.localizedCaseInsensitiveContains("failed") }
            #expect(rewritten.ok, "the rewritten log is followed:\n\(rewritten.screen)")
            #expect(!rewritten.screen.contains("first attempt"), "what the truncated log said is gone")
            #expect(rewritten.screen.contains("log truncated, reading again"), "the status line says why")
        }
    }
}
