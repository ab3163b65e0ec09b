/// How many colours the terminal can show, and so which palette a theme uses.
public enum ColorMode: Sendable, Hashable {
    /// No colour (`NO_COLOR`, a monochrome terminal): attributes only.
    case none
    /// The 8/16 ANSI colours.
    case basic16
    /// The xterm 256-colour palette.
    case palette256
}

/// A colour as the terminal understands it.
public enum TerminalColor: Sendable, Hashable {
    /// The terminal's own foreground or background (`use_default_colors`).
    case `default`
    /// A palette index: 0-15 ANSI, 16-255 the xterm cube and greys.
    case indexed(Int16)
}

/// Text attributes the driver can set.
public struct TerminalAttributes: OptionSet, Sendable, Hashable {
    /// The attribute bits.
    public let rawValue: UInt8
    /// Attributes from their bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Bold (often also brighter).
    public static let bold = TerminalAttributes(rawValue: 1 << 0)
    /// Dim.
    public static let dim = TerminalAttributes(rawValue: 1 << 1)
    /// Foreground and background swapped.
    public static let reverse = TerminalAttributes(rawValue: 1 << 2)
    /// Underlined.
    public static let underline = TerminalAttributes(rawValue: 1 << 3)
}

/// A fully resolved look for one cell: what a theme turns a `Style` into for the current ``ColorMode``.
public struct TerminalStyle: Sendable, Hashable {
    /// Text colour.
    public var foreground: TerminalColor
    /// Cell colour.
    public var background: TerminalColor
    /// Bold, dim, reverse, underline.
    public var attributes: TerminalAttributes

    /// A style; the defaults are the terminal's own colours without attributes.
    public init(foreground: TerminalColor = .default, background: TerminalColor = .default,
                attributes: TerminalAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The terminal's defaults, no attributes.
    public static let plain = TerminalStyle()
}
