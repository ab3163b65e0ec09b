/// The characters panes draw with, in a Unicode and an ASCII set (`--ascii`).
public struct Glyphs: Sendable, Hashable {
    public var horizontal: Character
    public var vertical: Character
    public var barFull: Character
    public var barEmpty: Character
    /// Partial blocks for a smooth bar end (eighths, 1...7); empty in ASCII.
    public var barPartials: [Character]
    /// Sparkline levels, lowest first.
    public var spark: [Character]
    public var activeMarker: Character
    public var selectedMarker: Character
    public var ellipsis: Character
    public var axisCorner: Character
    public var axisTick: Character
    public var chartPoint: Character
    /// Braille dots for charts (else ``chartPoint`` per cell).
    public var useBraille: Bool

    /// Box drawing, blocks and braille.
    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", barFull: "█", barEmpty: "░",
        barPartials: ["▏", "▎", "▍", "▌", "▋", "▊", "▉"], spark: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        activeMarker: "▸", selectedMarker: "▶", ellipsis: "…", axisCorner: "└", axisTick: "┤", chartPoint: "•",
        useBraille: true)

    /// Plain ASCII for terminals without Unicode.
    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", barFull: "#", barEmpty: "-", barPartials: [],
        spark: ["_", ".", ",", "-", "~", "=", "*", "#"], activeMarker: ">", selectedMarker: ">", ellipsis: "~",
        axisCorner: "+", axisTick: "+", chartPoint: "*", useBraille: false)

    /// Pass/fail glyph for an action status.
    public func symbol(for status: ActionStatusSymbol) -> String {
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

/// The states a status symbol can show (mirrors `ActionStatus`).
public enum ActionStatusSymbol: Sendable {
    case pending, running, completed, failed, skipped
}
