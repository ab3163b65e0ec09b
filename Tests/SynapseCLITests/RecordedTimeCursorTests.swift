import Foundation
import SynapseDashboard
import SynapsePlugins
import Testing
@testable import SynapseCLI

/// The time cursor of a dashboard without a log (a Ray job's, `attach --ray`): the events are recorded as
/// they arrive, and a move shows the run as it was then, unreadable lines counted as they were.
@Suite struct RecordedTimeCursorTests {
    static let size = Size(width: 120, height: 36)

    static func events() throws -> [Event] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/training-completed.jsonl")
        var decoder = EventLogDecoder()
        var batch = decoder.feed([UInt8](try Data(contentsOf: url)))
        batch.events += decoder.finish().events
        return batch.events
    }

    /// `show` prints once and has no time cursor: it records nothing for one (1M events held as a timeline
    /// took 4x the memory and twice the time).
    @Test func aPrintedScreenRecordsNoTimeline() throws {
        let events = try Self.events()
        let settings = try DashboardSettings(try DashboardOptions.parse([]), debug: false, environment: ["LANG": "C.UTF-8"])
        var printed = DashboardScreen(settings: settings, isInProcess: false, sourceLabel: "show", interactive: false)
        var live = DashboardScreen(settings: settings, isInProcess: false, sourceLabel: "attach")
        printed.apply(events[...])
        live.apply(events[...])
        #expect(printed.state == live.state)
        #expect(printed.travel.timeline.heldCount == 0)
        #expect(live.travel.timeline.heldCount == events.count)
    }

    @Test func aRayDashboardTravelsThroughWhatItReceived() throws {
        let events = try Self.events()
        try #require(events.count > 100)
        var screen = DashboardScreen(settings: try DashboardSettings(try DashboardOptions.parse([]), debug: false, environment: ["LANG": "C.UTF-8"]),
                                     isInProcess: false, sourceLabel: "Ray job raysubmit_1 @ http://127.0.0.1:8265")
        // As the queue hands them over: in batches, an unreadable line among them.
        let unreadable = UnreadableLine(lineNumber: 31, reason: "not JSON")
        screen.apply(events[..<30])
        screen.apply(.unreadable(unreadable))
        screen.apply(events[30..<77])
        screen.apply(events[77...])
        #expect(screen.state.unreadableCount == 1)
        let span = try #require(TimeTravel.span(of: screen.state))

        for _ in 0..<5 { _ = screen.handle(.char("{"), width: Self.size.width, height: Self.size.height) }
        let cursor = try #require(screen.ui.timeCursor)
        #expect(screen.ui.notice?.contains("needs") != true, "\(screen.ui.notice ?? "")")
        let canvas = screen.render(width: Self.size.width, height: Self.size.height)
        let text = PlainTextRenderer.text(canvas)
        #expect(text.contains("(50.0%)"), "\(text)")

        // The screen is the prefix up to the cursor, reduced from scratch, unreadable line and all.
        let before = events.count { $0.timestamp <= cursor }
        var fresh = DashboardState()
        fresh.apply(events[..<Swift.min(30, before)])
        if before >= 30 { fresh.apply(unreadable: unreadable) }
        if before > 30 { fresh.apply(events[30..<before]) }
        #expect(before >= 30 && fresh.unreadableCount == 1, "the middle of the run is after the unreadable line")
        var options = screen.options
        options.now = cursor
        options.timeCursor = TimeTravel.label(time: cursor, start: span.lowerBound, end: span.upperBound,
                                              utcOffset: options.utcOffset)
        let expected = DashboardRenderer.render(fresh, ui: screen.ui, size: Self.size, options: options)
        #expect(text == PlainTextRenderer.text(expected))
        #expect(canvas.cells.map(\.style) == expected.cells.map(\.style))

        // Back to the end: the live run again.
        _ = screen.handle(.char("="), width: Self.size.width, height: Self.size.height)
        #expect(screen.ui.timeCursor == nil)
        #expect(!PlainTextRenderer.text(screen.render(width: Self.size.width, height: Self.size.height)).contains("AT "))
    }
}
