import SynapsePlugins

/// The run's header line: action, job id, coloured status, elapsed time, events/s, unreadable lines.
package struct HeaderPane: DashboardPane {
    /// The frame's state, UI and options.
    package var context: PaneContext

    /// Creates the header for a frame.
    package init(context: PaneContext) { self.context = context }

    /// The role a run status is drawn in.
    package static func role(of status: RunStatus?) -> Role {
        switch status {
        case .running: return .info
        case .completed: return .success
        case .failed: return .danger
        case .cancelled: return .warning
        case .pending, nil: return .muted
        }
    }

    /// A rate as events: `667 ev/s`, `12 ev/min`. (``NumberFormat/rate(_:)`` ends in `/s` or `/min`; a
    /// suffix check instead of Foundation's `replacingOccurrences`, which costs more than the whole header.)
    static func eventRate(_ perSecond: Double) -> String {
        let text = NumberFormat.rate(perSecond)
        if text.hasSuffix("/s") { return text.dropLast(2) + " ev/s" }
        if text.hasSuffix("/min") { return text.dropLast(4) + " ev/min" }
        return text
    }

    /// The time the run's writer was last seen alive, when it is gone and the run has no final status.
    static func lostSince(_ state: DashboardState, _ options: RenderOptions) -> Double? {
        state.run.status?.isFinal == true ? nil : options.writerLostSince
    }

    /// The status word: the run's, or `lost` (derived by the reader, never written in the log).
    static func statusWord(_ state: DashboardState, _ options: RenderOptions) -> String {
        lostSince(state, options) != nil ? "lost" : state.run.status?.rawValue ?? "waiting"
    }

    package func draw(into canvas: inout Canvas, in rect: Rect) {
        guard !rect.isEmpty else { return }
        let state = context.state
        let y = rect.y
        canvas.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: Style(.title))
        var x = rect.x + 1
        let end = rect.maxX
        let lost = Self.lostSince(state, context.options)
        let statusText = " \(Self.statusWord(state, context.options).uppercased()) "
        let statusStyle = Style(lost != nil ? .danger : Self.role(of: state.run.status), [.bold, .reverse])

        // Narrow screens: status first so it is never cut off.
        if rect.width < 40 {
            x = canvas.put(statusText, x: rect.x, y: y, width: rect.width, style: statusStyle)
            let name = state.run.action ?? context.options.sourceLabel ?? ""
            canvas.put(" " + name, x: x, y: y, width: end - x, style: Style(.title, .bold))
            return
        }
        let name = state.run.action ?? context.options.sourceLabel ?? "synapse"
        x = canvas.put(name, x: x, y: y, width: min(32, end - x), style: Style(.title, .bold))
        x += 1
        x = canvas.put(statusText, x: x, y: y, width: max(0, end - x), style: statusStyle)

        var parts: [(String, Style)] = []
        if let cursor = context.options.timeCursor { parts.append((cursor, Style(.warning, [.bold, .reverse]))) }
        // Records that are not (or may not end up) in the log come first: what a reader sees later is less.
        if context.options.logWriteFailing {
            parts.append((" LOG NOT WRITTEN ", Style(.danger, [.bold, .reverse])))
        }
        if state.lostRecordCount > 0 {
            parts.append(("\(NumberFormat.count(state.lostRecordCount)) records lost", Style(.danger, .bold)))
        }
        if let lost {
            parts.append(("no writer since \(NumberFormat.clock(lost, utcOffset: context.options.utcOffset))", Style(.danger, .bold)))
        }
        // A lost run's clock stops at its writer's last proof of life.
        if let elapsed = state.elapsed(now: lost.map { Swift.max($0, state.lastTimestamp ?? $0) } ?? context.options.now) {
            // No clock emoji: terminals disagree on its width, and a header that shifts by one looks broken.
            parts.append((NumberFormat.duration(elapsed), Style(.normal, .bold)))
        }
        // A finished run shows its average rate; a live one the last few seconds'.
        let rate: Double
        if state.run.status?.isFinal == true || lost != nil, let first = state.firstTimestamp, let last = state.lastTimestamp, last > first {
            rate = Double(state.eventCount) / (last - first)
        } else {
            rate = state.rate.perSecond(now: context.options.now)
        }
        parts.append((Self.eventRate(rate), Style(.muted)))
        parts.append(("\(NumberFormat.count(state.eventCount)) events", Style(.muted)))
        if state.unreadableCount > 0 {
            parts.append(("\(NumberFormat.count(state.unreadableCount)) unreadable", Style(.warning, .bold)))
        }
        if let job = state.run.jobID {
            parts.append(("job \(job)", Style(.muted)))
        }
        for (text, style) in parts {
            let w = canvas.displayWidth(text)
            guard x + 2 + w <= end else {
                if x + 4 < end { canvas.put(text, x: x + 2, y: y, width: end - x - 2, style: style) }
                break
            }
            x = canvas.put(text, x: x + 2, y: y, style: style)
        }
    }
}
