import SynapsePlugins

/// Text layout helpers for panes: truncation with an ellipsis, right alignment, padding.
extension Canvas {
    /// Writes `text` within `width` columns from `x`; text that does not fit ends with `ellipsis`.
    /// Returns the column after the last written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, width: Int, style: Style = .normal,
                             ellipsis: Character = "…", alignRight: Bool = false) -> Int {
        guard width > 0 else { return x }
        let safe = SafeText.line(text, ascii: asciiOnly)
        let w = DisplayWidth.of(safe)
        if w <= width {
            let start = alignRight ? x + width - w : x
            return put(safe, x: start, y: y, style: style, limit: x + width)
        }
        let end = put(safe, x: x, y: y, style: style, limit: x + width - 1)
        let mark: Character = asciiOnly && !ellipsis.isASCII ? "~" : ellipsis
        self[min(end, x + width - 1), y] = Cell(mark, style: style)
        return x + width
    }

    /// Columns `text` takes once made safe.
    public func displayWidth(_ text: String) -> Int {
        DisplayWidth.of(SafeText.line(text, ascii: asciiOnly))
    }
}
