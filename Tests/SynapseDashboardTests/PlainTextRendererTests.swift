import Testing
@testable import SynapseDashboard

@Suite struct PlainTextRendererTests {
    func sample() -> Canvas {
        var canvas = Canvas(width: 12, height: 2)
        canvas.put("ok", x: 0, y: 0, style: Style(.success, .bold))
        canvas.put(" plain", x: 2, y: 0)
        canvas.put("日本", x: 0, y: 1, style: Style(.danger))
        return canvas
    }

    @Test func plainTextHasNoEscapes() {
        #expect(PlainTextRenderer.text(sample()) == "ok plain\n日本\n")
        #expect(PlainTextRenderer.text(Canvas(width: 0, height: 0)) == "")
    }

    @Test func ansi256UsesTheThemeAndResetsEachLine() {
        let theme = Theme.builtin(named: "dark")!
        let out = PlainTextRenderer.ansi(sample(), theme: theme)
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("\u{1B}[0;1;38;5;114mok\u{1B}[0m plain"))
        #expect(lines[0].hasSuffix("\u{1B}[0m"))
        #expect(lines[1] == "\u{1B}[0;1;38;5;203m日本\u{1B}[0m")
    }

    @Test func ansi16UsesFallbacks() {
        let out = PlainTextRenderer.ansi(sample(), theme: Theme.builtin(named: "dark")!, depth: .basic16)
        #expect(out.contains("\u{1B}[0;1;32mok"))
        #expect(out.contains("\u{1B}[0;1;91m日本"))
    }

    @Test func monochromeHasAttributesOnly() {
        let out = PlainTextRenderer.ansi(sample(), theme: Theme.builtin(named: "monochrome")!)
        #expect(!out.contains("38;5") && !out.contains(";3"))
    }
}
