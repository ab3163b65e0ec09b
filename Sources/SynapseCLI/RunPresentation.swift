import SynapsePlugins

/// How `synapse-tui run` shows a run.
package enum RunPresentation: Sendable, Equatable {
    /// Console lines on standard error (CI, pipes, `--headless`).
    case headless
    /// The full-screen dashboard.
    case dashboard

    /// The one place that decides: the dashboard when standard output is a terminal and `--headless` was
    /// not given, headless otherwise.
    package static func choose(headless: Bool, stdoutIsTerminal: Bool) -> RunPresentation {
        headless || !stdoutIsTerminal ? .headless : .dashboard
    }
}

/// What the terminal keeps after the dashboard closes: the run's outcome in a few lines a user can paste
/// into a bug report (status, duration and job id; then the whole error, or the result).
enum ExitSummary {
    /// The lines, control characters made visible; the error's own line breaks are kept.
    static func lines(action: String, jobID: String, status: RunStatus, duration: Double?, error: RunError?,
                      result: JSONValue?) -> [String] {
        var head = "\(SafeText.line(action)) \(status.rawValue)"
        if let duration, duration.isFinite, duration >= 0 { head += " after \(JobsTable.duration(duration))" }
        head += " (job \(jobID))"
        var lines = [head]
        if let error {
            let message = SafeText.lines(error.message)
            lines.append("\(SafeText.line(error.type)): \(message.first ?? "")")
            lines += message.dropFirst().map { "  " + $0 }
        } else if status == .completed, let result {
            lines.append("Result: \(SafeText.line(result.jsonText))")
        }
        return lines
    }
}
