import Foundation
import SynapsePlugins
import Testing

extension EndToEnd {
    /// `attach` on logs that misbehave (issue #13), in a real terminal: what the user sees on screen.
    @Suite(.serialized, .enabled(if: Harness.canRun, "\(Harness.skipReason ?? "")"))
    struct AttachFaultEndToEndTests {
        /// A pipe is followed as it comes, its end is said on screen, and `q` quits at once, writer or not.
        @Test func attachFollowsAFIFOAndQuitsAtOnce() throws {
            let home = TestHome()
            let fifo = home.file("run.fifo")
            #expect(mkfifo(fifo, 0o600) == 0)
            let tmux = try TmuxSession(width: 100, height: 30, command: "sh", environment: home.environment)
            try tmux.type(Harness.command("attach", "--file", fifo) + "; echo exit\"\"code=$?\n")
            // No writer yet: the dashboard is up and answers q.
            #expect(tmux.waitFor { $0.contains("Progress") }.ok)
            let writer = open(fifo, O_WRONLY)
            #expect(writer >= 0)
            let lines = (Fixture.start() + Fixture.epoch(3, of: 10)).map { EventCodec.encodeString($0) + "\n" }.joined()
            _ = lines.withCString { write(writer, $0, strlen($0)) }
            let following = tmux.waitFor("running")
            #expect(following.ok, "records written into the pipe show:\n\(following.screen)")
            close(writer)
            let ended = tmux.waitFor("ended")
            #expect(ended.ok, "the pipe's end is said on screen:\n\(ended.screen)")
            try tmux.send("q")
            let exited = tmux.waitFor(timeout: 5) { $0.contains("exitcode=") }
            #expect(exited.screen.contains("exitcode=0"), "q quits at once:\n\(exited.screen)")
        }

        @Test func quitsAtOnceWhileAFIFOHasNoWriter() throws {
            let home = TestHome()
            let fifo = home.file("run.fifo")
            #expect(mkfifo(fifo, 0o600) == 0)
            let tmux = try TmuxSession(width: 100, height: 30, command: "sh", environment: home.environment)
            try tmux.type(Harness.command("attach", "--file", fifo) + "; echo exit\"\"code=$?\n")
            #expect(tmux.waitFor { $0.contains("Progress") }.ok)
            try tmux.send("q")
            let exited = tmux.waitFor(timeout: 5) { $0.contains("exitcode=") }
            #expect(exited.screen.contains("exitcode=0"), "q quits at once:\n\(exited.screen)")
        }

        /// A log deleted while attached keeps what it showed, and says it was deleted.
        @Test func aDeletedLogIsNoticed() throws {
            let home = TestHome()
            let log = home.file("events.jsonl")
            LogWriter(path: log).append(Fixture.start() + Fixture.epoch(2, of: 10))
            let tmux = try TmuxSession(width: 100, height: 30, command: Harness.command("attach", "--file", log),
                                       environment: home.environment)
            #expect(tmux.waitFor("running").ok)
            #expect(unlink(log) == 0)
            let deleted = tmux.waitFor("deleted")
            #expect(deleted.ok && deleted.screen.contains("RUNNING") && deleted.screen.contains("2/10"), "deleted log noticed, content kept:\n\(deleted.screen)")
        }
    }
}
