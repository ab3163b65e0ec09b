import SynapsePlugins

/// Text that exercises grapheme breaking: combining marks, emoji sequences, flags, Hangul jamo, CR LF,
/// controls, bidi overrides, C1 controls, wide and isolated scalars, next to ASCII and to each other.
enum TrickyText {
    static let samples: [String] = [
        "", "a", "plain ascii text", "tab\there", "cr\r\nlf", "\r", "\n\r", "a\r\nb\rc\nd",
        "e\u{301}", "ae\u{301}b", "\u{301}start", "日本語", "日本\u{301}語", "中a中", "Données chargées: 12 345",
        "データセットを読み込みました", "が", "か\u{3099}", "ｶﾞ", "ｶ\u{FF9E}",
        "👩‍💻 dev", "🚀", "❤️", "✔\u{FE0F}", "🇯🇵🇫🇷", "🇯", "👍🏽", "#\u{FE0F}\u{20E3}",
        "한국어", "\u{1100}\u{1161}\u{11A8}", "\u{1100}a", "가\u{11A8}",
        "a\u{1B}[31mb", "bell\u{07}", "del\u{7F}", "c1\u{9B}31m", "abc\u{202E}def", "x\u{2066}y\u{2069}",
        "▁▂▃▄▅▆▇█", "⠒⠤⡀⣀", "─│┤└", "…→←↑↓✓✗○▶▸", "\u{2028}\u{2029}", "zero\u{200B}width", "soft\u{AD}hyphen",
        "क्ष", "क\u{94D}\u{200D}ष", "\u{600}1", "ก\u{E33}", "\u{FEFF}bom", "Ω\u{2126}Å\u{212B}",
        "{\"class\":\"cat\",\"score\":0.93}",
    ]

    /// Pieces random strings are made of.
    static let pieces: [String] = [
        "a", "Z", " ", "0", "\t", "\r", "\n", "\r\n", "\u{1B}", "\u{7F}", "\u{85}", "\u{9B}", "é", "e", "\u{301}",
        "\u{308}", "日", "語", "か", "\u{3099}", "ｶ", "\u{FF9E}", "▁", "█", "⠤", "─", "…", "→", "✓", "\u{200D}",
        "\u{FE0F}", "👩", "💻", "🚀", "🏽", "🇯", "🇵", "\u{1100}", "\u{1161}", "\u{11A8}", "가", "각", "क",
        "\u{94D}", "ष", "\u{600}", "\u{E33}", "\u{202E}", "\u{2066}", "\u{200B}", "\u{AD}", "Ω", "\u{2126}",
        "\u{0903}", "\u{1F3FB}", "©", "\u{20E3}", "#",
    ]

    /// Deterministic random strings of `pieces`.
    static func random(count: Int, seed: UInt64 = 42) -> [String] {
        var rng = SplitMix64(seed: seed)
        func next() -> Int { Int(truncatingIfNeeded: rng.next() >> 1) }
        return (0..<count).map { _ in
            (0..<(next() % 12)).map { _ in pieces[next() % pieces.count] }.joined()
        }
    }

    static var all: [String] { samples + random(count: 3000) }
}
