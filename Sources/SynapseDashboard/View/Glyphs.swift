import SynapsePlugins

/// The characters panes draw with, in a Unicode and an ASCII set (`--ascii`).
public struct Glyphs: Sendable, Hashable {
    /// Horizontal rule.
    public var horizontal: Character
    /// The focused pane's title rule: heavier, so focus reads without colour.
    public var focusHorizontal: Character
    /// Vertical rule and separators.
    public var vertical: Character
    /// A filled bar cell.
    public var barFull: Character
    /// An empty bar cell.
    public var barEmpty: Character
    /// Partial blocks for a smooth bar end (eighths, 1...7); empty in ASCII.
    public var barPartials: [Character]
    /// Sparkline levels, lowest first.
    public var spark: [Character]
    /// Marks the active step.
    public var activeMarker: Character
    /// Marks the charted metric.
    public var selectedMarker: Character
    /// Ends truncated text.
    public var ellipsis: Character
    /// The chart axes' corner.
    public var axisCorner: Character
    /// A labelled tick on the y axis.
    public var axisTick: Character
    /// A plotted point without braille.
    public var chartPoint: Character
    /// Braille dots for charts (else ``chartPoint`` per cell).
    public var useBraille: Bool

    /// Box drawing, blocks and braille.
    public static let unicode = Glyphs(
        horizontal: "─", focusHorizontal: "━", vertical: "│", barFull: "█", barEmpty: "░",
        barPartials: ["▏", "▎", "▍", "▌", "▋", "▊", "▉"], spark: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        activeMarker: "▸", selectedMarker: "▶", ellipsis: "…", axisCorner: "└", axisTick: "┤", chartPoint: "•",
        useBraille: true)

    /// Plain ASCII for terminals without Unicode.
    public static let ascii = Glyphs(
        horizontal: "-", focusHorizontal: "=", vertical: "|", barFull: "#", barEmpty: "-", barPartials: [],
        spark: ["_", ".", ",", "-", "~", "=", "*", "#"], activeMarker: ">", selectedMarker: ">", ellipsis: "~",
        axisCorner: "+", axisTick: "+", chartPoint: "*", useBraille: false)

    /// The glyph for a pipeline action's status.
    public func symbol(for status: ActionStatus) -> String {
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
