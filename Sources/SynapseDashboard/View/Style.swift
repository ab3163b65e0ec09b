/// What a cell means, not what colour it is: a ``Theme`` turns roles into colours at the last moment, so
/// panes never know about colours and golden tests compare meaning.
public enum Role: UInt8, Sendable, Hashable, CaseIterable {
    case normal, muted, title, border, focus, accent, keyHint
    case info, warning, success, danger, dev
    case barDone, barTodo, tableHeader, chart, highlight, selection
}

/// Text attributes on top of a role.
public struct Attributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Attributes(rawValue: 1 << 0)
    public static let dim = Attributes(rawValue: 1 << 1)
    public static let reverse = Attributes(rawValue: 1 << 2)
    public static let underline = Attributes(rawValue: 1 << 3)
}

/// A cell's look: a semantic role plus attributes.
public struct Style: Sendable, Hashable {
    public var role: Role
    public var attributes: Attributes

    public init(_ role: Role = .normal, _ attributes: Attributes = []) {
        self.role = role
        self.attributes = attributes
    }

    public static let normal = Style()

    public func with(_ extra: Attributes) -> Style {
        Style(role, attributes.union(extra))
    }
}
