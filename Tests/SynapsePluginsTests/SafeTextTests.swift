import Testing
@testable import SynapsePlugins

@Suite struct SafeTextTests {
    @Test func controlCharactersBecomeVisible() {
        #expect(SafeText.line("a\u{1B}[2Jb") == "a\u{241B}[2Jb")
        #expect(SafeText.line("bell\u{07}") == "bell\u{2407}")
        #expect(SafeText.line("del\u{7F}") == "del\u{2421}")
        #expect(SafeText.line("c1\u{9B}31m") == "c1\u{FFFD}31m")
        #expect(SafeText.line("two\nlines") == "two\u{23CE}lines")
        #expect(SafeText.line("crlf\r\n", newline: "") == "crlf")
        #expect(SafeText.line("tab\there") == "tab here")
    }

    @Test func asciiModeUsesCaretNotation() {
        #expect(SafeText.line("a\u{1B}b", ascii: true) == "a^[b")
        #expect(SafeText.line("é", ascii: true) == "?")
    }

    @Test func bidiOverridesAreDropped() {
        #expect(SafeText.line("abc\u{202E}def") == "abcdef")
    }

    @Test func widths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("日本") == 4)
        #expect(DisplayWidth.of("🚀") == 2)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("👩‍💻") == 2)
    }
}
