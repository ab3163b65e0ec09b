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

    /// The SDK's tqdm bar prints only a percentage (`total=100, unit='%'`): the step shows that percent, with
    /// no invented `100/100` and no "/s" rate, from the console output, through the log as `run -- CMD`
    /// writes it, and through `show`'s block reader.
    @Test func sdkTqdmProgressIsAPercentWithoutCountsOrRate() throws {
        let out = String(decoding: try Data(contentsOf: Self.fixtures.appendingPathComponent("local-train.stdout")), as: UTF8.self)
        let err = String(decoding: try Data(contentsOf: Self.fixtures.appendingPathComponent("local-train.stderr")), as: UTF8.self)
        let events = ConsoleLineParser.parse(stdout: out, stderr: err, now: { 1_764_000_000 })
        let progress = events.compactMap { event -> ProgressData? in
            if case .progress(let p) = event.payload { return p } else { return nil }
        }
        #expect(!progress.isEmpty && progress.allSatisfy(\.percentOnly))

        let log = events.flatMap { EventCodec.encodeLine($0) }
        var decoder = EventLogDecoder()
        let batch = decoder.feed(log)
        #expect(batch.unreadable.isEmpty)
        // (the whole arrays differ only by NaN != NaN in a metrics record)
        #expect(batch.events.compactMap { event -> ProgressData? in
            if case .progress(let p) = event.payload { return p } else { return nil }
        } == progress)
        var ingested = DashboardState()
        log.withUnsafeBufferPointer { _ = ingested.ingest(lines: $0, firstLine: 1) }

        var viaBlocks = PlainTextRenderer.text(DashboardRenderer.render(
            ingested, ui: UIState(), size: Size(width: 120, height: 40), options: RenderOptions(ascii: true)))
        viaBlocks = viaBlocks.isEmpty ? "(empty)" : viaBlocks
        for (text, source) in [(screen(events), "console"), (screen(batch.events), "log"), (viaBlocks, "show's reader")] {
            let row = try #require(text.split(separator: "\n").first { $0.contains("train") && $0.contains("100%") },
                                   "\(source): no train row in\n\(text)")
            #expect(!row.contains("100/100") && !row.contains("/s"), "\(source): \(row)")
        }
    }
}
