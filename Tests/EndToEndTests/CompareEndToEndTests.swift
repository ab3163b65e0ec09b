import Foundation
import Testing

extension EndToEnd {
    /// `compare` in the real binary on two real runs (`run train --headless` with two learning rates) while
    /// they run: both lines and labels, the runs followed to their end, the keys.
    @Suite(.serialized, .enabled(if: Harness.canRun, "\(Harness.skipReason ?? "")"))
    struct CompareEndToEndTests {
        /// Starts `run train --headless` as job `id` in `home`.
        func startRun(_ id: String, learningRate: Double, epochs: Int, epochSeconds: Double, home: TestHome) throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try #require(Harness.binary))
            process.arguments = ["run", "train", "--headless", "--job-id", id, "--params",
                                 #"{"learning_rate":\#(learningRate),"epochs":\#(epochs),"epoch_seconds":\#(epochSeconds),"api_key":"sk-e2e-secret"}"#]
            process.environment = ProcessInfo.processInfo.environment.merging(home.environment) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            return process
        }

        @Test(arguments: [(80, 24), (200, 50)])
        func twoRealRunsSideBySideOneLive(width: Int, height: Int) throws {
            let home = TestHome()
            // The same params but the learning rate, both running, long enough to be seen running.
            let runs = try [("cmpfast-0000", 0.01), ("cmpslow-0000", 0.001)].map { id, lr in
                try startRun(id, learningRate: lr, epochs: 40, epochSeconds: 0.25, home: home)
            }
            defer { for run in runs where run.isRunning { run.terminate() } }
            for id in ["cmpfast-0000", "cmpslow-0000"] {
                // Not `home.jobLog`: that makes the job's folder, which `run --job-id` must create itself.
                let log = home.path + "/jobs/\(id)/events.jsonl"
                #expect(Harness.eventually { (try? String(contentsOfFile: log, encoding: .utf8))?.contains("\"metrics\"") == true })
            }

            let tmux = try TmuxSession(width: width, height: height, command: Harness.command("compare", "cmpfast", "cmpslow"),
                                       environment: home.environment)
            let first = tmux.waitFor { $0.contains("learning_rate=0.01") && $0.contains("learning_rate=0.001") && $0.contains("running") }
            #expect(first.ok, "both runs, labelled by the param that differs, running:\n\(first.screen)")
            #expect(first.screen.contains("params that differ: learning_rate "), "\(first.screen)")
            #expect(first.screen.contains("Chart training/loss"), "\(first.screen)")
            #expect(first.screen.contains("━ learning_rate=0.01") && first.screen.contains("◆ learning_rate=0.001"),
                    "the legend names both lines with their marks:\n\(first.screen)")
            #expect(first.screen.contains("LIVE"))
            #expect(!first.screen.contains("sk-e2e-secret"))
            // The live runs are followed to their end.
            let finished = tmux.waitFor(timeout: 40) { $0.contains("2 completed") }
            #expect(finished.ok, "the live runs complete on screen:\n\(finished.screen)")
            // Down picks the next metric; x the time axis.
            try tmux.send("Down")
            let next = tmux.waitFor("Chart training/accuracy")
            #expect(next.ok, "\(next.screen)")
            try tmux.send("x")
            let time = tmux.waitFor("x: time")
            #expect(time.ok, "\(time.screen)")
            try tmux.send("q")
            #expect(tmux.waitFor { !$0.contains("Chart training") }.ok)
            for run in runs { run.waitUntilExit() }
        }
    }
}
