import CNcurses

/// Hands out curses colour pairs for (foreground, background) combinations, creating each once.
///
/// Themes use a few dozen combinations at most, far below `COLOR_PAIRS`; when a terminal offers fewer
/// pairs than needed, the extra combinations fall back to pair 0 (the terminal's defaults), which is
/// still readable because attributes and level tags carry the meaning.
struct ColorPairs {
    private var pairs: [Pair: Int16] = [:]
    private var next: Int16 = 1
    let mode: ColorMode

    struct Pair: Hashable {
        var foreground: Int16
        var background: Int16
    }

    init(mode: ColorMode) {
        self.mode = mode
    }

    /// Forgets every pair (a new theme re-creates what it uses).
    mutating func reset() {
        pairs.removeAll()
        next = 1
    }

    /// The pair number for a style's colours; 0 means "terminal defaults".
    mutating func pair(for style: TerminalStyle) -> Int16 {
        guard mode != .none else { return 0 }
        let key = Pair(foreground: number(style.foreground), background: number(style.background))
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let existing = pairs[key] { return existing }
        guard Int32(next) < synapse_color_pairs(), next < Int16.max else { return 0 }
        init_pair(next, key.foreground, key.background)
        pairs[key] = next
        next += 1
        return pairs[key]!
    }

    /// A palette index the terminal has. On an 8-colour terminal the bright colours become their plain
    /// versions, except bright black (the usual "muted" grey), which would vanish on a dark background as
    /// black and becomes white instead.
    static func fit(_ n: Int16, colors: Int16) -> Int16 {
        if n < colors { return n }
        if n == 8 { return 7 }
        if n < 16 { return n - 8 }
        return 7  // themes give 16-colour fallbacks, so only a hand-made index lands here
    }

    /// The curses colour number; -1 is the terminal's default (valid after `use_default_colors`).
    private func number(_ color: TerminalColor) -> Int16 {
        switch color {
        case .default:
            return -1
        case .indexed(let n):
            return Self.fit(n, colors: Int16(clamping: synapse_colors()))
        }
    }
}
