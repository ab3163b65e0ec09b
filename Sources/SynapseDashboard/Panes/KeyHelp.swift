import SynapsePlugins

/// Every key of the dashboard and what it does: the help overlay's content and the README's table.
package enum KeyHelp {
    /// (keys, what they do), in the order shown.
    package static let entries: [(keys: String, action: String)] = [
        ("q", "quit (asks before cancelling a live run)"),
        ("c", "cancel the run (asks first)"),
        ("Tab / Shift-Tab", "focus the next / previous pane"),
        ("Up / Down", "move the cursor (Metrics, logs); chart: metric"),
        ("Enter", "show the entry whole (logs), chart it (Metrics)"),
        ("click, wheel", "focus / scroll the pane under the pointer"),
        ("+ or Z", "maximise the focused pane / restore"),
        ("PgUp / PgDn", "scroll a page"),
        ("Home / End", "oldest / newest (End follows)"),
        ("f", "follow or pause the focused pane"),
        ("/", "search the focused log pane (Enter, Esc)"),
        ("n / N", "next older / newer match"),
        ("l", "message level filter"),
        ("T", "show timestamps"),
        ("d", "show dev events"),
        ("m / M", "next / previous metric in chart"),
        ("Space", "mark the charted metric: it stays on the chart"),
        ("x", "chart x axis: counter / time / time of day"),
        ("L / s", "chart log scale / smoothing (EMA)"),
        ("z", "chart: last 200 / 50 samples / whole run"),
        ("S", "system strip: expand into a pane / collapse"),
        ("o", "overview: what happened, whole error, params"),
        ("[ ] / { }", "time cursor: back / forward 1 % / 10 %"),
        ("=", "time cursor: back to the end (live)"),
        ("t", "next theme"),
        ("y", "detail view: copy the text (OSC 52)"),
        ("? or h", "this help (Up/Down scroll, other keys close)"),
    ]
}
