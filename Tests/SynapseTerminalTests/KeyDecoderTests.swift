import CNcurses
import Testing
import SynapseDashboard
@testable import SynapseTerminal

@Suite struct KeyDecoderTests {
    @Test(arguments: [
        (RawInput.character(0x71), Key.char("q")),
        (.character(0x2F), .char("/")),
        (.character(0x4E), .char("N")),
        (.character(0x3F), .char("?")),
        (.character(0x09), .tab),
        (.character(0x0D), .enter),
        (.character(0x0A), .enter),
        (.character(0x1B), .escape),
        (.character(0x7F), .backspace),
        (.character(0x08), .backspace),
        (.character(0xE9), .char("é")),
        (.character(0x4E2D), .char("中")),
        (.function(KEY_UP), .up),
        (.function(KEY_DOWN), .down),
        (.function(KEY_LEFT), .left),
        (.function(KEY_RIGHT), .right),
        (.function(KEY_PPAGE), .pageUp),
        (.function(KEY_NPAGE), .pageDown),
        (.function(KEY_HOME), .home),
        (.function(KEY_END), .end),
        (.function(KEY_BTAB), .backTab),
        (.function(KEY_ENTER), .enter),
        (.function(KEY_BACKSPACE), .backspace),
        (.function(KEY_RESIZE), .resize),
    ])
    func decodes(_ input: RawInput, _ expected: Key) {
        #expect(KeyDecoder.key(for: input) == expected)
    }

    @Test func ignoresControlCharactersAndUnknownFunctionKeys() {
        #expect(KeyDecoder.key(for: .character(0x03)) == nil, "Ctrl-C is a signal, not a key")
        #expect(KeyDecoder.key(for: .character(0x00)) == nil)
        #expect(KeyDecoder.key(for: .function(KEY_F0 + 5)) == nil)
        #expect(KeyDecoder.key(for: .character(0xD800)) == nil, "a lone surrogate is not a character")
    }

    @Test func mouseWheel() {
        #expect(KeyDecoder.key(forMouse: UInt(synapse_button4_pressed())) == .wheelUp)
        #expect(KeyDecoder.key(forMouse: UInt(synapse_button5_pressed())) == .wheelDown)
        #expect(KeyDecoder.key(forMouse: 0) == nil)
    }
}
