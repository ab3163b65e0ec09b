/// The dashboard's panes, in focus (Tab) order.
public enum PaneID: String, Sendable, Hashable, CaseIterable {
    /// A pane.
    case progress, metrics, messages, events, output, dev

    /// The title shown on the pane.
    public var title: String {
        switch self {
        case .progress: return "Progress"
        case .metrics: return "Metrics"
        case .messages: return "Messages"
        case .events: return "Events"
        case .output: return "Output"
        case .dev: return "Dev events"
        }
    }

    /// `true` for panes that list log entries (scrolled by entry, can follow the newest).
    public var isLog: Bool {
        switch self {
        case .messages, .events, .output, .dev: return true
        case .progress, .metrics: return false
        }
    }
}
