/// A pane's identity. Each pane declares its own (`extension PaneID { static let overview = PaneID("overview") }`)
/// next to its ``PaneSpec``; everything else about it (title, order, layout needs) lives in ``PaneRegistry``.
package struct PaneID: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// A stable name (`messages`, `metrics`...).
    package let rawValue: String

    /// Creates an id.
    package init(rawValue: String) { self.rawValue = rawValue }
    /// Creates an id.
    package init(_ rawValue: String) { self.rawValue = rawValue }

    /// The built-in panes.
    package static let progress = PaneID("progress"), metrics = PaneID("metrics"), chart = PaneID("chart")
    /// The built-in log panes.
    package static let messages = PaneID("messages"), events = PaneID("events"), output = PaneID("output"), dev = PaneID("dev")

    /// Every registered pane, in focus (Tab) order.
    package static var allCases: [PaneID] { PaneRegistry.all.map(\.id) }

    /// The title shown on the pane.
    package var title: String { PaneRegistry.spec(self)?.title ?? rawValue }

    /// `true` for panes that list log entries (scrolled by entry, can follow the newest).
    package var isLog: Bool { PaneRegistry.spec(self)?.log != nil }

    package var description: String { rawValue }
}
