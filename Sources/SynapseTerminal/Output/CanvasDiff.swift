import SynapseDashboard

/// Which cells of the screen must be redrawn to turn `old` into `new`. Pure, so the subtle wide-character
/// rules are tested without a terminal.
///
/// A wide character is drawn from its left cell and covers the continuation cell to its right, so:
/// a changed continuation redraws the character it belongs to, and a cell that used to be the right half
/// of a wide character redraws the new left neighbour too (otherwise half of the old glyph would remain).
package enum CanvasDiff {
    /// Row-major indices of the cells to draw, in drawing order (left to right within a row).
    /// Continuation cells are never listed: drawing their left neighbour covers them.
    /// With no old canvas, or a different size, every cell is listed.
    package static func cellsToDraw(from old: Canvas?, to new: Canvas) -> [Int] {
        let width = new.width
        let count = new.width * new.height
        guard let old, old.width == width, old.height == new.height else {
            return (0..<count).filter { !new.isContinuation(at: $0) }
        }
        var dirty = [Bool](repeating: false, count: count)
        for i in 0..<count where !new.sameCell(at: i, as: old) {
            dirty[i] = true
            let x = i % width
            if x > 0, new.isContinuation(at: i) || old.isContinuation(at: i) { dirty[i - 1] = true }
        }
        return dirty.indices.filter { dirty[$0] && !new.isContinuation(at: $0) }
    }
}
