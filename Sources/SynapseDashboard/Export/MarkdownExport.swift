import SynapsePlugins

/// `export --format md`: a summary to paste into a pull request or an issue (GitHub-flavoured Markdown,
/// no HTML): status, duration, params, a table of last/best metrics, the error. Several runs get a
/// section each.
package enum MarkdownExport {
    package static func document(_ runs: [ExportSummary]) -> String {
        runs.map(section).joined(separator: "\n")
    }

    static func section(_ e: ExportSummary) -> String {
        let md = ExportText.markdown
        let r = e.summary
        var out = "## \(md(title(r))) `\(e.run.filter { $0 != "`" && !$0.isNewline })`\n\n"
        out += "| | |\n|---|---|\n"
        out += "| Status | **\(md(r.statusWord))** |\n"
        if let d = r.duration { out += "| Duration | \(md(NumberFormat.duration(d))) |\n" }
        if let s = r.started { out += "| Started | \(md(ExportText.isoTime(s))) |\n" }
        if let t = r.ended { out += "| Ended | \(md(ExportText.isoTime(t))) |\n" }
        if let h = r.host { out += "| Host | \(md(h)) |\n" }
        if let p = r.progressText { out += "| Progress | \(md(p)) |\n" }
        out += "| Events | \(r.events) |\n"
        if e.warnings + e.errors > 0 {
            out += "| Messages | \(e.messages) (\(ExportText.count(e.warnings, "warning")), \(ExportText.count(e.errors, "error"))) |\n"
        }
        if r.unreadableLines > 0 { out += "| Unreadable lines | \(r.unreadableLines) |\n" }
        if r.droppedRecords > 0 { out += "| Dropped records | \(r.droppedRecords) |\n" }
        if let sys = e.system {
            out += "| Peak CPU | \(md(NumberFormat.number(sys.peakCPUPercent))) % of a core |\n"
            out += "| Peak memory | \(md(bytes(sys.peakRSSBytes))) |\n"
        }
        if case .object(let o)? = r.params, !o.isEmpty {
            out += "\n### Params\n\n| Name | Value |\n|---|---|\n"
            for (k, v) in o.members { out += "| \(md(k)) | \(md(scalar(v))) |\n" }
        }
        if !r.metrics.isEmpty {
            out += "\n### Metrics\n\n| Step | Metric | Last | Best | At | Min | Max | Samples |\n|---|---|--:|--:|--:|--:|--:|--:|\n"
            for m in r.metrics {
                out += "| \(md(stepLabel(m))) | \(md(m.name)) | \(md(m.last.map(NumberFormat.number) ?? "")) "
                out += "| \(md(m.best.map(NumberFormat.number) ?? "")) | \(md(bestAt(m))) "
                out += "| \(md(m.min.map(NumberFormat.number) ?? "")) | \(md(m.max.map(NumberFormat.number) ?? "")) "
                out += "| \(m.samples)\(m.nonFinite > 0 ? " (\(m.nonFinite) non-finite)" : "") |\n"
            }
            out += "\nBest: the lowest value of losses and errors, the highest of accuracies and scores (by the metric's name).\n"
        }
        if case .object(let o)? = r.result, !o.isEmpty {
            out += "\n### Result\n\n| Name | Value |\n|---|---|\n"
            for (k, v) in o.members { out += "| \(md(k)) | \(md(scalar(v))) |\n" }
        } else if let result = r.result, !result.isNull {
            out += "\n### Result\n\n" + ExportText.markdownCodeBlock(result.jsonText)
        }
        if let err = r.error {
            out += "\n### Error\n\n**\(md(err.type))**\n\n" + ExportText.markdownCodeBlock(err.message)
        }
        return out
    }

    /// The run's title: its action, a pipeline's actions, or `run`.
    static func title(_ r: RunSummary) -> String { r.actions.isEmpty ? "run" : r.actions.joined(separator: ", ") }

    static func stepLabel(_ m: MetricSummary) -> String { m.category ? "\(m.step) (log_metric)" : m.step }

    /// Where the best value came: `epoch 4`, or `sample 7` when the samples had no counter.
    static func bestAt(_ m: MetricSummary) -> String {
        if let at = m.bestAt { return "\(m.counterName ?? "x") \(NumberFormat.number(at))" }
        return m.bestSample.map { "sample \($0)" } ?? ""
    }

    /// A value for a cell: text as is, anything else as compact JSON.
    static func scalar(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .double(let d): return NumberFormat.number(d)
        default: return v.jsonText
        }
    }

    static func bytes(_ n: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var v = Double(n), i = 0
        while v >= 1024, i < units.count - 1 { v /= 1024; i += 1 }
        return i == 0 ? "\(n) B" : "\(NumberFormat.number((v * 10).rounded() / 10)) \(units[i])"
    }
}
