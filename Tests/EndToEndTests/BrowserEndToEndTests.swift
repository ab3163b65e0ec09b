import Foundation
import Testing

extension EndToEnd {
    /// The jobs browser in the real binary: `synapse-tui` alone lists the runs of SYNAPSE_HOME live; Enter
    /// attaches and q comes back to the list; `/` filters; Space marks and `C` compares the marked runs;
    /// `c` cancels a live run after asking.
    @Suite(.serialized, .enabled(if: Harness.canRun, "\(Harness.skipReason ?? "")"))
    struct BrowserEndToEndTests {
        /// Starts `run train --headless` in the background; returns the process (its job id is in its output).
        func startRun(_ home: TestHome, params: String) throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Harness.binary!)
            p.arguments = ["run", "train", "--headless", "--params", params]
            p.environment = ProcessInfo.processInfo.environment.merging(home.environment) { $1 }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }

        @Test func listsRunsLiveAttachesComesBackAndCancels() throws {
            let home = TestHome()
            let done = try startRun(home, params: #"{"epochs":3,"epoch_seconds":0.01,"learning_rate":0.01}"#)
            done.waitUntilExit()
            let live = try startRun(home, params: #"{"epochs":1000,"epoch_seconds":0.05,"learning_rate":0.001}"#)
            defer { if live.isRunning { live.terminate() } }
            let tmux = try TmuxSession(width: 80, height: 24, command: Harness.command(), environment: home.environment)
            let list = tmux.waitFor { $0.contains(" running ") && $0.contains(" completed ") && $0.contains("2 jobs") }
            #expect(list.ok, "both runs listed:\n\(list.screen)")
            #expect(list.screen.contains("loss"), "the key metric (the first reported):\n\(list.screen)")
            // The live run is the newest: first, under the cursor. Its progress moves without a key.
            let moved = tmux.waitFor { screen in
                screen != list.screen && screen.contains(" running ")
            }
            #expect(moved.ok, "the list refreshes itself:\n\(moved.screen)")

            // The cursor stays on the job it was on when the list first showed; the live run (the newest) may
            // have come second on a loaded machine.
            try tmux.send("Home")
            try tmux.send("Enter")
            // Case matters: the list says "running" too.
            let dashboard = tmux.waitFor { $0.contains(" RUNNING ") && $0.contains("Progress") }
            #expect(dashboard.ok, "Enter attaches:\n\(dashboard.screen)")
            try tmux.send("q")
            let back = tmux.waitFor { $0.contains(" Jobs ") && $0.contains("2 jobs") && !$0.contains("Progress") }
            #expect(back.ok, "q in the dashboard comes back to the list:\n\(back.screen)")

            try tmux.send("/")
            try tmux.type("complet")
            let filtered = tmux.waitFor("1 of 2 jobs")
            let rows = filtered.screen.split(separator: "\n").dropFirst(2)
            #expect(filtered.ok && !rows.contains { $0.contains(" running ") }, "/ filters:\n\(filtered.screen)")
            try tmux.send("Escape")
            _ = tmux.waitFor("2 jobs")
            // The filter took the cursor to the completed run; back to the newest, the live one.
            try tmux.send("Home")

            // Space marks the job under the cursor and moves down: both runs marked, C compares them.
            try tmux.send("Space")
            try tmux.send("Space")
            let marked = tmux.waitFor("2 marked")
            #expect(marked.ok, "Space marks:\n\(marked.screen)")
            try tmux.send("C")
            // A line per run once both logs are read: each run's mark in the legend, no run without the metric.
            let compared = tmux.waitFor {
                $0.contains("compare  2 runs") && $0.contains("Chart training/loss") && !$0.contains("without it")
                    && $0.contains("━ ") && $0.contains("◆ ")
            }
            #expect(compared.ok, "C opens the marked runs side by side, a line each:\n\(compared.screen)")
            #expect(compared.screen.contains("learning_rate"), "runs labelled by the params that differ:\n\(compared.screen)")
            try tmux.send("q")
            let listAgain = tmux.waitFor { $0.contains(" Jobs ") && $0.contains("2 marked") && !$0.contains("compare  2 runs") }
            #expect(listAgain.ok, "q in the comparison comes back to the list:\n\(listAgain.screen)")
            try tmux.send("Escape")
            try tmux.send("Home")

            try tmux.send("c")
            let asked = tmux.waitFor("Cancel the running job")
            #expect(asked.ok, "c asks first:\n\(asked.screen)")
            try tmux.send("y")
            let cancelled = tmux.waitFor(timeout: 20) { $0.contains(" cancelled ") }
            #expect(cancelled.ok, "the run is cancelled:\n\(cancelled.screen)")
            #expect(Harness.eventually(timeout: 10) { !live.isRunning })
            try tmux.send("q")
        }
    }
}
