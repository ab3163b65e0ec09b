import Foundation
import Testing

extension EndToEnd {
    /// The chart in a real terminal: a run with train and validation metrics and a NaN loss, at the two
    /// sizes people use.
    @Suite(.serialized, .enabled(if: Harness.canRun, "\(Harness.skipReason ?? "")"))
    struct ChartEndToEndTests {
        static let fixture = Harness.packageRoot.appendingPathComponent("Tests/Fixtures/train-val-nan.jsonl").path

        @Test(arguments: [(80, 24), (200, 50)])
        func lossAndValLossShareTheEpochAxisAndTheNaNIsVisible(size: (Int, Int)) throws {
            let home = TestHome()
            let tmux = try TmuxSession(width: size.0, height: size.1, command: Harness.command("attach", "--file", Self.fixture),
                                       environment: home.environment)
            let screen = tmux.waitFor { $0.contains("val_loss") && $0.contains(" epoch ") && $0.contains("×") }
            #expect(screen.ok, "legend, epoch axis and NaN mark:\n\(screen.screen)")
            let lines = screen.screen.split(separator: "\n")
            // One chart: its legend names both series, its axis row names the counter and its range.
            #expect(lines.contains { $0.contains("━ loss") && $0.contains("◆ val_loss") }, "\(screen.screen)")
            #expect(lines.contains { $0.contains(" 1 ") && $0.contains(" epoch ") && $0.contains(" 10") }, "\(screen.screen)")
            #expect(screen.screen.contains("NaN×1"), "the table counts the NaN:\n\(screen.screen)")
            try tmux.send("s")
            #expect(tmux.waitFor("EMA 0.6").ok)
            try tmux.send("x")
            let time = tmux.waitFor(" time ")
            #expect(time.ok, "x switches to time since start:\n\(time.screen)")
            try tmux.send("q")
        }
    }
}
