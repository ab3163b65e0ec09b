import SynapsePlugins

/// What every export says about one run: the run's ``RunSummary`` (status, times, params with secrets
/// masked, result or error, each metric's best with its counter) and what an export adds — the run's name
/// in the export, the progress steps, the `system` figures' peaks and last sample, and the message counts.
/// `export --format json` writes ``json``; Markdown and HTML lay it out.
package struct ExportSummary: Sendable {
    /// The run's name in the export: its job id, or the file's label.
    package var run: String
    package var summary: RunSummary
    package var steps: [Step] = []
    package var system: System?
    package var messages = 0
    package var warnings = 0
    package var errors = 0

    /// One progress step.
    package struct Step: Sendable {
        package var name: String
        package var current: Int
        package var total: Int
        package var done: Bool
        package var failed: Bool
    }

    /// What the run cost the machine (`system` records).
    package struct System: Sendable {
        package var samples: Int
        package var peakCPUPercent: Double
        package var peakRSSBytes: Int
        /// The newest record's figures, by name (``RunRecording/systemFigures(_:)``).
        package var last: [(String, Double)]
    }

    /// Summarises a recording of a whole log; `lostSince` and `host` as ``RunSummary`` takes them.
    package init(_ r: RunRecording, lostSince: Double? = nil, host: String? = nil) {
        let s = r.state
        run = r.run
        summary = RunSummary(state: s, lostSince: lostSince, host: host)
        // A result is shown like params: a member named like a secret is masked too.
        summary.result = summary.result?.maskingSecrets
        steps = s.steps.indices.map { i in
            let p = s.steps[i]
            return Step(name: p.step, current: p.progress.current, total: p.progress.total, done: s.isStepDone(i), failed: p.failed)
        }
        if s.system.sampleCount > 0, let latest = s.system.latest {
            system = System(samples: s.system.sampleCount, peakCPUPercent: s.system.peakCPU, peakRSSBytes: s.system.peakRSS,
                            last: RunRecording.systemFigures(latest))
        }
        messages = s.messages.totalAppended
        for m in s.messages.elements {
            if m.level == .warning { warnings += 1 }
            if m.level.severity >= 3 { errors += 1 }
        }
    }

    /// The run summary's JSON (docs/event-log.md, "Run summary") with the export's keys added: `run`,
    /// `steps`, `system` and `messages` (docs/export.md).
    package var json: JSONValue {
        guard case .object(var o) = summary.json else { return summary.json }
        var out: JSONObject = ["v": 1, "run": .string(run)]
        out.merge(o)
        o = out
        o["steps"] = .array(steps.map { s in
            ["name": .string(s.name), "current": .int(s.current), "total": .int(s.total), "done": .bool(s.done),
             "failed": .bool(s.failed)]
        })
        if let system {
            var last = JSONObject()
            for (k, v) in system.last { last[k] = RunSummary.number(v) }
            o["system"] = ["samples": .int(system.samples), "peak_cpu_percent": RunSummary.number(system.peakCPUPercent),
                           "peak_rss_bytes": .int(system.peakRSSBytes), "last": .object(last)]
        }
        o["messages"] = ["total": .int(messages), "warnings": .int(warnings), "errors": .int(errors)]
        return .object(o)
    }
}

/// `export --format json`: one run's summary as one object; several runs as an array of them.
package enum JSONExport {
    /// The document, pretty-printed (two spaces), newline-terminated.
    package static func document(_ runs: [ExportSummary]) -> String {
        let value: JSONValue = runs.count == 1 ? runs[0].json : .array(runs.map(\.json))
        return PrettyJSON.text(value) + "\n"
    }
}
