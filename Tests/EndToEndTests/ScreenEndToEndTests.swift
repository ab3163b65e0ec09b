import Foundation
import Testing

extension EndToEnd {
    /// Issue #18 in a real terminal: at every size no pane with content is hidden while rows sit empty, Enter
    /// opens a long message whole, Home/End as tmux sends them work, and LC_ALL=C draws ASCII.
    @Suite(.serialized, .enabled(if: Harness.canRun, "\(Harness.skipReason ?? "")"))
    struct ScreenEndToEndTests {
        /// The training fixture plus one 10,000-character warning at the end.
        static func longMessageLog(in home: TestHome) throws -> String {
            let fixture = Harness.packageRoot.appendingPathComponent("Tests/Fixtures/training-completed.jsonl")
            var text = try String(contentsOf: fixture, encoding: .utf8)
            let words = (0..<1_300).map { "word\($0)" }.joined(separator: " ") + " THE-END"
            text += #"{"v":1,"event":"message","timestamp":1796190000.0,"level":"warning","data":{"content":"\#(words)"}}"# + "\n"
            let path = home.file("long.jsonl")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        @Test(arguments: [(80, 24), (120, 40), (200, 50), (60, 15), (40, 12)])
        func everySizeShowsThePanesAndEnterOpensTheLongMessage(size: (Int, Int)) throws {
            let home = TestHome()
            let log = try Self.longMessageLog(in: home)
            let tmux = try TmuxSession(width: size.0, height: size.1, command: Harness.command("attach", "--file", log),
                                       environment: home.environment)
            let screen = tmux.waitFor { $0.contains("Metrics") && $0.contains("word0") }
            #expect(screen.ok, "\(size): \(screen.screen)")
            for title in ["Progress", "Metrics", "Messages", "Events"] {
                #expect(screen.screen.contains(title), "\(size): \(title) missing:\n\(screen.screen)")
            }
            // No blank row between the header and the status line (every row belongs to a pane with content).
            let rows = screen.screen.split(separator: "\n", omittingEmptySubsequences: false).prefix(size.1)
            let blank = rows.dropFirst().dropLast().filter { $0.trimmingCharacters(in: .whitespaces).isEmpty }
            #expect(blank.isEmpty, "\(size): \(blank.count) blank rows:\n\(screen.screen)")
            try tmux.send("Enter")
            let detail = tmux.waitFor("Message 11")
            #expect(detail.ok, "\(size): the detail view opens:\n\(detail.screen)")
            try tmux.send("End")
            #expect(tmux.waitFor("THE-END").ok, "\(size): End reaches the message's end")
            try tmux.send("Escape")
            #expect(tmux.waitFor { !$0.contains("THE-END") && $0.contains("Messages") }.ok)
            try tmux.send("q")
        }

        @Test func homeAndEndAsTmuxSendsThem() throws {
            let home = TestHome()
            let log = try Self.longMessageLog(in: home)
            let tmux = try TmuxSession(width: 80, height: 24, command: Harness.command("attach", "--file", log),
                                       environment: home.environment)
            #expect(tmux.waitFor("word0").ok)
            try tmux.send("Home")
            let top = tmux.waitFor { $0.contains("Loading dataset") && $0.contains("PAUSED") }
            #expect(top.ok, "Home shows the oldest message:\n\(top.screen)")
            try tmux.send("End")
            #expect(tmux.waitFor { $0.contains("word0") && !$0.contains("PAUSED") }.ok)
            try tmux.send("q")
        }

        @Test func theCLocaleDrawsASCII() throws {
            let home = TestHome()
            let log = try Self.longMessageLog(in: home)
            var environment = home.environment
            environment["LC_ALL"] = "C"
            environment["LANG"] = "C"
            let tmux = try TmuxSession(width: 80, height: 24, command: Harness.command("attach", "--file", log),
                                       environment: environment)
            let screen = tmux.waitFor { $0.contains("- Progress") && $0.contains("#") }
            #expect(screen.ok, "\(screen.screen)")
            #expect(screen.screen.unicodeScalars.allSatisfy { $0.isASCII }, "\(screen.screen)")
            try tmux.send("q")
        }
    }
}
