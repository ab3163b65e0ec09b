import SynapsePlugins

/// An in-memory grid of cells: what every pane draws into and what the terminal driver diff-flushes.
///
/// Drawing is clipped to the grid (a pane can never write outside the screen, whatever the size), and all
/// text is made safe on the way in: control characters become visible stand-ins, so nothing an event says
/// reaches the terminal raw.
///
/// Cells are stored packed (a scalar and a style in 8 bytes, see `PackedCell`); ``subscript(x:y:)``,
/// ``cell(at:)`` and ``cells`` hand out ordinary ``Cell`` values.
package struct Canvas: Sendable {
    package let width: Int
    package let height: Int
    /// Row-major packed cells.
    var storage: [PackedCell]
    /// Graphemes of more than one scalar, referenced by `PackedCell.code`. Entries are only appended
    /// (an overwritten cell leaves its entry behind): a frame writes each cell a few times at most.
    var clusters: [Character] = []
    /// Draw only ASCII (for terminals without Unicode): other characters become `?`.
    package var asciiOnly: Bool

    package init(width: Int, height: Int, asciiOnly: Bool = false) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.storage = Array(repeating: .blank, count: self.width * self.height)
        self.asciiOnly = asciiOnly
    }

    package var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// Every cell, row-major. Builds the array: drivers that walk the grid use ``cell(at:)``.
    package var cells: [Cell] { storage.indices.map(cell(at:)) }

    /// The cell at a row-major index (`y * width + x`).
    package func cell(at index: Int) -> Cell {
        let p = storage[index]
        return Cell(character(p.code), style: p.style, isContinuation: p.isContinuation)
    }

    /// `true` when the cell at a row-major index is the right half of a wide character.
    package func isContinuation(at index: Int) -> Bool { storage[index].isContinuation }

    /// Whether the cell at a row-major index looks the same here and in `other` (same size assumed):
    /// what ``Cell``'s `==` says, without building the cells.
    package func sameCell(at index: Int, as other: Canvas) -> Bool {
        let a = storage[index], b = other.storage[index]
        guard a.style == b.style, a.isContinuation == b.isContinuation else { return false }
        if a.code == b.code && a.isScalar { return true }
        // Different scalars can still be equal `Character`s (canonical equivalence), and equal cluster
        // indices of two canvases can name different graphemes: compare the graphemes.
        if a.code < 0x80 && b.code < 0x80 { return false }
        return character(a.code) == other.character(b.code)
    }

    package subscript(x: Int, y: Int) -> Cell {
        get {
            guard x >= 0, y >= 0, x < width, y < height else { return .blank }
            return cell(at: y * width + x)
        }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            storage[y * width + x] = PackedCell(code: code(for: newValue.character), style: newValue.style,
                                                isContinuation: newValue.isContinuation)
        }
    }

    /// Writes one character repeated `count` times.
    package mutating func repeatCharacter(_ character: Character, count: Int, x: Int, y: Int, style: Style = .normal) {
        guard count > 0, y >= 0, y < height else { return }
        let cell = PackedCell(code: code(for: asciiOnly && !character.isASCII ? "?" : character), style: style)
        let row = y * width
        for column in max(0, x)..<max(0, min(width, x + count)) { storage[row + column] = cell }
    }

    /// Fills a rectangle with one character.
    package mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .normal) {
        for y in rect.y..<rect.maxY where y >= 0 && y < height {
            repeatCharacter(character, count: rect.width, x: rect.x, y: y, style: style)
        }
    }

    /// Changes the style of every cell in a rectangle, keeping characters.
    package mutating func restyle(_ rect: Rect, _ transform: (Style) -> Style) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) {
                storage[y * width + x].style = transform(storage[y * width + x].style)
            }
        }
    }

    /// Sets the cell at (`x`, `y`) to one scalar, like the subscript but without a `Character` round trip
    /// (panes that plot many cells: the braille chart).
    mutating func setScalar(_ scalar: Unicode.Scalar, x: Int, y: Int, style: Style) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        storage[y * width + x] = PackedCell(code: scalar.value, style: style)
    }

    /// Writes a cell on row `y` (checked by the caller), keeping wide characters whole: overwriting half of
    /// one clears its other half so no orphan remains.
    @inline(__always)
    mutating func setCell(_ x: Int, _ y: Int, _ cell: PackedCell) {
        guard x >= 0, x < width else { return }
        storage.withUnsafeMutableBufferPointer { Self.setCell(in: $0, width: width, x, y * width + x, cell) }
    }

    /// ``setCell(_:_:_:)`` on the raw buffer, for loops that write a run of cells (index `i` is row-major,
    /// `x` its column).
    @inline(__always)
    static func setCell(in cells: UnsafeMutableBufferPointer<PackedCell>, width: Int, _ x: Int, _ i: Int, _ cell: PackedCell) {
        if cells[i].isContinuation, x > 0 { cells[i - 1] = .space(cells[i - 1].style) }
        if !cells[i].isContinuation, x + 1 < width, cells[i + 1].isContinuation, !cell.isContinuation {
            cells[i + 1] = .space(cells[i + 1].style)
        }
        cells[i] = cell
    }

    /// The stored code for a character: its scalar, or a new cluster table entry.
    mutating func code(for character: Character) -> UInt32 {
        var scalars = character.unicodeScalars.makeIterator()
        let first = scalars.next() ?? " "
        if scalars.next() == nil { return first.value }
        clusters.append(character)
        return PackedCell.clusterBase + UInt32(clusters.count - 1)
    }

    /// The character a stored code stands for.
    func character(_ code: UInt32) -> Character {
        if code < PackedCell.clusterBase { return Character(Unicode.Scalar(code) ?? " ") }
        return clusters[Int(code - PackedCell.clusterBase)]
    }

    /// Row `y` as plain text (wide characters once), trailing spaces removed.
    package func line(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var s = String()
        for i in (y * width)..<(y * width + width) {
            let cell = storage[i]
            if cell.isContinuation { continue }
            if cell.isScalar, let scalar = Unicode.Scalar(cell.code) {
                s.unicodeScalars.append(scalar)
            } else {
                s.append(character(cell.code))
            }
        }
        while s.last == " " { s.removeLast() }
        return s
    }

    /// The whole grid as plain text, one line per row: what golden tests compare.
    package var text: String {
        (0..<height).map(line).joined(separator: "\n")
    }
}

extension Canvas: Equatable {
    /// Two canvases are equal when they have the same size and mode and every cell looks the same
    /// (``Cell``'s `==`), however their cluster tables happen to be laid out.
    package static func == (a: Canvas, b: Canvas) -> Bool {
        guard a.width == b.width, a.height == b.height, a.asciiOnly == b.asciiOnly else { return false }
        for i in a.storage.indices where !a.sameCell(at: i, as: b) { return false }
        return true
    }
}
