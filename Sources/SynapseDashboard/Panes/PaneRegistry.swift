import SynapsePlugins

/// Everything the dashboard knows about one pane, declared once: its title, where it sits, what it needs
/// from the layout, how it draws, and (for log-like panes) its entries, search text and detail text.
///
/// To add a pane: one file declaring `extension PaneID { static let x = PaneID("x") }` and
/// `extension PaneSpec { static let x = PaneSpec(...) }`, and one line in ``PaneRegistry/all``.
package struct PaneSpec: Sendable {
    /// Which band of the screen a pane belongs to, top to bottom.
    package enum Placement: Sendable, Hashable {
        /// Under the header, full width (Progress).
        case top
        /// The middle band (Metrics beside the Chart).
        case middle
        /// The log panes at the bottom: stacked, side by side from 120 columns.
        case bottom
    }

    /// How the pane draws: a title row or not (the compact layout has none).
    package typealias Draw = @Sendable (_ context: PaneContext, _ canvas: inout Canvas, _ rect: Rect, _ titled: Bool) -> Void

    /// The pane's id.
    package var id: PaneID
    /// Its title.
    package var title: String
    /// Its band.
    package var placement: Placement
    /// Lower keeps its rows longer when the screen is short (Progress 0, Messages 1, ...).
    package var priority: Int
    /// Its share of rows beyond the minimum (0: never more than it wants).
    package var weight: Int
    /// Rows of content it needs to show at all (the title row comes on top).
    package var minRows: Int
    /// Shown now? (panes with nothing to say and no toggle stay hidden)
    package var isShown: @Sendable (_ state: DashboardState, _ ui: UIState) -> Bool
    /// Rows of content it could fill at a width; more rows than this would stay empty.
    package var contentRows: @Sendable (_ state: DashboardState, _ ui: UIState, _ width: Int) -> Int
    /// Columns it can use when it shares its band (nil: an even share).
    package var preferredWidth: (@Sendable (_ state: DashboardState, _ bandWidth: Int) -> Int)?
    /// Draws the pane.
    package var draw: Draw
    /// The text shown when it has nothing.
    package var emptyText: @Sendable (_ state: DashboardState, _ ui: UIState) -> String
    /// Keys that act on this pane when focused, for the help (`Enter` → "show whole").
    package var keys: [(keys: String, action: String)]
    /// Entries, for panes that list them (scrolling, search, detail view).
    package var log: LogSpec?

    /// Declares a pane.
    package init(id: PaneID, title: String, placement: Placement, priority: Int, weight: Int = 1, minRows: Int = 1,
                isShown: @escaping @Sendable (DashboardState, UIState) -> Bool = { _, _ in true },
                contentRows: @escaping @Sendable (DashboardState, UIState, Int) -> Int,
                preferredWidth: (@Sendable (DashboardState, Int) -> Int)? = nil,
                emptyText: @escaping @Sendable (DashboardState, UIState) -> String = { _, _ in "" },
                keys: [(keys: String, action: String)] = [], log: LogSpec? = nil, draw: @escaping Draw) {
        self.id = id
        self.title = title
        self.placement = placement
        self.priority = priority
        self.weight = weight
        self.minRows = minRows
        self.isShown = isShown
        self.contentRows = contentRows
        self.preferredWidth = preferredWidth
        self.draw = draw
        self.emptyText = emptyText
        self.keys = keys
        self.log = log
    }
}

/// The entries of a log-like pane: a window over sequence numbers, the text `/` searches, one row's drawing
/// and the whole entry for the detail view (Enter).
package struct LogSpec: Sendable {
    /// The window over the entries (with any filter).
    package var window: @Sendable (_ state: DashboardState, _ ui: UIState) -> LogWindow
    /// Every entry ever appended (the title's count).
    package var total: @Sendable (_ state: DashboardState) -> Int
    /// What `/` searches in an entry.
    package var searchText: @Sendable (_ state: DashboardState, _ seq: Int) -> String?
    /// Draws one entry on one row.
    package var drawRow: @Sendable (_ context: PaneContext, _ seq: Int, _ canvas: inout Canvas, _ row: Rect) -> Void
    /// The entry whole, for the detail view.
    package var detail: @Sendable (_ state: DashboardState, _ seq: Int) -> DetailText?

    /// Declares a log.
    package init(window: @escaping @Sendable (DashboardState, UIState) -> LogWindow,
                total: @escaping @Sendable (DashboardState) -> Int,
                searchText: @escaping @Sendable (DashboardState, Int) -> String?,
                drawRow: @escaping @Sendable (PaneContext, Int, inout Canvas, Rect) -> Void,
                detail: @escaping @Sendable (DashboardState, Int) -> DetailText?) {
        self.window = window
        self.total = total
        self.searchText = searchText
        self.drawRow = drawRow
        self.detail = detail
    }
}

/// The panes, in focus (Tab) order. Adding a pane is one line here plus its own file.
package enum PaneRegistry {
    /// Every pane.
    package static let all: [PaneSpec] = [
        .progress,
        .metrics,
        .chart,
        .messages,
        .events,
        .output,
        .dev,
        .overview,
    ]

    private static let byID: [PaneID: PaneSpec] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    /// The spec of a pane.
    package static func spec(_ id: PaneID) -> PaneSpec? { byID[id] }
}
