import SynapsePlugins

/// Colours for every ``Role``: what the terminal driver and the ANSI text renderer draw with.
package struct Theme: Sendable, Hashable {
    /// The theme's name (file name without extension, or as given).
    package var name: String
    /// The look of each role.
    package var styles: [Role: ThemeStyle]

    /// Creates a theme.
    package init(name: String, styles: [Role: ThemeStyle]) {
        self.name = name
        self.styles = styles
    }

    /// The look of a role (falls back to `normal`, then to the terminal's defaults).
    package func style(for role: Role) -> ThemeStyle {
        styles[role] ?? styles[.normal] ?? ThemeStyle()
    }
}

/// A role's look: foreground and background in a 256-colour and a 16-colour variant, plus attributes.
package struct ThemeStyle: Sendable, Hashable {
    /// Foreground on 256-colour terminals.
    package var foreground: ThemeColor
    /// Background on 256-colour terminals.
    package var background: ThemeColor
    /// Foreground on 16-colour terminals.
    package var foreground16: ThemeColor
    /// Background on 16-colour terminals.
    package var background16: ThemeColor
    /// Bold, dim, underline, reverse (added to the cell's own).
    package var attributes: Attributes

    /// Creates a style.
    package init(foreground: ThemeColor = .default, background: ThemeColor = .default,
                foreground16: ThemeColor? = nil, background16: ThemeColor? = nil, attributes: Attributes = []) {
        self.foreground = foreground
        self.background = background
        self.foreground16 = foreground16 ?? foreground.nearest16
        self.background16 = background16 ?? background.nearest16
        self.attributes = attributes
    }
}
