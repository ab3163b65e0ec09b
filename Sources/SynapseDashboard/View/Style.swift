/// What a cell means, not what colour it is: a ``Theme`` turns roles into colours at the last moment, so
/// panes never know about colours and golden tests compare meaning.
package enum Role: UInt8, Sendable, Hashable, CaseIterable {
    case normal, muted, title, border, focus, accent, keyHint
    case info, warning, success, danger, dev
    case barDone, barTodo, tableHeader, chart, highlight, selection
}

/// Text attributes on top of a role.
package struct Attributes: OptionSet, Sendable, Hashable {
    package let rawValue: UInt8
    package init(rawValue: UInt8) { self.rawValue = rawValue }

    package static let bold = Attributes(rawValue: 1 << 0)
    package static let dim = Attributes(rawValue: 1 << 1)
    package static let reverse = Attributes(rawValue: 1 << 2)
    package static let underline = Attributes(rawValue: 1 << 3)
}

/// A cell's look: a semantic role plus attributes.
package struct Style: Sendable, Hashable {
    package var role: Role
    package var attributes: Attributes

    package init(_ role: Role = .normal, _ attributes: Attributes = []) {
        self.role = role
        self.attributes = attributes
    }

    package static let normal = Style()

    package func with(_ extra: Attributes) -> Style {
        Style(role, attributes.union(extra))
    }
}
