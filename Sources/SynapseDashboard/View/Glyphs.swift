import SynapsePlugins

/// The characters panes draw with, in a Unicode and an ASCII set (`--ascii`).
package struct Glyphs: Sendable, Hashable {
    /// Horizontal rule.
    package var horizontal: Character
    /// The focused pane's title rule: heavier, so focus reads without colour.
    package var focusHorizontal: Character
    /// Vertical rule and separators.
    package var vertical: Character
    /// A filled bar cell.
    package var barFull: Character
    /// An empty bar cell.
    package var barEmpty: Character
    /// Partial blocks for a smooth bar end (eighths, 1...7); empty in ASCII.
    package var barPartials: [Character]
    /// Sparkline levels, lowest first.
    package var spark: [Character]
    /// Marks the active step.
    package var activeMarker: Character
    /// Marks the charted metric.
    package var selectedMarker: Character
    /// Ends truncated text.
    package var ellipsis: Character
    /// The chart axes' corner.
    package var axisCorner: Character
    /// A labelled tick on the y axis.
    package var axisTick: Character
    /// A plotted point without braille.
    package var chartPoint: Character
    /// Braille dots for charts (else ``chartPoint`` per cell).
    package var useBraille: Bool

    /// Box drawing, blocks and braille.
    package static let unicode = Glyphs(
        horizontal: "─", focusHorizontal: "━", vertical: "│", barFull: "█", barEmpty: "░",
        barPartials: ["▏", "▎", "▍", "▌", "▋", "▊", "▉"], spark: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        activeMarker: "▸", selectedMarker: "▶", ellipsis: "…", axisCorner: "└", axisTick: "┤", chartPoint: "•",
        useBraille: true)

    /// Plain ASCII for terminals without Unicode.
    package static let ascii = Glyphs(
        horizontal: "-", focusHorizontal: "=", vertical: "|", barFull: "#", barEmpty: "-", barPartials: [],
        spark: ["_", ".", ",", "-", "~", "=", "*", "#"], activeMarker: ">", selectedMarker: ">", ellipsis: "~",
        axisCorner: "+", axisTick: "+", chartPoint: "*", useBraille: false)

    /// The glyph for a pipeline action's status.
    package func symbol(for status: ActionStatus) -> String {
        let unicode = useBraille
        switch status {
        case .pending: return unicode ? "○" : "."
        case .running: return unicode ? "▶" : ">"
        case .completed: return unicode ? "✓" : "+"
        case .failed: return unicode ? "✗" : "x"
        case .skipped: return unicode ? "–" : "-"
        }
    }
}
