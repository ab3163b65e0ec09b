import Foundation
import Testing
@testable import SynapseDashboard
import SynapsePlugins

/// The time cursor's keys: back through a finished run every pane shows the state as it was then, with the
/// header's `AT` marker; `=` (or stepping past the end) shows the end again.
@Suite struct TimeCursorTests {
    static let size = Size(width: 120, height: 36)

    static func text(_ canvas: Canvas) -> String { PlainTextRenderer.text(canvas) }

    /// The text and every cell's colour role and attributes, for comparing whole screens.
    static func screen(_ canvas: Canvas) -> String {
        text(canvas) + canvas.cells.map { "\($0.style.role.rawValue).\($0.style.attributes.rawValue)" }.joined(separator: ",")
    }

    /// Where `needle` starts on the canvas, as (x, y).
    static func find(_ needle: String, in canvas: Canvas) -> (x: Int, y: Int)? {
        for y in 0..<canvas.height {
            let row = String((0..<canvas.width).map { canvas[$0, y].character })
            if let r = row.range(of: needle) { return (row.distance(from: row.startIndex, to: r.lowerBound), y) }
        }
        return nil
    }

    /// A time travel through `events` as a source without a log (a Ray job) hands them over.
    static func recorded(_ events: [Event]) -> TimeTravel {
        var travel = TimeTravel()
        travel.record(events[...])
        return travel
    }

    func press(_ keys: [Key], _ ui: inout UIState, _ travel: inout TimeTravel, live: DashboardState) {
        let context = KeyContext(screen: Self.size, runSpan: TimeTravel.span(of: live))
        for key in keys {
            ui.handle(key, state: travel.past ?? live, context: context)
            travel.update(cursor: ui.timeCursor)
        }
    }

    func render(_ live: DashboardState, _ ui: UIState, _ travel: TimeTravel) -> Canvas {
        var options = RenderOptions()
        let shown = travel.shown(live, options: &options)
        return DashboardRenderer.render(shown, ui: ui, size: Self.size, options: options)
    }

    @Test func backShowsThePastAndEqualReturnsToTheEnd() throws {
        let events = RunTimelineTests.events()
        try #require(events.count > 100)
        var live = DashboardState()
        live.apply(events[...])
        let span = try #require(TimeTravel.span(of: live))
        let final = render(live, UIState(), TimeTravel())
        #expect(!Self.text(final).contains("AT "))

        var ui = UIState()
        var travel = Self.recorded(events)
        // Five steps of 10 % back: the middle of the run.
        press(Array(repeating: .char("{"), count: 5), &ui, &travel, live: live)
        let cursor = try #require(ui.timeCursor)
        #expect(abs(cursor - (span.lowerBound + span.upperBound) / 2) < 1e-6 * (span.upperBound - span.lowerBound) + 1e-9)
        // The state shown is the prefix of events up to the cursor, reduced from scratch.
        var fresh = DashboardState()
        fresh.apply(events[..<events.count { $0.timestamp <= cursor }])
        let past = try #require(travel.past)
        #expect(past == fresh)
        #expect(past.eventCount < live.eventCount)
        #expect(past.run.status?.isFinal != true, "the middle of the run is before its end")

        let middle = render(live, ui, travel)
        let text = Self.text(middle)
        #expect(text.contains("(50.0%)"), "\(text)")
        let at = try #require(Self.find("AT ", in: middle), "\(text)")
        #expect(middle[at.x, at.y].style.role == .warning)
        #expect(middle[at.x, at.y].style.attributes.contains(.reverse))
        #expect(!Self.text(DashboardRenderer.render(past, ui: ui, size: Self.size, options: RenderOptions())).contains("AT "),
                "the marker comes from the cursor, not the state")
        #expect(text != Self.text(final))
        // The status line offers the keys that move and leave.
        #expect(text.contains("= end"), "\(text)")

        // 1 % forward, then back to the end.
        press([.char("]")], &ui, &travel, live: live)
        #expect(Self.text(render(live, ui, travel)).contains("(51.0%)"))
        press([.char("=")], &ui, &travel, live: live)
        #expect(ui.timeCursor == nil)
        #expect(ui.notice == "Back at the end of the run")
        #expect(travel.past == nil)
        ui.notice = nil
        #expect(Self.screen(render(live, ui, travel)) == Self.screen(final))
    }

    @Test func steppingPastEitherEndClamps() throws {
        let events = RunTimelineTests.events()
        var live = DashboardState()
        live.apply(events[...])
        let span = try #require(TimeTravel.span(of: live))
        var ui = UIState()
        var travel = Self.recorded(events)
        press(Array(repeating: .char("{"), count: 12), &ui, &travel, live: live)
        #expect(ui.timeCursor == span.lowerBound)
        #expect(Self.text(render(live, ui, travel)).contains("+0:00 (0%)"))
        press(Array(repeating: .char("}"), count: 10), &ui, &travel, live: live)
        #expect(ui.timeCursor == nil, "10 steps of 10 % from the start reach the end: live again")
        ui.notice = nil
        #expect(Self.screen(render(live, ui, travel)) == Self.screen(render(live, UIState(), TimeTravel())))
    }

    @Test func noSpanNoTravel() {
        var ui = UIState()
        ui.handle(.char("["), state: DashboardState(), context: KeyContext(screen: Self.size))
        #expect(ui.timeCursor == nil)
        #expect(ui.notice?.contains("Time travel") == true)
    }
}
