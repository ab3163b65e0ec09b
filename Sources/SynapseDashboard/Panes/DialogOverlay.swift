import SynapsePlugins

/// A yes/no question in a box (quit during a live run, cancel).
package struct DialogOverlay: DashboardPane {
    /// The question.
    package var dialog: UIState.Dialog
    /// The character set.
    package var glyphs: Glyphs

    /// Creates the overlay.
    package init(dialog: UIState.Dialog, glyphs: Glyphs) {
        self.dialog = dialog
        self.glyphs = glyphs
    }

    /// The question asked.
    package var question: String {
        switch dialog {
        case .confirmQuit: return "The run is still going. Cancel it and quit?"
        case .confirmCancel: return "Cancel the run?"
        }
    }

    package func draw(into canvas: inout Canvas, in rect: Rect) {
        let answer = "y yes   n no"
        let width = min(rect.width, max(DisplayWidth.of(question), DisplayWidth.of(answer)) + 4)
        let height = min(rect.height, 4)
        guard width >= 4, height >= 3 else {
            canvas.put(question + " (y/n)", x: rect.x, y: rect.y + rect.height / 2, width: rect.width, style: Style(.warning, .bold))
            return
        }
        let box = Rect(x: rect.x + (rect.width - width) / 2, y: rect.y + (rect.height - height) / 2, width: width, height: height)
        let inner = Overlay.box(into: &canvas, box, title: dialog == .confirmQuit ? "Quit" : "Cancel", glyphs: glyphs)
        canvas.put(question, x: inner.x + 1, y: inner.y, width: inner.width - 1, style: Style(.warning, .bold))
        if inner.height > 1 {
            canvas.put(answer, x: inner.x + 1, y: inner.y + 1, width: inner.width - 1, style: Style(.keyHint))
        }
    }
}
