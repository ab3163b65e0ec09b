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
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TerminalAttributes(rawValue: 1 << 0)
    public static let dim = TerminalAttributes(rawValue: 1 << 1)
    public static let reverse = TerminalAttributes(rawValue: 1 << 2)
    public static let underline = TerminalAttributes(rawValue: 1 << 3)
}

/// A fully resolved look for one cell: what a theme turns a `Style` into for the current ``ColorMode``.
public struct TerminalStyle: Sendable, Hashable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var attributes: TerminalAttributes

    public init(foreground: TerminalColor = .default, background: TerminalColor = .default,
                attributes: TerminalAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The terminal's defaults, no attributes.
    public static let plain = TerminalStyle()
}
