import SynapsePlugins

extension RunSummary {
    /// One row of the summary as people read it: a label (empty for the headline's lines) and its text,
    /// which may hold line breaks (an error's), drawn in a role.
    package struct Row: Sendable, Hashable {
        /// `Started`, `Params`, ...; empty for the headline and the error or result under it.
        package var label: String
        /// The text; line breaks are kept (the text is not yet made safe for a terminal).
        package var text: String
        /// How it is drawn.
        package var role: Role
        /// Bold (the headline).
        package var bold: Bool

        /// Creates a row.
        package init(label: String = "", text: String, role: Role = .normal, bold: Bool = false) {
            self.label = label
            self.text = text
            self.role = role
            self.bold = bold
        }
    }

    /// The role the outcome is drawn in.
    package var role: Role {
        switch outcome {
        case .completed: return .success
        case .failed, .lost: return .danger
        case .cancelled: return .warning
        case .running: return .info
        case .waiting, .pending: return .muted
        }
    }

    /// The summary as rows, most important first: what happened (status, how long, the job), then the whole
    /// error or the result, then when and where, progress, params, best metrics and what the log lacks.
    /// `show` prints them as they are; the overview pane wraps them. Times are shown `utcOffset` seconds
    /// east of UTC.
    package func rows(utcOffset: Int = 0) -> [Row] {
        var head = (actions.isEmpty ? "run" : actions.joined(separator: ", ")) + " " + statusWord
        if let lostSince { head += ": no writer since \(NumberFormat.clock(lostSince, utcOffset: utcOffset))" }
        if let duration { head += (outcome == .running || outcome == .pending ? " for " : " after ") + Self.duration(duration) }
        if let jobID { head += " (job \(jobID))" }
        var rows = [Row(text: head, role: role, bold: true)]
        if let error {
            rows.append(Row(text: error.message.isEmpty ? error.type : "\(error.type): \(error.message)", role: .danger))
        } else if let result {
            rows.append(Row(text: "Result: " + result.jsonText))
        }
        for (i, a) in pipeline.enumerated() {
            var text = "\(i + 1). \(a.name.isEmpty ? "?" : a.name) \(a.status.rawValue)"
            if let e = a.error, a.status == .failed { text += ": \(e.description)" }
            let role: Role = a.status == .failed ? .danger : a.status == .completed ? .success : .normal
            rows.append(Row(label: i == 0 ? "Actions" : "", text: text, role: role))
        }
        if let started {
            var text = NumberFormat.dateTime(started, utcOffset: utcOffset)
            if let ended { text += " to " + NumberFormat.clock(ended, utcOffset: utcOffset) }
            rows.append(Row(label: "Started", text: text + (utcOffset == 0 ? " UTC" : "")))
        }
        if let host { rows.append(Row(label: "Host", text: host)) }
        if let progressText { rows.append(Row(label: "Progress", text: progressText)) }
        switch params {
        case .object(let o)?:
            if o.members.isEmpty { rows.append(Row(label: "Params", text: "none", role: .muted)) }
            for (i, (name, value)) in o.members.enumerated() {
                rows.append(Row(label: i == 0 ? "Params" : "", text: "\(name): \(value.jsonText)"))
            }
        case let value?: rows.append(Row(label: "Params", text: value.jsonText))
        case nil: break
        }
        let best = metrics.filter { $0.best != nil }
        for (i, m) in best.enumerated() {
            rows.append(Row(label: i == 0 ? "Best" : "", text: m.bestText))
        }
        var log = "\(NumberFormat.count(events)) records"
        var logRole = Role.muted
        if unreadableLines > 0 {
            log += ", \(NumberFormat.count(unreadableLines)) unreadable line\(unreadableLines == 1 ? "" : "s")"
            logRole = .warning
        }
        if logGaps > 0 {
            log += ", \(NumberFormat.count(droppedRecords)) dropped by the writer (\(logGaps) gap\(logGaps == 1 ? "" : "s"))"
            logRole = .warning
        }
        if unreadableLines == 0 && logGaps == 0 { log += ", every line read, nothing dropped" }
        rows.append(Row(label: "Log", text: log, role: logRole))
        if let lastUnreadable { rows.append(Row(text: "last unreadable: " + lastUnreadable, role: .muted)) }
        return rows
    }

    /// Columns the labels take (the longest, `Progress`, and two spaces), so every summary lines up alike.
    package static let labelWidth = 10

    /// A duration with tenths under a minute (`0.8s`: a failed run's `0:00` said nothing), else as the
    /// header shows it (`1:02:03`).
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0, seconds < 60 else { return NumberFormat.duration(seconds) }
        return FixedDecimal.format(seconds, decimals: 1) + "s"
    }

    /// The rows as plain lines (`show`): the headline rows from the first column, labels in a column and
    /// their text beside them, an error's further lines indented; control characters made visible.
    package func lines(utcOffset: Int = 0, ascii: Bool = false) -> [String] {
        let rows = rows(utcOffset: utcOffset)
        let labelWidth = Self.labelWidth
        let headlineRows = rows.firstIndex { !$0.label.isEmpty } ?? rows.count
        var out: [String] = []
        for (n, row) in rows.enumerated() {
            let pad = n < headlineRows ? "" : row.label + String(repeating: " ", count: Swift.max(1, labelWidth - DisplayWidth.of(row.label)))
            for (i, part) in SafeText.lines(row.text, ascii: ascii).enumerated() {
                out.append((i == 0 ? pad : String(repeating: " ", count: pad.count + 2)) + part)
            }
        }
        return out
    }
}

extension MetricSummary {
    /// `training/loss 0.1575 (min, epoch 3)`; a category's metric reads `train[metric]/loss`.
    package var bestText: String {
        guard let best else { return "\(id) -" }
        var at = goal?.rawValue ?? ""
        if let bestAt, let counterName {
            at += ", \(counterName) \(NumberFormat.number(bestAt))"
        } else if let bestSample {
            at += ", sample \(bestSample) of \(samples)"
        }
        let bestText = NumberFormat.number(best)
        var text = "\(id) \(bestText) (\(at))"
        // The last value only when it reads differently (1.5138 and 1.5141 both read 1.514).
        if let last, NumberFormat.number(last) != bestText { text += ", last \(NumberFormat.number(last))" }
        return text
    }
}
