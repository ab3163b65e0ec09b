/// One screen cell: a grapheme and its style. A wide character takes two cells; the second is a
/// continuation that draws nothing.
package struct Cell: Sendable, Hashable {
    package var character: Character
    package var style: Style
    /// `true` for the right half of a wide character.
    package var isContinuation: Bool

    package init(_ character: Character = " ", style: Style = .normal, isContinuation: Bool = false) {
        self.character = character
        self.style = style
        self.isContinuation = isContinuation
    }

    package static let blank = Cell()
}

/// A cell as a ``Canvas`` stores it: 8 bytes and no reference counting, so a 200x50 grid is one flat
/// 80 KB buffer that is filled, copied and freed without touching 10,000 `Character`s.
///
/// Almost every grapheme on screen is a single Unicode scalar, stored inline. The rare multi-scalar
/// grapheme (a letter with a combining mark, an emoji sequence) lives in the canvas's cluster table and
/// `code` points at it.
struct PackedCell: Sendable, Hashable {
    /// A Unicode scalar value, or ``clusterBase`` + the index of a grapheme in the canvas's cluster table.
    var code: UInt32
    var style: Style
    var isContinuation: Bool

    /// First code that refers to the cluster table (one past the last Unicode scalar value).
    static let clusterBase: UInt32 = 0x11_0000

    @inline(__always)
    init(code: UInt32, style: Style = .normal, isContinuation: Bool = false) {
        self.code = code
        self.style = style
        self.isContinuation = isContinuation
    }

    /// A space in `style`: what the half of a wide character left behind becomes.
    @inline(__always)
    static func space(_ style: Style) -> PackedCell { PackedCell(code: 0x20, style: style) }

    static let blank = PackedCell(code: 0x20)

    /// `true` when `code` is a scalar stored inline (not a cluster table reference).
    @inline(__always)
    var isScalar: Bool { code < Self.clusterBase }
}
