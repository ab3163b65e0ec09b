import SynapsePlugins

/// One screen cell: a grapheme and its style. A wide character takes two cells; the second is a
/// continuation that draws nothing.
public struct Cell: Sendable, Hashable {
    public var character: Character
    public var style: Style
    /// `true` for the right half of a wide character.
    public var isContinuation: Bool

    public init(_ character: Character = " ", style: Style = .normal, isContinuation: Bool = false) {
        self.character = character
        self.style = style
        self.isContinuation = isContinuation
    }

    public static let blank = Cell()
}

/// An in-memory grid of cells: what every pane draws into and what the terminal driver diff-flushes.
///
/// Drawing is clipped to the grid (a pane can never write outside the screen, whatever the size), and all
/// text is made safe on the way in: control characters become visible stand-ins, so nothing an event says
/// reaches the terminal raw.
public struct Canvas: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Draw only ASCII (for terminals without Unicode): other characters become `?`.
    public var asciiOnly: Bool

    public init(width: Int, height: Int, asciiOnly: Bool = false) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: .blank, count: self.width * self.height)
        self.asciiOnly = asciiOnly
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get {
            guard x >= 0, y >= 0, x < width, y < height else { return .blank }
            return cells[y * width + x]
        }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Writes `text` on row `y` from column `x`, never past column `limit` (exclusive; default the right
    /// edge). Returns the column after the last one written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .normal, limit: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let end = min(limit ?? width, width)
        var column = x
        let safe = SafeText.line(text, ascii: asciiOnly)
        for character in safe {
            if column >= end { break }
            var ch = character
            var w = DisplayWidth.of(ch)
            if w == 0 { continue }  // combining marks and zero-width characters: dropped, never misalign columns
            if asciiOnly, !ch.isASCII { ch = "?"; w = 1 }
            if w == 2 && column + 1 >= end {
                // A wide character that does not fit is shown as a space, never half.
                if column >= 0 { setCell(column, y, Cell(" ", style: style)) }
                column += 1
                break
            }
            if column >= 0 {
                setCell(column, y, Cell(ch, style: style))
                if w == 2 { setCell(column + 1, y, Cell(" ", style: style, isContinuation: true)) }
            }
            column += w
        }
        return column
    }

    /// Writes one character repeated `count` times.
    public mutating func repeatCharacter(_ character: Character, count: Int, x: Int, y: Int, style: Style = .normal) {
        guard count > 0 else { return }
        for i in 0..<count { self[x + i, y] = Cell(asciiOnly && !character.isASCII ? "?" : character, style: style) }
    }

    /// Fills a rectangle with one character.
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .normal) {
        for y in rect.y..<rect.maxY where y >= 0 && y < height {
            repeatCharacter(character, count: rect.width, x: rect.x, y: y, style: style)
        }
    }

    /// Changes the style of every cell in a rectangle, keeping characters.
    public mutating func restyle(_ rect: Rect, _ transform: (Style) -> Style) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) {
                cells[y * width + x].style = transform(cells[y * width + x].style)
            }
        }
    }

    @inline(__always)
    mutating func setCell(_ x: Int, _ y: Int, _ cell: Cell) {
        guard x >= 0, x < width else { return }
        // Overwriting half of a wide character clears its other half so no orphan remains.
        let i = y * width + x
        if cells[i].isContinuation, x > 0 { cells[i - 1] = Cell(" ", style: cells[i - 1].style) }
        if !cells[i].isContinuation, x + 1 < width, cells[i + 1].isContinuation, !cell.isContinuation {
            cells[i + 1] = Cell(" ", style: cells[i + 1].style)
        }
        cells[i] = cell
    }

    /// Row `y` as plain text (wide characters once), trailing spaces removed.
    public func line(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var s = String()
        for x in 0..<width {
            let cell = cells[y * width + x]
            if !cell.isContinuation { s.append(cell.character) }
        }
        while s.last == " " { s.removeLast() }
        return s
    }

    /// The whole grid as plain text, one line per row: what golden tests compare.
    public var text: String {
        (0..<height).map(line).joined(separator: "\n")
    }
}
