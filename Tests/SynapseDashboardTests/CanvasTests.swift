import Testing
@testable import SynapseDashboard

@Suite struct CanvasTests {
    @Test func escapeSequencesBecomeVisible() {
        var canvas = Canvas(width: 20, height: 1)
        canvas.put("a\u{1B}[31mb", x: 0, y: 0)
        #expect(canvas.line(0) == "a\u{241B}[31mb")
    }

    @Test func wideCharactersTakeTwoColumnsAndClip() {
        var canvas = Canvas(width: 5, height: 1)
        let end = canvas.put("日本語", x: 0, y: 0)
        #expect(end == 5)
        #expect(canvas.line(0) == "日本")
    }
}
