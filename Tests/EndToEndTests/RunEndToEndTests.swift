import Foundation
import SynapsePlugins
import Testing

extension EndToEnd {
    /// `synapse-tui run` with the dashboard, in a real terminal, with a second terminal attached.
    @Suite(.serialized, .enabled(if: Harness.canRun, "\(Harness.skipReason ?? "")"))
    struct RunEndToEndTests {
        /// Reads a job's records (to check what the run recorded, not only what the screen showed).
        static func statuses(in log: String) -> [RunStatus] {
            guard let data = FileManager.default.contents(atPath: log) else { return [] }
            var decoder = EventLogDecoder()
            return decoder.feed(Array(data)).events.compactMap {
                if case .runStatus(let u) = $0.payload { u.status } else { nil }
            }
        }

        /// The final status's error message ("cancelled by user (q)").
        static func finalMessage(in log: String) -> String? {
            guard let data = FileManager.default.contents(atPath: log) else { return nil }
            var decoder = EventLogDecoder()
            return decoder.feed(Array(data)).events.compactMap {
                if case .runStatus(let u) = $0.payload { u.error?.message } else { nil }
            }.last
        }

        @Test func runReachesCompletedWhileASecondTerminalAttachesToTheSameJob() throws {
            let home = TestHome()
            let job = "e2e-run-\(getpid())"
            let run = try TmuxSession(
                width: 120, height: 40,
                command: Harness.command("run", "train", "--job-id", job, "--params", #"{"epochs": 12, "epoch_seconds": 0.4}"#),
                environment: home.environment)
            #expect(run.waitFor("running").ok, "the dashboard shows the live run:\n\(run.capture())")
            let attach = try TmuxSession(width: 100, height: 30, command: Harness.command("attach", job),
                                         environment: home.environment)
            #expect(attach.waitFor("running").ok, "the attached terminal sees the run live:\n\(attach.capture())")
            let ran = run.waitFor(timeout: 30) { $0.localizedCaseInsensitiveContains("completed") && $0.contains("100%") }
            #expect(ran.ok, "run screen:\n\(ran.screen)")
            let attached = attach.waitFor(timeout: 15) { $0.localizedCaseInsensitiveContains("completed") && $0.contains("100%") }
            #expect(attached.ok, "attach screen:\n\(attached.screen)")
            #expect(Self.statuses(in: home.jobLog(job)).last == .completed)
            try run.send("q")
            #expect(run.waitFor(timeout: 5) { _ in run.isDead }.ok, "q after the run finished quits at once")
        }

        /// The first percentage on the screen row that starts with `label` (after the marker column).
        static func percent(_ label: String, in screen: String) -> Double? {
            guard let row = screen.split(separator: "\n").first(where: { $0.dropFirst(2).hasPrefix(label + " ") }) else { return nil }
            let words = row.split(separator: " ")
            guard let word = words.first(where: { $0.hasSuffix("%") && Double($0.dropLast()) != nil }) else { return nil }
            return Double(word.dropLast())
        }

        @Test func liveOverallNeverGoesBackAndStaysWithinFivePointsOfTraining() throws {
            // The issue's check: a live 80x24 `run train`, sampled every 100 ms.
            let home = TestHome()
            let job = "e2e-overall-\(getpid())"
            let run = try TmuxSession(
                width: 80, height: 24,
                command: Harness.command("run", "train", "--job-id", job, "--params", #"{"epochs": 40, "epoch_seconds": 0.15}"#),
                environment: home.environment)
            var samples: [(overall: Double, training: Double)] = []
            let deadline = Date().addingTimeInterval(60)
            var finished = false
            while Date() < deadline {
                let screen = run.capture()
                if let o = Self.percent("overall", in: screen), let t = Self.percent("training", in: screen) {
                    samples.append((o, t))
                }
                if screen.contains("COMPLETED") { finished = true; break }
                usleep(100_000)
            }
            #expect(finished, "the run completed:\n\(run.capture())")
            #expect(samples.count >= 20, "sampled \(samples.count) frames with both figures")
            for (k, s) in samples.enumerated() {
                #expect(abs(s.overall - s.training) <= 5, "frame \(k): overall \(s.overall) vs training \(s.training)")
                if k > 0 { #expect(s.overall >= samples[k - 1].overall, "frame \(k): overall went back \(samples[k - 1].overall) -> \(s.overall)") }
            }
            #expect(samples.last?.overall == 100)
            try run.send("q")
            #expect(run.waitFor(timeout: 5) { _ in run.isDead }.ok)
        }

        @Test func ctrlCDuringARunRecordsCancelledAndRestoresTheTerminal() throws {
            let home = TestHome()
            let job = "e2e-cancel-\(getpid())"
            let tmux = try TmuxSession(width: 120, height: 40, command: "sh", environment: home.environment)
            try tmux.type(Harness.command("run", "train", "--job-id", job, "--params", #"{"epochs": 200, "epoch_seconds": 0.5}"#)
                + "; echo exit\"\"code=$?\n")  // the quotes keep the typed command from matching "exitcode="
            #expect(tmux.waitFor("running").ok)
            try tmux.send("C-c")
            let exited = tmux.waitFor(timeout: 15) { $0.contains("exitcode=") }
            #expect(exited.ok, "the run ends after Ctrl-C:\n\(exited.screen)")
            #expect(exited.screen.contains("exitcode=130"))
            #expect(Self.statuses(in: home.jobLog(job)).last == .cancelled, "the log records cancelled")
            #expect(Self.finalMessage(in: home.jobLog(job)) == "cancelled by SIGINT (Ctrl-C)")
            #expect(exited.screen.contains("cancelled by SIGINT (Ctrl-C)"), "the summary says why:\n\(exited.screen)")
            try tmux.type("clear; stty -a\n")
            let stty = tmux.waitFor { $0.contains("icanon") }
            let words = stty.screen.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init)
            #expect(words.contains("icanon") && words.contains("echo"), "terminal restored:\n\(stty.screen)")
        }

        @Test func aFailedActionShowsFailedAndQExitsWithItsCode() throws {
            let home = TestHome()
            let job = "e2e-fail-\(getpid())"
            let tmux = try TmuxSession(width: 100, height: 30, command: "sh", environment: home.environment)
            try tmux.type(Harness.command("run", "train", "--job-id", job, "--params",
                                          #"{"epochs": 5, "epoch_seconds": 0.1, "fail_at_epoch": 2}"#)
                + "; echo exit\"\"code=$?\n")
            // The header's status (a message of the action says "Failed to read..." earlier).
            let failed = tmux.waitFor { $0.contains(" FAILED ") }
            #expect(failed.ok, "the dashboard stays up on the failed run:\n\(failed.screen)")
            try tmux.send("q")
            let exited = tmux.waitFor { $0.contains("exitcode=") }
            #expect(exited.screen.contains("exitcode=1"), "\(exited.screen)")
            #expect(Self.statuses(in: home.jobLog(job)).last == .failed)
            try tmux.type("clear; stty -a\n")
            let stty = tmux.waitFor { $0.contains("icanon") }
            let words = stty.screen.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init)
            #expect(words.contains("icanon") && words.contains("echo"), "terminal restored:\n\(stty.screen)")
        }

        @Test func sigtermDuringARunRecordsCancelled() throws {
            let home = TestHome()
            let job = "e2e-term-\(getpid())"
            let tmux = try TmuxSession(
                width: 100, height: 30,
                command: Harness.command("run", "train", "--job-id", job, "--params", #"{"epochs": 200, "epoch_seconds": 0.5}"#),
                environment: home.environment)
            #expect(tmux.waitFor("running").ok)
            let pid = try #require(tmux.panePID)
            #expect(kill(pid, SIGTERM) == 0)
            #expect(tmux.waitFor(timeout: 15) { _ in tmux.isDead }.ok, "SIGTERM ends the run")
            #expect(Self.statuses(in: home.jobLog(job)).last == .cancelled, "and the log records cancelled")
        }

        @Test func cKeyCancelsAfterConfirmationAndTheScreenShowsCancelled() throws {
            let home = TestHome()
            let job = "e2e-ckey-\(getpid())"
            let tmux = try TmuxSession(
                width: 120, height: 40,
                command: Harness.command("run", "train", "--job-id", job, "--params", #"{"epochs": 200, "epoch_seconds": 0.5}"#),
                environment: home.environment)
            #expect(tmux.waitFor("running").ok)
            try tmux.send("c")
            try tmux.send("y")
            let cancelled = tmux.waitFor(timeout: 15) { $0.localizedCaseInsensitiveContains("cancelled") }
            #expect(cancelled.ok, "the dashboard shows the cancelled run:\n\(cancelled.screen)")
            #expect(Harness.eventually { Self.statuses(in: home.jobLog(job)).last == .cancelled }, "the log records cancelled")
            #expect(Self.finalMessage(in: home.jobLog(job)) == "cancelled by user (c)")
            try tmux.send("q")
            #expect(tmux.waitFor(timeout: 5) { _ in tmux.isDead }.ok)
        }

        @Test func qConfirmedDuringARunRecordsWhy() throws {
            let home = TestHome()
            let job = "e2e-qkey-\(getpid())"
            let tmux = try TmuxSession(width: 100, height: 30, command: "sh", environment: home.environment)
            try tmux.type(Harness.command("run", "train", "--job-id", job, "--params", #"{"epochs": 200, "epoch_seconds": 0.5}"#)
                + "; echo exit\"\"code=$?\n")
            #expect(tmux.waitFor("running").ok)
            try tmux.send("q")
            try tmux.send("y")
            let exited = tmux.waitFor(timeout: 15) { $0.contains("exitcode=") }
            #expect(exited.screen.contains("exitcode=130"), "\(exited.screen)")
            #expect(exited.screen.contains("cancelled by user (q)"), "the summary says why:\n\(exited.screen)")
            #expect(Self.finalMessage(in: home.jobLog(job)) == "cancelled by user (q)")
        }
    }
}
