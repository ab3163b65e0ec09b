import Testing
@testable import SynapsePlugins

/// The parser's escaped strings (read in one pass into the String's storage) against a plain reading of
/// RFC 8259 written here: the same text for every string it accepts, an error for every one it refuses.
@Suite struct StringEscapeTests {
    /// Pieces of a string literal's body: plain ASCII, raw UTF-8 (valid and not), every escape, surrogates
    /// paired, alone and mismatched, and broken escapes.
    static let pieces: [[UInt8]] = [
        "a", "Tab", " step 25 ", "é", "日本", "😀", "\\n", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\r", "\\t",
        "\\u0041", "\\u00e9", "\\u2192", "\\uFFFF", "\\u0000", "\\ud83d\\ude00", "\\uD83D\\uDE00", "\\ud83d",
        "\\ude00", "\\ud83d\\u0041", "\\ud83dx", "\\ud83d\\", "\\u12", "\\u12G4", "\\x", "\\", "\\ud83d\\u12",
    ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE2, 0x86], [0x01], [0x7F]]

    /// Reads a literal's body (after its opening quote) byte by byte, as the specification says.
    static func reference(_ body: [UInt8]) -> String? {
        var out: [UInt8] = []
        var i = 0
        func hex(_ at: Int) -> UInt32? {
            guard at + 4 <= body.count else { return nil }
            return UInt32(String(decoding: body[at..<at + 4], as: UTF8.self), radix: 16).flatMap {
                body[at..<at + 4].allSatisfy { $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") } ? $0 : nil
            }
        }
        while i < body.count {
            let c = body[i]
            if c == UInt8(ascii: "\"") { return i == body.count - 1 ? String(decoding: out, as: UTF8.self) : nil }
            if c < 0x20 { return nil }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            guard i + 1 < body.count else { return nil }
            let e = body[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex(i) else { return nil }
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    if i + 1 < body.count, body[i] == UInt8(ascii: "\\"), body[i + 1] == UInt8(ascii: "u") {
                        guard let low = hex(i + 2) else { return nil }
                        if (0xDC00...0xDFFF).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        } else {
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD
                }
                out.append(contentsOf: Array(String(Unicode.Scalar(scalar)!).utf8))
            default:
                return nil
            }
        }
        return nil
    }

    @Test func escapedStringsReadAsTheSpecificationSays() throws {
        var rng = SplitMix64(seed: 21)
        var accepted = 0, refused = 0
        for _ in 0..<20_000 {
            var body: [UInt8] = []
            for _ in 0..<(1 + rng.below(8)) { body += Self.pieces[rng.below(Self.pieces.count)] }
            // Long plain runs too: the parser copies them whole.
            if rng.below(4) == 0 { body += Array(repeating: UInt8(ascii: "x"), count: rng.below(40)) }
            body.append(UInt8(ascii: "\""))
            let literal = [UInt8(ascii: "\"")] + body
            let expected = Self.reference(body)
            let got = try? JSONParser.parse(literal)
            if let expected {
                accepted += 1
                #expect(got == .string(expected), "\(String(decoding: literal, as: UTF8.self))")
            } else {
                refused += 1
                #expect(got == nil, "accepted \(String(decoding: literal, as: UTF8.self))")
            }
            // Inside a record, with more after it: the string ends at its own quote.
            let member = Array("{\"k\":".utf8) + literal + Array(",\"n\":1}".utf8)
            let object = try? JSONParser.parse(member)
            if let expected {
                var want = JSONObject()
                want["k"] = .string(expected)
                want["n"] = .int(1)
                #expect(object == .object(want))
            } else {
                #expect(object == nil)
            }
        }
        // Both kinds in numbers, so neither check is empty.
        #expect(accepted > 5_000)
        #expect(refused > 2_000)
    }

    @Test func errorsNameWhatIsWrong() {
        for (text, message) in [("\"a\\qb\"", "invalid escape"), ("\"\\u12G4\"", "invalid \\u escape"),
                                ("\"ab\\", "unterminated escape"), ("\"a\\nb", "unterminated string"),
                                ("\"a\\n\u{1}\"", "control character in string")] {
            #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
            do {
                _ = try JSONParser.parse(text)
            } catch {
                #expect(error.reason.contains(message), "\(text): \(error.reason)")
            }
        }
    }

    /// The hex digit reader the JSON, long-line and Python-repr readers share, against Swift's on every byte.
    @Test func hexDigitsOfEveryByte() {
        for byte in UInt8.min...UInt8.max {
            let expected = UInt32(String(UnicodeScalar(byte)), radix: 16)
            #expect(JSONParser.hexDigit(byte) == expected, "byte \(byte)")
        }
    }
}
