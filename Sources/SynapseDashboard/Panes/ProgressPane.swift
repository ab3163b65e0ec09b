import SynapsePlugins

/// One bar per step (current/total, percent, rate, ETA) with the active step highlighted, an overall bar,
/// the run's error or result, and the pipeline's actions with their status.
package struct ProgressPane: DashboardPane {
    /// The frame's state, UI and options.
    package var context: PaneContext
    /// Draw a title row (off in the compact layout).
    package var titled: Bool
    /// Only the active step and the overall bar (compact layout).
    package var compact: Bool

    /// Creates the pane for a frame.
    package init(context: PaneContext, titled: Bool = true, compact: Bool = false) {
        self.context = context
        self.titled = titled
        self.compact = compact
    }

    /// Screens at least this wide show the pipeline beside the bars instead of below.
    static let sideBySideWidth = 110

    /// Rows of content the pane wants at `width` columns.
    package static func contentRows(state: DashboardState, width: Int) -> Int {
        let bars = max(1, state.steps.count) + (hasOverall(state) ? 1 : 0) + (state.run.error != nil ? 1 : 0)
        guard !state.actions.isEmpty else { return bars }
        if width >= sideBySideWidth { return max(bars, 1 + state.actions.count) }
        return bars + pipelineSummaryRows(state.actions, width: width)
    }

    /// The pipeline in a few words per action, for narrow screens: `✓ download  ▶ transform  ○ upload`.
    static func pipelineSummaryItems(_ actions: [PipelineAction], glyphs: Glyphs) -> [(String, Style)] {
        actions.map { a in
            let name = a.name.isEmpty ? "action \(a.index + 1)" : a.name
            return (glyphs.symbol(for: a.status) + " " + name, Style(role(a.status), a.status == .running ? [.bold] : []))
        }
    }

    static func pipelineSummaryRows(_ actions: [PipelineAction], width: Int) -> Int {
        let label = 16
        var rows = 1, x = label
        for item in pipelineSummaryItems(actions, glyphs: .ascii) {
            let w = DisplayWidth.of(item.0) + 2
            if x + w > width - 1, x > label { rows += 1; x = label }
            x += w
        }
        return rows
    }

    static func hasOverall(_ state: DashboardState) -> Bool { state.steps.count > 1 || !state.actions.isEmpty }

    /// `true` when the pane shows an overall (or pipeline) bar; otherwise the one step's bar is the figure.
    package static func showsOverall(_ state: DashboardState) -> Bool { hasOverall(state) }

    package func draw(into canvas: inout Canvas, in rect: Rect) {
        let state = context.state
        let focused = context.ui.focus == .progress
        var area = rect
        if titled {
            let counts = state.topLevelStepCounts
            var detail = state.steps.isEmpty ? "" : "\(counts.done)/\(counts.total) steps done"
            // Nothing declared and the run open: how many steps follow is unknown, so no "of n".
            if !state.steps.isEmpty, state.stepsDone != nil, state.actions.isEmpty {
                detail = "\(counts.done) step\(counts.done == 1 ? "" : "s") done"
            }
            if Self.hasOverall(state), state.actions.isEmpty {
                detail += state.weightsDeclared ? ", weights declared" : ", no weights declared"
            }
            area = PaneFrame.draw(into: &canvas, in: rect, title: PaneID.progress.title, detail: detail,
                                  focused: focused, glyphs: context.glyphs)
        }
        guard !area.isEmpty else { return }
        if compact { drawCompact(into: &canvas, area); return }

        var lines = barLines()
        var pipeline: [Line] = []
        var barArea = area
        if !state.actions.isEmpty, area.width >= Self.sideBySideWidth {
            pipeline = pipelineLines()
            let (left, right) = area.splitLeft(area.width * 3 / 5)
            barArea = left
            let (_, table) = right.splitLeft(2)
            drawLines(pipeline, into: &canvas, table, offset: context.ui.scroll(of: .progress).top)
            pipeline = []
        } else if !state.actions.isEmpty {
            lines += pipelineSummary(width: area.width)
        }
        drawLines(lines, into: &canvas, barArea, offset: context.ui.scroll(of: .progress).top)
    }

    /// A row of the pane, drawn later into whatever rectangle it lands in.
    typealias Line = (inout Canvas, Rect) -> Void

    func drawLines(_ lines: [Line], into canvas: inout Canvas, _ area: Rect, offset: Int) {
        let start = min(max(0, offset), max(0, lines.count - area.height))
        for (row, line) in lines.dropFirst(start).prefix(area.height).enumerated() {
            line(&canvas, Rect(x: area.x, y: area.y + row, width: area.width, height: 1))
        }
    }

    func barLines() -> [Line] {
        let state = context.state
        let glyphs = context.glyphs
        var lines: [Line] = []
        if let error = state.run.error {
            let cancelled = state.run.status == .cancelled
            // The runtime's own cancel is typed `Cancelled`: its message alone ("cancelled by SIGTERM") says it.
            let text = cancelled && error.type == "Cancelled" ? "Cancelled: \(error.message)"
                : "\(cancelled ? "Cancelled" : "Failed"): \(error.description)"
            lines.append { canvas, r in Self.drawError(text, into: &canvas, r) }
        }
        if state.steps.isEmpty {
            let text = state.run.status?.isFinal == true ? "No progress was reported" : "Waiting for progress…"
            lines.append { canvas, r in canvas.put(text, x: r.x + 1, y: r.y, width: r.width - 1, style: Style(.muted)) }
        }
        let pipelineStopped = !state.actions.isEmpty && (state.run.status == .failed || state.run.status == .cancelled)
        let nameWidth = min(18, max(pipelineStopped ? 18 : 7, state.steps.map { DisplayWidth.of($0.step) }.max() ?? 7))
        let countWidth = state.steps.map { Self.counts($0.progress).count }.max() ?? 0
        // A lost run has stopped too: no ETA counting down, no active marker.
        let finished = state.run.status?.isFinal == true || context.options.writerLostSince != nil
        for (i, step) in state.steps.enumerated() {
            let active = i == state.activeStepIndex && !finished && !step.isDone
            let condition = Self.condition(of: i, in: state)
            lines.append { canvas, r in
                Self.drawStep(step, active: active, stopped: finished, condition: condition, nameWidth: nameWidth,
                              countWidth: countWidth, glyphs: glyphs, into: &canvas, r)
            }
        }
        if Self.hasOverall(state), let fraction = state.overallFraction {
            var label = state.actions.isEmpty ? "overall" : "pipeline"
            if !state.actions.isEmpty, let status = state.run.status, status == .failed || status == .cancelled {
                label = "pipeline \(status.rawValue)"
            }
            // Blank columns where the steps show counts, rate and ETA, so the bars and percentages line up.
            let stats: [(String, Style)] = [
                (String(repeating: " ", count: countWidth), Style(.normal)),
                (NumberFormat.percent(fraction).leftPadded(to: 6), Style(.title, .bold)),
                (String(repeating: " ", count: 8), Style(.normal)), (String(repeating: " ", count: 10), Style(.normal)),
            ]
            let labelStyle = label.hasPrefix("pipeline ") ? Style(.danger, .bold) : Style(.title, .bold)
            lines.append { canvas, r in
                Self.drawBar(label: label, labelStyle: labelStyle, fraction: fraction,
                             stats: state.steps.isEmpty ? [] : stats, nameWidth: nameWidth, glyphs: glyphs, into: &canvas, r)
            }
        } else if Self.hasOverall(state), let known = state.stepsDone {
            // No run percent without declared weights: the steps done and the one running, in words.
            lines.append { canvas, r in Self.drawStepsDone(known, nameWidth: nameWidth, into: &canvas, r) }
        }
        return lines
    }

    /// The overall row when no run percent is known: `overall  1 step done, in step 2: training 45.0%`,
    /// then why there is no percent, where it fits.
    static func drawStepsDone(_ known: DashboardState.StepsDone, nameWidth: Int, into canvas: inout Canvas, _ r: Rect) {
        let x = r.x + 2
        let available = r.maxX - x
        guard available > 0 else { return }
        let name = min(nameWidth, max(4, available / 4))
        canvas.put("overall", x: x, y: r.y, width: name, style: Style(.title, .bold))
        let tx = x + name + 1
        guard tx < r.maxX else { return }
        let end = canvas.put(known.text, x: tx, y: r.y, width: r.maxX - tx, style: Style(.title))
        let why = "  (no run % without declared weights)"
        if end + DisplayWidth.of(why) <= r.maxX { canvas.put(why, x: end, y: r.y, style: Style(.muted)) }
    }

    static func counts(_ p: ProgressData) -> String {
        // Only a percentage is known (the SDK's tqdm bar): no counts to show, the percent column says it.
        if p.percentOnly { return "" }
        return "\(NumberFormat.integer(p.current))/\(NumberFormat.integer(p.total))"
    }

    /// What the last column says about a step besides its ETA.
    enum Condition: Sendable, Equatable {
        /// Running (or stopped) normally.
        case plain
        /// Reached its total and the run moved past it.
        case done
        /// Marked failed by the run.
        case failed
        /// A step that restarts or runs inside another: its current pass.
        case pass(Int)
    }

    /// The condition of step `i`, as the last column shows it.
    static func condition(of i: Int, in state: DashboardState) -> Condition {
        let step = state.steps[i]
        if step.failed { return .failed }
        if state.isStepDone(i) { return .done }
        if step.pass > 1 || step.parent != nil { return .pass(step.pass) }
        return .plain
    }

    static func drawStep(_ step: StepProgress, active: Bool, stopped: Bool = false, condition: Condition? = nil,
                         nameWidth: Int, countWidth: Int, glyphs: Glyphs, into canvas: inout Canvas, _ r: Rect) {
        let condition = condition ?? (step.failed ? .failed : step.isDone ? .done : .plain)
        var stats: [(String, Style)] = [(counts(step.progress).leftPadded(to: countWidth), Style(.normal))]
        stats.append((NumberFormat.percent(step.progress.fraction).leftPadded(to: 6), Style(.normal)))
        stats.append(((step.rate.map(NumberFormat.rate) ?? "").leftPadded(to: 8), Style(.muted)))
        let eta: String
        let etaStyle: Style
        switch condition {
        case .done: eta = "done"; etaStyle = Style(.success)
        case .failed: eta = "failed"; etaStyle = Style(.danger, .bold)
        case .pass(let k): eta = "pass \(k)"; etaStyle = Style(.info)
        case .plain:
            if stopped { eta = "stopped"; etaStyle = Style(.warning) } else {
                eta = step.eta.map { "ETA " + NumberFormat.duration($0) } ?? ""
                etaStyle = Style(.muted)
            }
        }
        stats.append((eta.leftPadded(to: 10), etaStyle))
        if active { canvas.put(String(glyphs.activeMarker), x: r.x, y: r.y, style: Style(.accent, .bold)) }
        let labelStyle = active ? Style(.accent, .bold) : condition == .done ? Style(.success)
            : condition == .failed ? Style(.danger) : Style(.normal)
        drawBar(label: step.step, labelStyle: labelStyle, fraction: step.progress.fraction, stats: stats,
                nameWidth: nameWidth, glyphs: glyphs, into: &canvas, r,
                doneStyle: active ? Style(.barDone, .bold) : Style(.barDone))
    }

    /// Bars longer than this read no better; the space goes to the stats next to them.
    static let maxBarWidth = 80

    /// `name  [bar.......]  stats...`; stats are dropped from the right when the row is narrow.
    static func drawBar(label: String, labelStyle: Style, fraction: Double, stats: [(String, Style)], nameWidth: Int,
                        glyphs: Glyphs, into canvas: inout Canvas, _ r: Rect, doneStyle: Style = Style(.barDone)) {
        let x = r.x + 2
        let available = r.maxX - x
        guard available > 0 else { return }
        let name = min(nameWidth, max(4, available / 4))
        canvas.put(label, x: x, y: r.y, width: name, style: labelStyle)
        var shown = stats
        let minimumBar = 10
        func statsWidth(_ s: [(String, Style)]) -> Int { s.reduce(0) { $0 + 1 + DisplayWidth.of($1.0) } }
        let percentOnly = [(NumberFormat.percent(fraction).leftPadded(to: 6), Style(.normal))]
        if stats.isEmpty { shown = percentOnly }
        while !shown.isEmpty, available - name - 1 - statsWidth(shown) < minimumBar { shown.removeLast() }
        let barWidth = min(maxBarWidth, max(0, available - name - 1 - statsWidth(shown)))
        ProgressBar.draw(into: &canvas, x: x + name + 1, y: r.y, width: barWidth, fraction: fraction, glyphs: glyphs,
                         doneStyle: doneStyle)
        var sx = x + name + 1 + barWidth
        for (text, style) in shown {
            sx = canvas.put(text, x: sx + 1, y: r.y, style: style)
        }
    }

    func pipelineSummary(width: Int) -> [Line] {
        let actions = context.state.actions
        let items = Self.pipelineSummaryItems(actions, glyphs: context.glyphs)
        let done = actions.filter { $0.status == .completed }.count
        let label = "Pipeline \(done)/\(actions.count)"
        var rows: [[(Int, String, Style)]] = [[]]
        var x = 16
        for (text, style) in items {
            let w = DisplayWidth.of(text) + 2
            if x + w > width - 1, x > 16 { rows.append([]); x = 16 }
            rows[rows.count - 1].append((x, text, style))
            x += w
        }
        return rows.enumerated().map { i, row in
            { canvas, r in
                if i == 0 { canvas.put(label, x: r.x + 2, y: r.y, width: 13, style: Style(.tableHeader, .bold)) }
                for (x, text, style) in row { canvas.put(text, x: r.x + x, y: r.y, width: max(0, r.maxX - r.x - x), style: style) }
            }
        }
    }

    func pipelineLines() -> [Line] {
        let actions = context.state.actions
        let glyphs = context.glyphs
        let nameWidth = min(24, max(6, actions.map { DisplayWidth.of($0.name) }.max() ?? 6))
        let now = context.options.now ?? context.state.lastTimestamp
        var lines: [Line] = []
        let done = actions.filter { $0.status == .completed }.count
        lines.append { canvas, r in
            canvas.put("Pipeline  \(done)/\(actions.count) completed", x: r.x + 1, y: r.y, width: r.width - 1,
                       style: Style(.tableHeader, .bold))
        }
        for action in actions {
            lines.append { canvas, r in
                let symbol = glyphs.symbol(for: action.status)
                let style = Style(Self.role(action.status), action.status == .running ? [.bold] : [])
                var x = canvas.put("\(action.index + 1)".leftPadded(to: 3), x: r.x, y: r.y, style: Style(.muted))
                x = canvas.put(" " + symbol + " ", x: x, y: r.y, style: style)
                canvas.put(action.name.isEmpty ? "(action \(action.index + 1))" : action.name, x: x, y: r.y,
                           width: min(nameWidth, r.maxX - x), style: action.status == .running ? Style(.accent, .bold) : Style(.normal))
                x += nameWidth + 1
                x = canvas.put(action.status.rawValue.padded(to: 9), x: x, y: r.y, style: style)
                if let start = action.startedAt {
                    let end = action.endedAt ?? now ?? start
                    x = canvas.put(NumberFormat.duration(end - start).leftPadded(to: 7), x: x, y: r.y, style: Style(.muted))
                }
                if let error = action.error, x + 2 < r.maxX {
                    canvas.put(error.description, x: x + 2, y: r.y, width: r.maxX - x - 2, style: Style(.danger))
                }
            }
        }
        return lines
    }

    /// The role an action status is drawn in.
    package static func role(_ s: ActionStatus) -> Role {
        switch s {
        case .pending, .skipped: return .muted
        case .running: return .info
        case .completed: return .success
        case .failed: return .danger
        }
    }

    /// The run's error on one row. One that does not fit (or has line breaks of its own) ends in a hint that
    /// the overview (`o`) has it whole, wrapped.
    static func drawError(_ text: String, into canvas: inout Canvas, _ r: Rect) {
        let style = Style(.danger, .bold)
        let hint = " [o: whole error]"
        let hintWidth = DisplayWidth.of(hint)
        let fits = !text.contains("\n") && DisplayWidth.of(text) <= r.width - 1
        guard !fits, r.width - 1 - hintWidth >= 40 else {
            canvas.put(text, x: r.x + 1, y: r.y, width: r.width - 1, style: style)
            return
        }
        let x = canvas.put(text, x: r.x + 1, y: r.y, width: r.width - 1 - hintWidth, style: style)
        canvas.put(hint, x: x, y: r.y, width: r.maxX - x, style: Style(.muted))
    }

    func drawCompact(into canvas: inout Canvas, _ area: Rect) {
        let state = context.state
        var rows: [Line] = []
        let glyphs = context.glyphs
        let stopped = state.run.status?.isFinal == true || context.options.writerLostSince != nil
        if let step = state.activeStep ?? state.steps.last {
            let w = min(12, DisplayWidth.of(step.step))
            rows.append { canvas, r in
                Self.drawStep(step, active: false, stopped: stopped, nameWidth: w, countWidth: 0, glyphs: glyphs,
                              into: &canvas, r)
            }
        } else {
            // A finished run waits for nothing.
            let text = stopped ? "no progress was reported" : "waiting for progress"
            rows.append { canvas, r in canvas.put(text, x: r.x + 1, y: r.y, width: r.width - 1, style: Style(.muted)) }
        }
        if let error = state.run.error {
            // A failed run says why before anything else.
            rows.insert({ canvas, r in Self.drawError(error.description, into: &canvas, r) }, at: 0)
        } else if Self.hasOverall(state), let f = state.overallFraction {
            rows.append { canvas, r in
                Self.drawBar(label: "all", labelStyle: Style(.title), fraction: f, stats: [], nameWidth: 3,
                             glyphs: glyphs, into: &canvas, r)
            }
        } else if Self.hasOverall(state), let known = state.stepsDone {
            let text = "all  \(known.done) step\(known.done == 1 ? "" : "s") done"
            rows.append { canvas, r in canvas.put(text, x: r.x + 2, y: r.y, width: max(0, r.width - 2), style: Style(.title)) }
        }
        drawLines(rows, into: &canvas, area, offset: 0)
    }
}

extension String {
    /// The string padded with spaces on the left to `width` columns.
    func leftPadded(to width: Int) -> String {
        let w = DisplayWidth.of(self)
        return w >= width ? self : String(repeating: " ", count: width - w) + self
    }

    /// The string padded with spaces on the right to `width` columns.
    func padded(to width: Int) -> String {
        let w = DisplayWidth.of(self)
        return w >= width ? self : self + String(repeating: " ", count: width - w)
    }
}

extension PaneSpec {
    /// Progress: bars per step, the overall bar, the pipeline. Fixed size: exactly the rows it fills.
    package static let progress = PaneSpec(
        id: .progress, title: "Progress", placement: .top, priority: 0, weight: 0,
        contentRows: { state, _, width in ProgressPane.contentRows(state: state, width: width) },
        draw: { context, canvas, rect, titled in
            ProgressPane(context: context, titled: titled, compact: !titled).draw(into: &canvas, in: rect)
        })
}
