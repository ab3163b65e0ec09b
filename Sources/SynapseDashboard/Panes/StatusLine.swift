import SynapsePlugins

/// The bottom line: the keys that matter now (or the search being typed, or a notice) and, on the right,
/// what the focused pane is doing.
package struct StatusLine: DashboardPane {
    /// The frame's state, UI and options.
    package var context: PaneContext

    /// Creates the status line for a frame.
    package init(context: PaneContext) { self.context = context }

    /// The hints for the current situation, most important first.
    package var hints: [(key: String, action: String)] {
        let ui = context.ui
        if ui.dialog != nil { return [("y", "yes"), ("n", "no")] }
        if ui.detail != nil { return [("Esc", "close"), ("Up/Down PgUp/PgDn", "scroll"), ("y", "copy")] }
        if ui.showHelp { return [("Up/Down", "scroll"), ("any key", "close help")] }
        if ui.showOverview && ui.focus == .overview {
            return [("q", "quit"), ("o", "close overview"), ("Up/Down", "scroll"), ("PgUp/PgDn", "page")]
        }
        var h: [(String, String)] = [("q", "quit"), ("?", "help")]
        // Moving through the past, the keys that move and leave come first: the screen is not the run's end.
        if ui.timeCursor != nil { h += [("[ ] { }", "time"), ("=", "end")] }
        h.append(("Tab", "focus"))
        if context.options.isLiveInProcess, context.state.run.status?.isFinal != true { h.append(("c", "cancel")) }
        h.append(("/", "search"))
        if ui.focus.isLog { h.append(("Enter", "show whole")) }
        h.append(("+", ui.maximised ? "restore" : "max"))
        if ui.search?.current != nil { h.append(("n/N", "next/prev")) }
        h.append(("f", ui.scroll(of: ui.focus).follow ? "pause" : "follow"))
        h.append(("d", ui.showDev ? "hide dev" : "dev"))
        if context.state.chartableMetrics.count > 1 { h.append(("m", "metric")) }
        h += [("l", "level"), ("T", "time"), ("t", "theme")]
        if ui.timeCursor == nil, context.state.run.status?.isFinal == true { h.append(("[ ]", "rewind")) }
        return h
    }

    package func draw(into canvas: inout Canvas, in rect: Rect) {
        guard !rect.isEmpty else { return }
        let y = rect.y
        canvas.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: Style(.muted))
        let ui = context.ui
        if let search = ui.search, search.isEditing {
            let x = canvas.put("/", x: rect.x, y: y, style: Style(.keyHint, .bold))
            let end = canvas.put(search.query, x: x, y: y, width: max(0, rect.maxX - x - 1), style: Style(.normal, .bold))
            canvas[end, y] = Cell("_", style: Style(.keyHint, .bold))
            let help = "Enter search  Esc cancel"
            if rect.maxX - end > DisplayWidth.of(help) + 4 {
                canvas.put(help, x: rect.maxX - DisplayWidth.of(help) - 1, y: y, style: Style(.muted))
            }
            return
        }
        var right = ""
        if let status = context.options.sourceStatus, rect.width >= 40 {
            right = status
        } else if !(ui.dialog != nil || ui.showHelp), rect.width >= 100 {
            right = "focus: \(ui.focus.title)\(ui.scroll(of: ui.focus).follow || !ui.focus.isLog ? "" : " (paused)")"
        }
        let rightWidth = DisplayWidth.of(right)
        let limit = rect.maxX - (rightWidth > 0 ? rightWidth + 2 : 0)
        var x = rect.x
        if let notice = ui.notice {
            x = canvas.put(notice, x: x, y: y, width: max(0, limit - x), style: Style(.accent, .bold)) + 2
        }
        for (key, action) in hints {
            let w = DisplayWidth.of(key) + 1 + DisplayWidth.of(action)
            if x + w > limit { break }
            x = canvas.put(key, x: x, y: y, style: Style(.keyHint, .bold))
            x = canvas.put(" " + action, x: x, y: y, style: Style(.muted)) + 2
        }
        if rightWidth > 0 {
            let style = context.options.sourceStatus == nil ? Style(.focus)
                : Style(context.options.logWriteFailing ? .danger : .accent, .bold)
            canvas.put(right, x: max(rect.x, rect.maxX - rightWidth - 1), y: y, width: min(rightWidth, rect.width), style: style)
        }
    }
}
