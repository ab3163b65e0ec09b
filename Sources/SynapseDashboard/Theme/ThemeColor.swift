import SynapsePlugins

/// A terminal colour: the terminal's own default, or an index into the 256-colour palette (0-15 are the
/// 16 basic colours, so a 16-colour terminal can draw them).
package enum ThemeColor: Sendable, Hashable, CustomStringConvertible {
    /// The terminal's default foreground or background.
    case `default`
    /// A palette index, 0...255.
    case indexed(UInt8)

    /// Names of the 16 basic colours, by index.
    package static let basicNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow", "bright-blue", "bright-magenta",
        "bright-cyan", "bright-white",
    ]

    /// The palette index, or `nil` for the default colour.
    package var index: Int? {
        if case .indexed(let i) = self { return Int(i) }
        return nil
    }

    /// The closest of the 16 basic colours (itself when already basic).
    package var nearest16: ThemeColor {
        guard let i = index else { return .default }
        if i < 16 { return self }
        let (r, g, b) = Self.rgb(ofIndex: i)
        var best = 0, bestDistance = Int.max
        for candidate in 0..<16 {
            let (cr, cg, cb) = Self.rgb(ofIndex: candidate)
            let d = (r - cr) * (r - cr) + (g - cg) * (g - cg) + (b - cb) * (b - cb)
            if d < bestDistance { bestDistance = d; best = candidate }
        }
        return .indexed(UInt8(best))
    }

    /// The xterm palette's RGB for an index.
    package static func rgb(ofIndex i: Int) -> (Int, Int, Int) {
        let basic: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
            (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
            (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        if i < 16 { return basic[max(0, i)] }
        if i < 232 {
            let levels = [0, 95, 135, 175, 215, 255]
            let n = i - 16
            return (levels[n / 36], levels[(n / 6) % 6], levels[n % 6])
        }
        let v = 8 + (i - 232) * 10
        return (v, v, v)
    }

    /// The palette index closest to an RGB colour (the 6x6x6 cube or the grey ramp).
    package static func nearestIndex(r: Int, g: Int, b: Int) -> UInt8 {
        var best = 16, bestDistance = Int.max
        for i in 16..<256 {
            let (cr, cg, cb) = rgb(ofIndex: i)
            let d = (r - cr) * (r - cr) + (g - cg) * (g - cg) + (b - cb) * (b - cb)
            if d < bestDistance { bestDistance = d; best = i }
        }
        return UInt8(best)
    }

    package var description: String {
        guard let i = index else { return "default" }
        return i < 16 ? Self.basicNames[i] : String(i)
    }
}
