import Foundation
import Testing
import SynapseDashboard
import SynapsePlugins

/// The final screen of a real Python plugin run (synapse-sdk 2026.2.17, the demo plugin's `train`), from
/// the bridge's event log and from the unmodified SDK's console output (fixtures captured by
/// `integrations/python/tests/capture_console.py`).
@Suite struct PythonPluginScreenTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/console")

    func screen(_ events: [Event]) -> String {
        var state = DashboardState()
        state.apply(events)
        let canvas = DashboardRenderer.render(state, ui: UIState(), size: Size(width: 120, height: 40),
                                              options: RenderOptions(ascii: true))
        return PlainTextRenderer.text(canvas)
    }

    func expectFinalState(_ text: String, _ source: String) {
        for needle in ["COMPLETED", "100%", "train", "validation", "loss", "0.3333", "mAP", "Training finished"] {
            #expect(text.contains(needle), "\(source): '\(needle)' missing from\n\(text)")
        }
    }

    @Test func bridgeLogShowsTheFinalState() throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("bridge-train.jsonl"))
        var decoder = EventLogDecoder()
        let batch = decoder.feed(Array(data))
        #expect(batch.unreadable.isEmpty)
        expectFinalState(screen(batch.events), "bridge log")
    }

    @Test func unmodifiedConsoleOutputShowsTheFinalState() throws {
        let out = String(decoding: try Data(contentsOf: Self.fixtures.appendingPathComponent("local-train.stdout")), as: UTF8.self)
        let err = String(decoding: try Data(contentsOf: Self.fixtures.appendingPathComponent("local-train.stderr")), as: UTF8.self)
        expectFinalState(screen(ConsoleLineParser.parse(stdout: out, stderr: err, now: { 1_764_000_000 })), "console capture")
    }
}
