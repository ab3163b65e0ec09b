import Foundation
import SynapsePlugins
import Testing
@testable import SynapseDashboard

/// The export formats against golden files, and their escaping and masking rules.
@Suite struct ExportTests {
    /// A fixture read as `export` reads it, with the CSV rows it streams.
    static func record(_ name: String, run: String) -> (RunRecording, String) {
        let url = Repo.fixtures.appendingPathComponent(name + ".jsonl")
        let bytes = [UInt8]((try? Data(contentsOf: url)) ?? Data())
        var decoder = EventLogDecoder()
        var recording = RunRecording(run: run)
        var csv = ""
        var batch = decoder.feed(bytes)
        let last = decoder.finish()
        batch.events += last.events
        batch.unreadable += last.unreadable
        for event in batch.events { recording.apply(event) { csv += CSVExport.row(run: run, $0) } }
        for line in batch.unreadable { recording.apply(unreadable: line) }
        return (recording, csv)
    }

    /// Compares with `Golden/<file>` (`SYNAPSE_UPDATE_GOLDEN=1` rewrites it).
    static func golden(_ file: String, _ text: String) {
        let url = Repo.golden.appendingPathComponent(file)
        if Golden.updating {
            try? text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try? String(contentsOf: url, encoding: .utf8)
        #expect(expected != nil, "missing golden file \(file) (run with SYNAPSE_UPDATE_GOLDEN=1)")
        guard let expected, expected != text else { return }
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = text.split(separator: "\n", omittingEmptySubsequences: false)
        let i = (0..<min(e.count, a.count)).first { e[$0] != a[$0] } ?? min(e.count, a.count)
        Issue.record("\(file): line \(i + 1) differs\nexpected: \(i < e.count ? e[i] : "<none>")\nactual:   \(i < a.count ? a[i] : "<none>")")
    }

    @Test func csvGolden() throws {
        let (_, rows) = Self.record("export-report", run: "9c1e55aa")
        Self.golden("export-report.csv", CSVExport.header + rows)
        // Every numeric sample is a row: 12 training records x 4 values, 4 validation x 3, 2 log_metric x 2,
        // and the system records' figures.
        let lines = rows.split(separator: "\r\n")
        #expect(lines.filter { $0.hasPrefix("9c1e55aa,training,") }.count == 48)
        #expect(lines.filter { $0.hasPrefix("9c1e55aa,validation,epoch,") }.count == 12)
        #expect(lines.contains("9c1e55aa,eval,trial,2,f1,0.86,2025-11-25T13:20:49.500Z"))
        #expect(lines.contains { $0.hasPrefix("9c1e55aa,training,epoch,2,loss,NaN,") })
        #expect(lines.contains { $0.hasPrefix("9c1e55aa,system,time,48.9,cpu_percent,140,") })
    }

    @Test func csvQuotingFollowsRFC4180() {
        #expect(ExportText.csvField("plain") == "plain")
        #expect(ExportText.csvField("a,b") == "\"a,b\"")
        #expect(ExportText.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(ExportText.csvField("two\nlines") == "\"two\nlines\"")
        // A spreadsheet must not run a name as a formula; control characters never pass.
        #expect(ExportText.csvField("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0")
        #expect(ExportText.csvField("esc\u{1B}[31m") == "esc\u{FFFD}[31m")
    }

    @Test func jsonGolden() throws {
        let (recording, _) = Self.record("export-report", run: "9c1e55aa")
        let text = JSONExport.document([ExportSummary(recording)])
        Self.golden("export-report.json", text)
        let parsed = try JSONParser.parse(Array(text.utf8))
        #expect(parsed["status"] == "completed")
        #expect(parsed["params"]?["api_key"] == .string(PluginEnvironment.mask))
        #expect(parsed["params"]?["AUTH_TOKEN"] == .string(PluginEnvironment.mask))
        #expect(parsed["params"]?["db"]?["Password"] == .string(PluginEnvironment.mask))
        #expect(parsed["params"]?["db"]?["host"] == "db|1")
        #expect(parsed["result"]?["secret_url"] == .string(PluginEnvironment.mask))
        #expect(!text.contains("sk-live-123") && !text.contains("hunter2") && !text.contains("t0k"))
        // The best loss is the lowest, with the epoch where it was reached; accuracy's is the highest.
        let metrics = try #require(parsed["metrics"]?.arrayValue)
        let loss = try #require(metrics.first { $0["name"] == "loss" })
        #expect(loss["best"] == 0.4082 && loss["best_at"]?.doubleValue == 4 && loss["goal"] == "min" && loss["non_finite"] == 1)
        let accuracy = try #require(metrics.first { $0["name"] == "accuracy" })
        #expect(accuracy["best"] == 0.93 && accuracy["goal"] == "max")
        #expect(parsed["run"] == "9c1e55aa" && parsed["job_id"] == "9c1e55aa")
        #expect(parsed["system"]?["samples"] == 5 && parsed["system"]?["peak_cpu_percent"]?.doubleValue == 140)
        #expect(parsed["messages"]?["warnings"] == 1 && parsed["steps"]?.arrayValue?.first?["done"] == true)
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    }

    @Test func jsonOfSeveralRunsIsAnArray() throws {
        let a = ExportSummary(Self.record("export-report", run: "a").0)
        let b = ExportSummary(Self.record("export-failed", run: "b").0)
        let parsed = try JSONParser.parse(Array(JSONExport.document([a, b]).utf8))
        #expect(parsed.arrayValue?.map { $0["run"] } == ["a", "b"])
        #expect(parsed.arrayValue?[1]["error"]?["type"] == "ConnectionError")
    }

    @Test func markdownGolden() {
        let runs = [ExportSummary(Self.record("export-report", run: "9c1e55aa").0),
                    ExportSummary(Self.record("export-failed", run: "7b21d4c0").0)]
        let text = MarkdownExport.document(runs)
        Self.golden("export-report.md", text)
        #expect(!text.contains("sk-live-123") && !text.contains("hunter2"))
        // A pipe in a value never splits its cell; HTML in a value is text.
        #expect(text.contains("db\\|1") && text.contains("\\<b\\>bold\\</b\\>"))
        #expect(text.contains("### Error\n\n**ConnectionError**\n\n```\nconnection reset by peer (storage.example.com:443)\n```\n"))
        for line in text.split(separator: "\n") where line.hasPrefix("| ") {
            // Every row of a table has as many unescaped pipes as its header.
            let cells = line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count
            #expect(cells == 3 || cells == 9, "\(line)")
        }
    }

    @Test func markdownCodeBlockOutrunsBackticks() {
        #expect(ExportText.markdownCodeBlock("a ``` b") == "````\na ``` b\n````\n")
    }

    @Test func htmlGolden() {
        let (recording, _) = Self.record("export-report", run: "9c1e55aa")
        let text = HTMLExport.document([recording])
        Self.golden("export-report.html", text)
        #expect(!text.contains("<script") && !text.contains("sk-live-123") && !text.contains("hunter2"))
        #expect(text.contains("Loading &lt;script&gt;alert(1)&lt;/script&gt; data"))
        #expect(!text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F..<0xA0).contains($0.value) })
        // A chart for every numeric metric but the counter, and the system figures.
        for title in ["training/loss", "training/accuracy", "training/grad.norm", "validation/val_loss", "eval[metric]/f1",
                      "system/cpu % of a core", "system/memory (RSS bytes)"] {
            #expect(text.contains("<figcaption>\(ExportText.html(title))</figcaption>"), "\(title)")
        }
        #expect(!text.contains("<figcaption>training/epoch</figcaption>"))
        #expect(text.contains("class=\"axis-name\" text-anchor=\"middle\">epoch</text>"))
        #expect(text.contains("<li class=\"lv-warning\">") && text.contains("<li class=\"lv-danger\">"))
        #expect(text.contains("NaN at "))
    }

    @Test func htmlComparesRuns() {
        let a = Self.record("export-report", run: "run-a").0
        let b = Self.record("train-val-nan", run: "run-b").0
        let text = HTMLExport.document([a, b])
        Self.golden("export-compare.html", text)
        #expect(text.contains("<title>2 runs compared</title>"))
        // One chart per metric with a line per run that has it.
        #expect(text.contains("<g class=\"series\" data-label=\"run-a\">"))
        #expect(text.contains("<g class=\"series\" data-label=\"run-b\">"))
    }

    @Test func isoTimes() {
        #expect(ExportText.isoTime(0) == "")
        #expect(ExportText.isoTime(1_764_076_800.25) == "2025-11-25T13:20:00.250Z")
        #expect(ExportText.isoTime(951_782_400) == "2000-02-29T00:00:00.000Z")
    }
}
