import SynapsePlugins

/// `export --format html`: one self-contained page (no scripts, no network: a Content-Security-Policy says
/// so to the browser too) with each run's summary, params, result or error, a chart of every numeric
/// metric with its x axis, the system figures, and the messages coloured by level. Several runs make a
/// comparison: a table of the runs, then one chart per metric with a line per run, then each run's details.
package enum HTMLExport {
    /// The page; `summaries` (one per recording, in order) default to the recordings' own.
    package static func document(_ recordings: [RunRecording], summaries: [ExportSummary]? = nil, title: String? = nil) -> String {
        let summaries = summaries ?? recordings.map { ExportSummary($0) }
        let h = ExportText.html
        let pageTitle = title ?? (recordings.count == 1
            ? "\(MarkdownExport.title(summaries[0].summary)) \(summaries[0].run)" : "\(recordings.count) runs compared")
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta name=\"generator\" content=\"synapse-tui export\">\n"
        out += "<title>\(h(pageTitle))</title>\n<style>\(style)</style>\n</head>\n<body>\n"
        out += "<h1>\(h(pageTitle))</h1>\n"
        if recordings.count > 1 { out += comparison(recordings, summaries) }
        for (r, s) in zip(recordings, summaries) { out += section(r, s, charts: recordings.count == 1) }
        out += "</body>\n</html>\n"
        return out
    }

    static let style = """
        body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#1b1f24;background:#fff}
        h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #d0d7de;padding-bottom:4px}h3{font-size:15px}
        table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
        td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f6f8fa}
        .status{font-weight:bold;padding:1px 6px;border-radius:4px;color:#fff;background:#6e7781}
        .status.completed{background:#1a7f37}.status.failed{background:#cf222e}.status.cancelled{background:#9a6700}.status.running{background:#0969da}
        pre{background:#f6f8fa;padding:8px;overflow:auto;white-space:pre-wrap}pre.error{border-left:4px solid #cf222e}
        .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:16px}
        figure{margin:0;border:1px solid #d0d7de;border-radius:6px;padding:8px}figcaption{font-weight:600;margin-bottom:4px}
        svg.chart{width:100%;height:auto;display:block}svg .plot{fill:#fff;stroke:none}svg .grid{stroke:#eaeef2}
        svg .axis{stroke:#57606a}svg .tick,svg .axis-name{font:11px system-ui,sans-serif;fill:#57606a}svg .nonfinite{stroke:#cf222e;stroke-width:2}
        .legend{font-size:12px;color:#57606a}.swatch{display:inline-block;width:10px;height:10px;margin:0 4px 0 8px;border-radius:2px}
        ol.messages{list-style:none;padding:0;font:12px/1.4 ui-monospace,monospace}ol.messages li{padding:1px 4px;white-space:pre-wrap}
        .lv-debug{color:#6e7781}.lv-success{color:#1a7f37}.lv-warning{color:#9a6700;background:#fff8c5}
        .lv-danger,.lv-error{color:#cf222e;background:#ffebe9}.lv-critical{color:#fff;background:#cf222e}
        .muted{color:#6e7781}
        """

    static func statusBadge(_ s: ExportSummary) -> String {
        let word = s.summary.statusWord
        return "<span class=\"status \(ExportText.html(word))\">\(ExportText.html(word))</span>"
    }

    static func comparison(_ recordings: [RunRecording], _ summaries: [ExportSummary]) -> String {
        let h = ExportText.html
        var out = "<h2>Runs</h2>\n<table class=\"runs\"><tr><th>Run</th><th>Action</th><th>Status</th><th>Duration</th>"
        // The metrics every run's table shows: each (step, name) in order of first appearance over the runs.
        var ids: [MetricID] = []
        for s in summaries { for m in s.summary.metrics where !ids.contains(m.id) { ids.append(m.id) } }
        for id in ids { out += "<th>\(h(id.description)) (last)</th>" }
        out += "</tr>\n"
        for s in summaries {
            out += "<tr><td>\(h(s.run))</td><td>\(h(MarkdownExport.title(s.summary)))</td><td>\(statusBadge(s))</td>"
            out += "<td class=\"n\">\(h(s.summary.duration.map(NumberFormat.duration) ?? ""))</td>"
            for id in ids {
                let m = s.summary.metrics.first { $0.id == id }
                out += "<td class=\"n\">\(h(m?.last.map(NumberFormat.number) ?? ""))</td>"
            }
            out += "</tr>\n"
        }
        out += "</table>\n<h2>Metrics</h2>\n<div class=\"charts\">\n"
        for id in ids {
            let inputs = recordings.compactMap { r -> ExportChart.Input? in
                guard let step = r.state.metricStep(of: id), let series = step.entry(named: id.name)?.series else { return nil }
                return ExportChart.Input(label: r.run, series: series, counterName: step.counterName, start: start(r.state))
            }
            if let chart = ExportChart(title: id.description, inputs: inputs) { out += figure(chart) }
        }
        out += systemCharts(recordings) + "</div>\n"
        return out
    }

    static func start(_ s: DashboardState) -> Double { s.run.startedAt ?? s.firstTimestamp ?? 0 }

    static func figure(_ chart: ExportChart) -> String {
        "<figure><figcaption>\(ExportText.html(chart.title))</figcaption>\(chart.svg())"
            + "<div class=\"legend\">\(chart.legend)</div></figure>\n"
    }

    /// CPU and memory over time, a line per run (when the runs wrote `system` records).
    static func systemCharts(_ recordings: [RunRecording]) -> String {
        var out = ""
        for (figure, title) in [(SystemSeries.Figure.cpu, "system/cpu % of a core"), (.memory, "system/memory (RSS bytes)"),
                                (.io, "system/io bytes/s"), (.gpu, "system/gpu %"), (.gpuMemory, "system/gpu memory bytes")] {
            let inputs = recordings.map {
                ExportChart.Input(label: $0.run, series: $0.state.system.history(figure), counterName: nil, start: start($0.state))
            }
            if let chart = ExportChart(title: title, inputs: inputs) { out += Self.figure(chart) }
        }
        return out
    }

    static func section(_ r: RunRecording, _ e: ExportSummary, charts: Bool) -> String {
        let h = ExportText.html
        let s = e.summary
        var out = "<section class=\"run\">\n<h2>\(h(MarkdownExport.title(s))) <code>\(h(e.run))</code> \(statusBadge(e))</h2>\n"
        out += "<table class=\"summary\">"
        func row(_ k: String, _ v: String) { out += "<tr><th>\(h(k))</th><td>\(h(v))</td></tr>" }
        row("Status", s.statusWord)
        if let d = s.duration { row("Duration", NumberFormat.duration(d)) }
        if let t = s.started { row("Started", ExportText.isoTime(t)) }
        if let t = s.ended { row("Ended", ExportText.isoTime(t)) }
        if let host = s.host { row("Host", host) }
        if let p = s.progressText { row("Progress", p) }
        row("Events", String(s.events))
        row("Messages", "\(e.messages) (\(ExportText.count(e.warnings, "warning")), \(ExportText.count(e.errors, "error")))")
        if s.unreadableLines > 0 { row("Unreadable lines", String(s.unreadableLines)) }
        if s.droppedRecords > 0 { row("Dropped records", String(s.droppedRecords)) }
        if let sys = e.system {
            row("Peak CPU", "\(NumberFormat.number(sys.peakCPUPercent)) % of a core")
            row("Peak memory", MarkdownExport.bytes(sys.peakRSSBytes))
        }
        out += "</table>\n"
        if !e.steps.isEmpty {
            out += "<h3>Progress</h3>\n<table><tr><th>Step</th><th>Current</th><th>Total</th><th></th></tr>"
            for st in e.steps {
                out += "<tr><td>\(h(st.name))</td><td class=\"n\">\(st.current)</td><td class=\"n\">\(st.total)</td>"
                out += "<td>\(st.failed ? "failed" : st.done ? "done" : "")</td></tr>"
            }
            out += "</table>\n"
        }
        if let params = s.params, !params.isNull { out += "<h3>Params</h3>\n" + valueTable(params) }
        if let err = s.error {
            out += "<h3>Error</h3>\n<pre class=\"error\"><b>\(h(err.type))</b>\n\(h(err.message))</pre>\n"
        } else if let result = s.result, !result.isNull {
            out += "<h3>Result</h3>\n" + valueTable(result)
        }
        if !s.metrics.isEmpty {
            out += "<h3>Metrics</h3>\n<table><tr><th>Step</th><th>Metric</th><th>Last</th><th>Best</th><th>At</th><th>Min</th><th>Max</th><th>Samples</th></tr>"
            for m in s.metrics {
                out += "<tr><td>\(h(MarkdownExport.stepLabel(m)))</td><td>\(h(m.name))</td>"
                out += "<td class=\"n\">\(h(m.last.map(NumberFormat.number) ?? ""))</td><td class=\"n\">\(h(m.best.map(NumberFormat.number) ?? ""))</td>"
                out += "<td class=\"n\">\(h(MarkdownExport.bestAt(m)))</td><td class=\"n\">\(h(m.min.map(NumberFormat.number) ?? ""))</td>"
                out += "<td class=\"n\">\(h(m.max.map(NumberFormat.number) ?? ""))</td><td class=\"n\">\(m.samples)"
                out += m.nonFinite > 0 ? " (\(m.nonFinite) non-finite)" : ""
                out += "</td></tr>"
            }
            out += "</table>\n<p class=\"muted\">Best: the lowest value of losses and errors, the highest of accuracies and scores (by the metric's name).</p>\n"
        }
        if charts {
            var figures = ""
            for step in r.state.metrics {
                for entry in step.entries {
                    guard let series = entry.series, entry.name != step.counterName else { continue }
                    let id = MetricID(step: step.step, name: entry.name, category: step.kind == .category)
                    let input = ExportChart.Input(label: id.description, series: series, counterName: step.counterName,
                                                  start: start(r.state))
                    if let chart = ExportChart(title: id.description, inputs: [input]) { figures += figure(chart) }
                }
            }
            figures += systemCharts([r])
            if !figures.isEmpty { out += "<h3>Charts</h3>\n<div class=\"charts\">\n\(figures)</div>\n" }
        }
        let messages = r.state.messages
        if !messages.isEmpty {
            out += "<h3>Messages</h3>\n"
            if messages.droppedCount > 0 {
                out += "<p class=\"muted\">The last \(messages.count) of \(messages.totalAppended) messages.</p>\n"
            }
            out += "<ol class=\"messages\">\n"
            let utc = start(r.state)
            for m in messages.elements {
                let at = m.time > 0 ? NumberFormat.duration(Swift.max(0, m.time - utc)) : ""
                out += "<li class=\"lv-\(m.level.rawValue)\"><span class=\"muted\">\(h(ExportText.isoTime(m.time))) +\(h(at))</span> "
                out += "[\(h(m.level.rawValue))] \(h(m.text))</li>\n"
            }
            out += "</ol>\n"
        }
        out += "</section>\n"
        return out
    }

    /// An object as a name/value table; anything else as JSON text.
    static func valueTable(_ v: JSONValue) -> String {
        let h = ExportText.html
        guard case .object(let o) = v else { return "<pre>\(h(v.jsonText))</pre>\n" }
        var out = "<table>"
        for (k, value) in o.members { out += "<tr><th>\(h(k))</th><td>\(h(MarkdownExport.scalar(value)))</td></tr>" }
        return out + "</table>\n"
    }
}
