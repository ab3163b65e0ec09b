import SynapseDashboard

extension Theme {
    /// The colours and attributes a cell of `style` gets on a terminal with `mode` colours.
    ///
    /// The 256-colour variant on capable terminals, the theme's 16-colour fallback on others, and with no
    /// colour (`NO_COLOR`, monochrome) attributes alone, so emphasis survives where colour cannot.
    package func terminalStyle(for style: Style, mode: ColorMode) -> TerminalStyle {
        let look = self.style(for: style.role)
        let attributes = TerminalAttributes(look.attributes.union(style.attributes))
        switch mode {
        case .none:
            return TerminalStyle(attributes: attributes)
        case .basic16:
            return TerminalStyle(foreground: TerminalColor(look.foreground16), background: TerminalColor(look.background16),
                                 attributes: attributes)
        case .palette256:
            return TerminalStyle(foreground: TerminalColor(look.foreground), background: TerminalColor(look.background),
                                 attributes: attributes)
        }
    }
}

extension TerminalColor {
    /// The terminal colour for a theme colour.
    package init(_ color: ThemeColor) {
        switch color {
        case .default: self = .default
        case .indexed(let i): self = .indexed(Int16(i))
        }
    }
}

extension TerminalAttributes {
    /// The terminal attributes for a style's attributes.
    package init(_ attributes: Attributes) {
        var result: TerminalAttributes = []
        if attributes.contains(.bold) { result.insert(.bold) }
        if attributes.contains(.dim) { result.insert(.dim) }
        if attributes.contains(.reverse) { result.insert(.reverse) }
        if attributes.contains(.underline) { result.insert(.underline) }
        self = result
    }
}
