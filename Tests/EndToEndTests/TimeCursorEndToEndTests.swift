import Foundation
import Testing

extension EndToEnd {
    /// The time cursor in the real binary: `attach` to a finished run, `{` back through it, `=` to the end.
    @Suite(.serialized, .enabled(if: Harness.canRun, "\(Harness.skipReason ?? "")"))
    struct TimeCursorEndToEndTests {
        @Test func bracesMoveThroughAFinishedRunAndEqualReturns() throws {
            let home = TestHome()
            let fixture = Harness.packageRoot.appendingPathComponent("Tests/Fixtures/training-completed.jsonl").path
            let tmux = try TmuxSession(width: 80, height: 24, command: Harness.command("attach", "--file", fixture),
                                       environment: home.environment)
            // The whole log read (its last message on screen): a step is a tenth of the span known when pressed.
            let final = tmux.waitFor { $0.contains("COMPLETED") && $0.contains("Training complete") }
            #expect(final.ok, "final screen:\n\(final.screen)")
            for _ in 0..<5 { try tmux.send("{") }
            let middle = tmux.waitFor("(50.0%)")
            #expect(middle.ok, "five steps of 10 % back:\n\(middle.screen)")
            #expect(middle.screen.contains("RUNNING") && middle.screen.contains("9/20"), "the run as it was then:\n\(middle.screen)")
            #expect(!middle.screen.contains("Training complete"), "no message from after the cursor:\n\(middle.screen)")
            try tmux.send("=")
            // The whole frame, not only its first row: a capture can land while the terminal is redrawn.
            let back = tmux.waitFor { $0.contains("COMPLETED") && !$0.contains("AT ") && $0.contains("Training complete") }
            #expect(back.ok, "= returns to the end, its last message shown:\n\(back.screen)")
            try tmux.send("q")
        }

        /// The in-process `run` dashboard reads its own job log for the cursor once the run has finished.
        @Test func theRunDashboardRewindsItsOwnRun() throws {
            let home = TestHome()
            let tmux = try TmuxSession(width: 80, height: 24,
                                       command: Harness.command("run", "train", "--params", #"{"epochs":20,"epoch_seconds":0.02}"#),
                                       environment: home.environment)
            let final = tmux.waitFor("COMPLETED")
            #expect(final.ok, "final screen:\n\(final.screen)")
            for _ in 0..<5 { try tmux.send("{") }
            let middle = tmux.waitFor("(50.0%)")
            #expect(middle.ok, "five steps of 10 % back:\n\(middle.screen)")
            #expect(middle.screen.contains("RUNNING"), "the run as it was then:\n\(middle.screen)")
            #expect(!middle.screen.contains("needs the run's log"), "the run's log is known:\n\(middle.screen)")
            try tmux.send("=")
            let back = tmux.waitFor { $0.contains("COMPLETED") && !$0.contains("AT ") }
            #expect(back.ok, "= returns to the end:\n\(back.screen)")
            try tmux.send("q")
        }
    }
}
