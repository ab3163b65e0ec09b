import SynapsePlugins

/// The run's summary (``RunSummary``) as a pane a user opens at any time with `o`: what happened, the whole
/// error wrapped to the width (never cut), times, host, progress, params (secrets masked), each metric's
/// best and what the log lacks. It opens over the whole body (maximised, focused) and scrolls when it is longer
/// than the screen (Up/Down, PgUp/PgDn, Home/End); `o` or Esc gives the panes back.
package struct OverviewPane: DashboardPane {
    /// The frame's state, UI and options.
    package var context: PaneContext

    /// Creates the pane for a frame.
    package init(context: PaneContext) { self.context = context }

    /// One screen row of the overview: a label (on the first row of a labelled entry) and a piece of text.
    package struct Line: Sendable, Hashable {
        /// `Started`, `Params`, ...; empty on headline rows and continuation rows.
        package var label: String
        /// Columns the text is indented by (the label column, or 2 under the error's first line).
        package var indent: Int
        /// The text (one wrapped piece).
        package var text: String
        /// How the text is drawn.
        package var style: Style
    }

    /// The summary this frame shows.
    package static func summary(_ context: PaneContext) -> RunSummary {
        RunSummary(state: context.state, lostSince: context.options.writerLostSince, host: context.options.host,
                   now: context.options.now)
    }

    /// The summary's rows wrapped to `width` columns: headline rows from the first column (the error's own
    /// later lines indented by 2), labelled rows beside a column of labels.
    package static func lines(_ summary: RunSummary, width: Int, utcOffset: Int = 0, ascii: Bool = false) -> [Line] {
        let rows = summary.rows(utcOffset: utcOffset)
        let headlineRows = rows.firstIndex { !$0.label.isEmpty } ?? rows.count
        var out: [Line] = []
        for (n, row) in rows.enumerated() {
            let style = Style(row.role, row.bold ? .bold : [])
            let base = n < headlineRows ? 0 : RunSummary.labelWidth
            for (p, paragraph) in row.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let indent = base + (p > 0 && n < headlineRows ? 2 : 0)
                for (i, piece) in TextWrap.wrap(SafeText.line(String(paragraph), ascii: ascii), width: max(1, width - indent)).enumerated() {
                    out.append(Line(label: p == 0 && i == 0 ? row.label : "", indent: indent, text: piece, style: style))
                }
            }
        }
        return out
    }

    /// Rows of content the overview has at `width` (the title row not counted).
    package static func contentRows(_ context: PaneContext, width: Int) -> Int {
        lines(summary(context), width: max(1, width - 2), utcOffset: context.options.utcOffset, ascii: context.options.ascii).count
    }

    /// ``contentRows(_:width:)`` as the layout and the key handler ask it (they have no render options: no
    /// lost writer or host, which only add a row or change one).
    static func contentRows(state: DashboardState, ui: UIState, width: Int) -> Int {
        contentRows(PaneContext(state: state, ui: ui, options: RenderOptions()), width: width)
    }

    package func draw(into canvas: inout Canvas, in rect: Rect) {
        guard !rect.isEmpty else { return }
        canvas.fill(rect, style: Style(.normal))
        let lines = Self.lines(Self.summary(context), width: max(1, rect.width - 2), utcOffset: context.options.utcOffset,
                               ascii: context.options.ascii)
        let rows = max(0, rect.height - 1)
        let top = min(max(0, context.ui.scroll(of: .overview).top), max(0, lines.count - rows))
        let position = lines.count <= rows ? "o close"
            : "lines \(top + 1)-\(min(lines.count, top + rows)) of \(lines.count), Up/Down scroll, o close"
        let content = PaneFrame.draw(into: &canvas, in: rect, title: "Overview", detail: position, focused: true,
                                     glyphs: context.glyphs)
        for (i, line) in lines.dropFirst(top).prefix(content.height).enumerated() {
            let y = content.y + i
            if !line.label.isEmpty {
                canvas.put(line.label, x: content.x + 1, y: y, width: RunSummary.labelWidth - 1, style: Style(.accent))
            }
            let x = content.x + 1 + line.indent
            guard x < content.maxX else { continue }
            canvas.put(line.text, x: x, y: y, width: content.maxX - x, style: line.style)
        }
    }
}

extension PaneID {
    /// The overview (`o`).
    package static let overview = PaneID("overview")
}

extension PaneSpec {
    /// The overview: shown while `o` has it open (maximised over the body, focused), as tall as its rows.
    package static let overview = PaneSpec(
        id: .overview, title: "Overview", placement: .top, priority: 0, weight: 0,
        isShown: { _, ui in ui.showOverview },
        contentRows: { state, ui, width in OverviewPane.contentRows(state: state, ui: ui, width: width) },
        keys: [("o / Esc", "close"), ("Up/Down PgUp/PgDn Home/End", "scroll")],
        draw: { context, canvas, rect, _ in OverviewPane(context: context).draw(into: &canvas, in: rect) })
}
