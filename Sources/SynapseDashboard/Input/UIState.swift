import SynapsePlugins

/// Everything about the screen that is not the run: focus, scrolling, search, toggles. A plain value,
/// changed only by ``handle(_:state:context:)``.
package struct UIState: Sendable, Hashable {
    /// How one pane is scrolled.
    package struct Scroll: Sendable, Hashable {
        /// Show the newest entries and keep up with new ones (log panes).
        package var follow = true
        /// Log panes: sequence number of the top entry when not following. Table panes: the top row.
        package var top = 0

        /// Creates a scroll position.
        package init(follow: Bool = true, top: Int = 0) {
            self.follow = follow
            self.top = top
        }
    }

    /// A search in one log pane (the one focused when `/` was pressed; Messages otherwise).
    package struct Search: Sendable, Hashable {
        /// The text searched for (case-insensitive).
        package var query: String
        /// Still typing the query (`/` pressed, Enter not yet).
        package var isEditing: Bool
        /// Sequence number of the current match, if any.
        package var current: Int?
        /// The pane searched.
        package var pane: PaneID

        /// Creates a search.
        package init(query: String = "", isEditing: Bool = true, current: Int? = nil, pane: PaneID = .messages) {
            self.query = query
            self.isEditing = isEditing
            self.current = current
            self.pane = pane
        }
    }

    /// A question on top of the dashboard.
    package enum Dialog: Sendable, Hashable {
        /// `q` during a live in-process run: cancel the run and quit?
        case confirmQuit
        /// `c`: cancel the run?
        case confirmCancel
    }

    /// The pane that keys scroll.
    package var focus: PaneID = .messages
    /// Scroll position per pane.
    package var scroll: [PaneID: Scroll] = [:]
    /// Show the dev-event pane (starts from `--debug` / `SYNAPSE_DEBUG`).
    package var showDev: Bool
    /// The search, once `/` was pressed.
    package var search: Search?
    /// Show only messages at least this severe; `nil` shows all.
    package var levelFilter: LogLevel?
    /// The metric the chart shows; `nil` picks the first numeric one.
    package var selectedMetric: MetricID?
    /// Show a time column in log panes.
    package var showTimestamps = false
    /// The theme in use (a built-in name, or a path the user gave).
    package var themeName: String
    /// The help overlay is open.
    package var showHelp = false
    /// The open question, if any.
    package var dialog: Dialog?
    /// A one-line notice for the status line, cleared by the next key.
    package var notice: String?
    /// What the chart's x axis shows (`x`).
    package var chartXAxis: ChartXAxis = .counter
    /// The chart's y axis is logarithmic (`L`).
    package var chartLogScale = false
    /// The chart draws an exponential moving average over the faint raw curve (`s`).
    package var chartSmoothing = false
    /// The chart shows only the charted metric's last this many samples; `nil`: the whole run (`z`).
    package var chartZoom: Int?
    /// Metrics marked in the table (`Space` on the charted one), drawn with the charted one.
    package var markedMetrics: [MetricID] = []
    /// The system strip is expanded into the System pane (`S`).
    package var showSystem = false
    /// The focused pane fills the body (`+` or `Z`).
    package var maximised = false
    /// The overview (the run's summary) is open (`o`): maximised over the body and focused.
    package var showOverview = false
    /// The focus to give back when the overview closes.
    package var focusBeforeOverview: PaneID?
    /// Whether a pane was maximised when the overview opened.
    package var maximisedBeforeOverview = false
    /// The open detail view (Enter): an entry's whole text, wrapped and scrollable.
    package var detail: DetailView?
    /// The event log the run is read from (attach, show, or the job log of a run in this process): the detail
    /// view reads a message cut in memory back from it whole.
    package var logPath: String?
    /// The first row of the help shown (it scrolls on small screens).
    package var helpTop = 0
    /// Per log pane, the entry Enter opens (a sequence number); none: the newest while following.
    package var logCursor: [PaneID: Int] = [:]
    /// The time cursor (epoch seconds): every pane shows the run as it was then (`[` `]` 1 %, `{` `}` 10 % of
    /// the run; `=` or stepping past the end returns to the end). `nil`: the end, or live.
    package var timeCursor: Double?
    /// The Metrics pane's cursor: a metric row (0-based among metric rows, headers not counted).
    package var metricsCursor = 0

    /// Creates the initial UI state.
    package init(showDev: Bool = false, themeName: String = "dark") {
        self.showDev = showDev
        self.themeName = themeName
    }

    /// The scroll position of a pane.
    package func scroll(of pane: PaneID) -> Scroll { scroll[pane] ?? Scroll() }

    /// The level filter steps `l` cycles through.
    package static let levelFilterCycle: [LogLevel?] = [nil, .info, .warning, .danger]
}
