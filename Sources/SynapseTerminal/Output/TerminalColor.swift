/// How many colours the terminal can show, and so which palette a theme uses.
package enum ColorMode: Sendable, Hashable {
    /// No colour (`NO_COLOR`, a monochrome terminal): attributes only.
    case none
    /// The 8/16 ANSI colours.
    case basic16
    /// The xterm 256-colour palette.
    case palette256
}

/// A colour as the terminal understands it.
package enum TerminalColor: Sendable, Hashable {
    /// The terminal's own foreground or background (`use_default_colors`).
    case `default`
    /// A palette index: 0-15 ANSI, 16-255 the xterm cube and greys.
    case indexed(Int16)
}

/// Text attributes the driver can set.
package struct TerminalAttributes: OptionSet, Sendable, Hashable {
    /// The attribute bits.
    package let rawValue: UInt8
    /// Attributes from their bits.
    package init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Bold (often also brighter).
    package static let bold = TerminalAttributes(rawValue: 1 << 0)
    /// Dim.
    package static let dim = TerminalAttributes(rawValue: 1 << 1)
    /// Foreground and background swapped.
    package static let reverse = TerminalAttributes(rawValue: 1 << 2)
    /// Underlined.
    package static let underline = TerminalAttributes(rawValue: 1 << 3)
}

/// A fully resolved look for one cell: what a theme turns a `Style` into for the current ``ColorMode``.
package struct TerminalStyle: Sendable, Hashable {
    /// Text colour.
    package var foreground: TerminalColor
    /// Cell colour.
    package var background: TerminalColor
    /// Bold, dim, reverse, underline.
    package var attributes: TerminalAttributes

    /// A style; the defaults are the terminal's own colours without attributes.
    package init(foreground: TerminalColor = .default, background: TerminalColor = .default,
                attributes: TerminalAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The terminal's defaults, no attributes.
    package static let plain = TerminalStyle()
}
