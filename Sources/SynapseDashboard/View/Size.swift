/// A screen size in cells.
package struct Size: Sendable, Hashable, CustomStringConvertible {
    /// Columns.
    package var width: Int
    /// Rows.
    package var height: Int

    /// Creates a size (negative values become 0).
    package init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// Parses `WxH` (`80x24`); `nil` when malformed.
    package init?(parsing text: String) {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w >= 0, h >= 0 else { return nil }
        self.init(width: w, height: h)
    }

    package var description: String { "\(width)x\(height)" }
}
