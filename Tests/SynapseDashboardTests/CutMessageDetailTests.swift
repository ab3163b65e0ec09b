import Foundation
import Testing
import SynapsePlugins
@testable import SynapseDashboard

/// A message over 64 KiB keeps only a prefix in memory; the detail view reads the whole record back from the
/// log on demand, or says plainly that it shows a prefix only, and why.
@Suite struct CutMessageDetailTests {
    let screen = Size(width: 80, height: 24)
    var context: KeyContext { KeyContext(screen: screen) }

    /// 200 KB of words with an escape sequence in the middle, ending in a marker far past the 64 KiB prefix.
    static let whole: String = {
        let words = (0..<25_000).map { "w\($0)" }.joined(separator: " ")
        return "START " + words + " \u{1B}[31mred\u{1B}[0m " + words + " THE-END"
    }()

    static func line(_ content: String, time: Int) -> String {
        #"{"v":1,"event":"message","timestamp":\#(time),"level":"warning","data":{"content":"#
            + JSONValue.string(content).jsonText + "}}"
    }

    /// A log with blank lines before the big record (the reader's line is then only a lower bound).
    func writeLog() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cut-\(UUID().uuidString).jsonl").path
        let text = [#"{"v":1,"event":"run_status","timestamp":1,"data":{"status":"running","action":"t"}}"#, "",
                    Self.line("small", time: 2), "", Self.line(Self.whole, time: 3)].joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func ingest(_ path: String) throws -> DashboardState {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        var state = DashboardState()
        bytes.withUnsafeBufferPointer { _ = state.ingest(lines: $0, firstLine: 1) }
        return state
    }

    @Test func aCutMessageIsReadBackWholeFromItsFileAndOnlyThePrefixStaysInMemory() throws {
        #expect(Self.whole.utf8.count > 200_000)
        let path = try writeLog()
        defer { unlink(path) }
        let state = try ingest(path)
        let entry = try #require(state.messages.elements.last)
        // The prefix and the `… [truncated: N bytes]` marker only.
        #expect(entry.text.utf8.count < DashboardState.maxMessageBytes + 64)
        #expect(entry.text.hasPrefix("START w0 w1"))
        #expect(!entry.text.contains("THE-END"))
        let cut = try #require(entry.cut)
        #expect(cut.bytes == Self.whole.utf8.count)
        #expect(MessageRecordReader.read(entry, path: path) == .whole(Self.whole))
        // The small message is not cut and carries no place.
        #expect(state.messages.elements.first?.cut == nil)
    }

    @Test func theDetailViewShowsTextPast64KiBAndSaysItWasReadBack() throws {
        let path = try writeLog()
        defer { unlink(path) }
        let state = try ingest(path)
        var ui = UIState()
        ui.logPath = path
        ui.handle(.enter, state: state, context: context)
        let view = try #require(ui.detail)
        #expect(view.text.title.contains("whole, read from log"))
        #expect(view.text.body.hasPrefix("[whole text, \(Self.whole.utf8.count) bytes, read back from \(path)"))
        #expect(view.text.body.contains(Self.whole))
        ui.handle(.end, state: state, context: context)
        let canvas = DashboardRenderer.render(state, ui: ui, size: screen)
        #expect(canvas.text.contains("(the text above, \(Self.whole.utf8.count) bytes)"))
        // The text's last line, far past 64 KiB, and the record's last line are on the screen at the end.
        #expect(canvas.text.contains("w24999 THE-END"))
        #expect(canvas.text.components(separatedBy: "\n").contains { $0.hasPrefix("│ }") })
        // The escape sequence in the text never reaches the screen raw.
        var middle = ui
        middle.detail?.top = DetailOverlay.lines(view.text, width: DetailOverlay.textWidth(screen))
            .firstIndex { $0.contains("red") } ?? 0
        let drawn = DashboardRenderer.render(state, ui: middle, size: screen).text
        #expect(drawn.contains("red"))
        #expect(!drawn.unicodeScalars.contains { $0.value == 0x1B })
    }

    @Test func withoutTheFileTheViewSaysItShowsAPrefixAndWhy() throws {
        let path = try writeLog()
        let state = try ingest(path)
        unlink(path)
        var ui = UIState()
        ui.logPath = path
        ui.handle(.enter, state: state, context: context)
        let gone = try #require(ui.detail)
        #expect(gone.text.title.contains("prefix only"))
        #expect(gone.text.body.hasPrefix("[PREFIX ONLY: only the first 64 KiB of \(Self.whole.utf8.count) bytes are kept in memory and cannot read \(path)"))
        #expect(!gone.text.body.contains("THE-END"))

        // A run in this process: its events never went through a file, so the view names the log.
        var live = DashboardState()
        live.apply(Event(timestamp: 3, level: .warning, payload: .message(Message(content: Self.whole))))
        #expect(live.messages.elements.last?.text.utf8.count ?? .max < DashboardState.maxMessageBytes + 64)
        var liveUI = UIState()
        liveUI.logPath = "/jobs/x/events.jsonl"
        liveUI.handle(.enter, state: live, context: context)
        let body = try #require(liveUI.detail).text.body
        #expect(body.hasPrefix("[PREFIX ONLY: cut at 64 KiB of \(Self.whole.utf8.count) bytes; the whole text is in /jobs/x/events.jsonl]"))
    }

    @Test func aReplacedLogIsNotMisreadAsTheMessage() throws {
        let path = try writeLog()
        defer { unlink(path) }
        let state = try ingest(path)
        let entry = try #require(state.messages.elements.last)
        // Same place, another text: the prefix no longer matches.
        let other = Self.whole.replacingOccurrences(of: "START", with: "OTHER")
        let text = ["{}", "", Self.line("small", time: 2), "", Self.line(other, time: 3)].joined(separator: "\n")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        #expect(MessageRecordReader.read(entry, path: path) == .unavailable("\(path) no longer holds this message at line 3"))
        #expect(MessageRecordReader.read(entry, path: "/dev/null") == .unavailable("/dev/null is not a regular file: it cannot be read again"))
    }
}
