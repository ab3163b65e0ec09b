import Testing
@testable import SynapseDashboard
@testable import SynapsePlugins

/// A job log that cannot be written (a full disk) is said at once in the header and on the status line,
/// in the danger role; records the writer had to drop stay counted in the header (issue #13).
@Suite struct LogWriteHeaderTests {
    func running() -> DashboardState {
        var s = DashboardState()
        s.apply(Event(timestamp: 1000, payload: .runStatus(RunStatusUpdate(status: .running, action: "train"))))
        s.apply(Event(timestamp: 1010, step: "training", payload: .progress(ProgressData(current: 1, total: 4))))
        return s
    }

    /// The row's text and the role of the cell where `needle` starts (nil when it is not there).
    func find(_ needle: String, row: Int, in canvas: Canvas) -> (text: String, role: Role?) {
        let text = String(canvas.text.split(separator: "\n", omittingEmptySubsequences: false)[row])
        guard let range = text.range(of: needle) else { return (text, nil) }
        let x = text.distance(from: text.startIndex, to: range.lowerBound)
        return (text, canvas[x, row].style.role)
    }

    @Test(arguments: [80, 200])
    func aFailingLogIsInTheHeaderAndOnTheStatusLine(width: Int) {
        var options = RenderOptions(now: 1020)
        options.logWriteFailing = true
        options.sourceStatus = "cannot write the job log: No space left on device (/h/jobs/j/events.jsonl)"
        let canvas = DashboardRenderer.render(running(), ui: UIState(), size: Size(width: width, height: 24), options: options)
        let header = find("LOG NOT WRITTEN", row: 0, in: canvas)
        #expect(header.role == .danger, "\(header.text)")
        let status = find("cannot write the job log: No space", row: 23, in: canvas)
        #expect(status.role == .danger, "\(status.text)")

        options.logWriteFailing = false
        options.sourceStatus = nil
        let after = DashboardRenderer.render(running(), ui: UIState(), size: Size(width: width, height: 24), options: options)
        #expect(find("LOG NOT WRITTEN", row: 0, in: after).role == nil)
    }

    @Test func recordsTheWriterDroppedStayCounted() {
        var s = running()
        s.apply(Event(timestamp: 1011, level: .danger, payload: .custom(name: "log_gap", data: ["lost": 1234, "reason": "No space left on device"])))
        let canvas = DashboardRenderer.render(s, ui: UIState(), size: Size(width: 80, height: 24), options: RenderOptions(now: 1020))
        let header = find("1234 records lost", row: 0, in: canvas)
        #expect(header.role == .danger, "\(header.text)")
    }
}
