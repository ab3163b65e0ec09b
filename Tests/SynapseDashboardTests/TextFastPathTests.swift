import Testing
@testable import SynapsePlugins

@Suite struct GraphemeScannerTests {
    func units(_ text: String) -> [Character] {
        var out: [Character] = []
        GraphemeScanner.forEach(text) { unit in
            switch unit {
            case .scalar(let s): out.append(Character(s))
            case .grapheme(let c): out.append(c)
            }
            return true
        }
        return out
    }

    @Test func unitsAreExactlyTheCharacters() {
        for text in TrickyText.all {
            let expected = Array(text)
            let got = units(text)
            // Compare scalars too: Character's == is canonical equivalence, the scanner must be exact.
            #expect(got.map { Array($0.unicodeScalars) } == expected.map { Array($0.unicodeScalars) }, "\(Array(text.unicodeScalars))")
        }
    }

    @Test func stoppingEarlyStops() {
        var seen = 0
        GraphemeScanner.forEach("日本語abc") { _ in seen += 1; return seen < 2 }
        #expect(seen == 2)
    }

    /// The claim the fast path rests on: no isolated scalar extends, joins, prepends, pairs as a regional
    /// indicator or forms a Hangul syllable, so two of them never share a grapheme. Checked against the
    /// standard library's grapheme breaking for every isolated scalar, with a probe for each rule.
    @Test func everyIsolatedScalarStandsAlone() {
        let probes: [Unicode.Scalar] = ["a", "\u{1161}", "\u{11A8}", "\u{1100}"]
        var checked = 0
        for v in UInt32(0)...0x10FFFF where GraphemeScanner.isIsolated(v) {
            guard let s = Unicode.Scalar(v) else { Issue.record("not a scalar: \(v)"); continue }
            checked += 1
            var pairs: [[Unicode.Scalar]] = [[s, s]]
            for p in probes { pairs.append([p, s]); pairs.append([s, p]) }
            for pair in pairs {
                var text = ""
                text.unicodeScalars.append(contentsOf: pair)
                if text.count != 2 { Issue.record("U+\(String(v, radix: 16)) joins in \(pair)") }
            }
        }
        #expect(checked > 30_000)
    }

    @Test func stringWidthsMatchTheCharacterByCharacterDefinition() {
        for text in TrickyText.all {
            // The generic overload walks Characters: the definition.
            let reference = DisplayWidth.of(Substring(text))
            #expect(DisplayWidth.of(text) == reference, "\(Array(text.unicodeScalars))")
            for limit in [0, 1, 3, 10] {
                let bounded = DisplayWidth.of(text, stoppingAfter: limit)
                if reference <= limit { #expect(bounded == reference) } else { #expect(bounded > limit) }
            }
        }
    }

    @Test func characterWidthsOfSequences() {
        #expect(DisplayWidth.of(Character("\u{FE0F}\u{301}")) == 2)
        #expect(DisplayWidth.of(Character("a\u{301}")) == 1)
        #expect(DisplayWidth.of(Character("✔\u{FE0F}")) == 2)
        #expect(DisplayWidth.of(Character("\r\n")) == 0)
        #expect(DisplayWidth.of("\r\n") == 0)
        #expect(DisplayWidth.of("a\tb") == 3)
    }
}

@Suite struct SafeTextFastPathTests {
    /// What `SafeText.line` replaces or drops outside ASCII mode.
    func needsStandIn(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return v < 0x20 || (0x7F..<0xA0).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    @Test func safeUnicodeIsTextWithNothingToReplace() {
        for text in TrickyText.all {
            let expected = !text.unicodeScalars.contains(where: needsStandIn)
            #expect(SafeText.isSafeUnicode(text) == expected, "\(Array(text.unicodeScalars))")
            if expected { #expect(SafeText.line(text) == text) }
            #expect(SafeText.isPlain(text) == text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F })
        }
    }

    @Test func lineStillReplacesEverything() {
        #expect(SafeText.line("日本\u{1B}語") == "日本\u{241B}語")
        #expect(SafeText.line("é\u{85}") == "é\u{FFFD}")
        #expect(SafeText.line("é\u{202E}x") == "éx")
        #expect(SafeText.line("é\u{2069}x") == "éx")
        #expect(SafeText.line("é", ascii: true) == "?")
    }
}
