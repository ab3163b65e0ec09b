/// How `synapse-tui run` shows a run.
public enum RunPresentation: Sendable, Equatable {
    /// Console lines on standard error (CI, pipes, `--headless`).
    case headless
    /// The full-screen dashboard.
    case dashboard

    /// The one place that decides: the dashboard when standard output is a terminal and `--headless` was
    /// not given, headless otherwise.
    public static func choose(headless: Bool, stdoutIsTerminal: Bool) -> RunPresentation {
        headless || !stdoutIsTerminal ? .headless : .dashboard
    }
}
