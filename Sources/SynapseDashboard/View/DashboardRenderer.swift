/// Draws the whole dashboard into a ``Canvas``: a pure function of the run, the UI and the screen size.
///
/// Cost is proportional to the screen: panes look only at the rows they show. Any size works, down to 0x0.
package enum DashboardRenderer {
    /// Renders one frame.
    package static func render(_ state: DashboardState, ui: UIState, size: Size,
                              options: RenderOptions = RenderOptions()) -> Canvas {
        var canvas = Canvas(width: size.width, height: size.height, asciiOnly: options.ascii)
        guard size.width > 0, size.height > 0 else { return canvas }
        var ui = ui
        if !options.interactive { ui.focus = PaneID("none") }  // no pane looks focused in a printed screen
        let context = PaneContext(state: state, ui: ui, options: options)
        let layout = DashboardLayout.make(state: state, ui: ui, size: size)
        draw(layout, context, into: &canvas)
        if let detail = ui.detail {
            let (area, status) = canvas.bounds.splitBottom(1)
            DetailOverlay(view: detail, glyphs: options.glyphs).draw(into: &canvas, in: area)
            if let statusRect = layout.status ?? (status.isEmpty ? nil : status) {
                StatusLine(context: context).draw(into: &canvas, in: statusRect)
            }
        }
        if let dialog = ui.dialog {
            DialogOverlay(dialog: dialog, glyphs: options.glyphs).draw(into: &canvas, in: canvas.bounds)
        } else if ui.showHelp {
            HelpOverlay(glyphs: options.glyphs, top: ui.helpTop).draw(into: &canvas, in: canvas.bounds)
        }
        return canvas
    }

    static func draw(_ layout: DashboardLayout, _ context: PaneContext, into canvas: inout Canvas) {
        if let header = layout.header { HeaderPane(context: context).draw(into: &canvas, in: header) }
        if let system = layout.system { SystemPane(context: context).draw(into: &canvas, in: system) }
        let titled = !layout.isCompact
        for spec in PaneRegistry.all {
            guard let rect = layout.panes[spec.id] else { continue }
            spec.draw(context, &canvas, rect, titled)
        }
        for separator in layout.separators {
            for y in separator.y..<separator.maxY {
                canvas[separator.x, y] = Cell(context.glyphs.vertical, style: Style(.border))
            }
        }
        if let status = layout.status, context.options.interactive { StatusLine(context: context).draw(into: &canvas, in: status) }
    }
}
