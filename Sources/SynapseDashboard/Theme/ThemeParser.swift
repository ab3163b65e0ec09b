import SynapsePlugins

/// Reads the theme file format (see `themes/dark.theme`):
/// `key = colour [on colour] [bold] [dim] [underline] [reverse] [| colour [on colour]]`.
package enum ThemeParser {
    /// The file key of each role.
    package static let keys: [String: Role] = Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0.themeKey, $0) })

    /// Parses theme text. `source` names the file in errors.
    package static func parse(_ text: String, name: String, source: String) throws(ThemeError) -> Theme {
        var styles: [Role: ThemeStyle] = [:]
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingSpaces
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else {
                throw ThemeError(file: source, line: lineNumber, problem: "expected \"key = value\", found \"\(line)\"")
            }
            let key = line[..<eq].trimmingSpaces
            let value = line[line.index(after: eq)...].trimmingSpaces
            guard !key.isEmpty else { throw ThemeError(file: source, line: lineNumber, problem: "missing key before \"=\"") }
            guard let role = keys[key] else {
                let known = Role.allCases.map(\.themeKey).joined(separator: ", ")
                throw ThemeError(file: source, line: lineNumber, key: key, problem: "unknown key (known keys: \(known))")
            }
            guard styles[role] == nil else {
                throw ThemeError(file: source, line: lineNumber, key: key, problem: "set twice")
            }
            do {
                styles[role] = try parseStyle(value)
            } catch {
                throw ThemeError(file: source, line: lineNumber, key: key, problem: error.problem)
            }
        }
        return Theme(name: name, styles: styles)
    }

    struct Problem: Error { var problem: String }

    static func parseStyle(_ value: String) throws(Problem) -> ThemeStyle {
        let halves = value.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
        guard halves.count <= 2 else { throw Problem(problem: "more than one \"|\"") }
        guard !halves[0].isEmpty else { throw Problem(problem: "missing colour (use a colour or \"default\")") }
        let (fg, bg, attributes) = try parseColours(halves[0], allowAttributes: true, basicOnly: false)
        var style = ThemeStyle(foreground: fg, background: bg, attributes: attributes)
        if halves.count == 2 {
            guard !halves[1].isEmpty else { throw Problem(problem: "missing 16-colour fallback after \"|\"") }
            let (fg16, bg16, _) = try parseColours(halves[1], allowAttributes: false, basicOnly: true)
            style.foreground16 = fg16
            style.background16 = bg16
        }
        return style
    }

    static func parseColours(_ text: String, allowAttributes: Bool, basicOnly: Bool) throws(Problem)
        -> (ThemeColor, ThemeColor, Attributes) {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var i = 0
        let fg = try parseColour(words[i], basicOnly: basicOnly)
        i += 1
        var bg = ThemeColor.default
        if i < words.count, words[i] == "on" {
            guard i + 1 < words.count else { throw Problem(problem: "missing background colour after \"on\"") }
            bg = try parseColour(words[i + 1], basicOnly: basicOnly)
            i += 2
        }
        var attributes: Attributes = []
        while i < words.count {
            let word = words[i].hasPrefix("+") ? String(words[i].dropFirst()) : words[i]
            guard allowAttributes else {
                throw Problem(problem: "unexpected \"\(words[i])\" in the 16-colour fallback (only colour [on colour])")
            }
            switch word {
            case "bold": attributes.insert(.bold)
            case "dim": attributes.insert(.dim)
            case "underline": attributes.insert(.underline)
            case "reverse": attributes.insert(.reverse)
            default:
                throw Problem(problem: "unknown attribute \"\(words[i])\" (use bold, dim, underline, reverse)")
            }
            i += 1
        }
        return (fg, bg, attributes)
    }

    static func parseColour(_ word: String, basicOnly: Bool) throws(Problem) -> ThemeColor {
        let lower = word.lowercased()
        if lower == "default" { return .default }
        if let i = ThemeColor.basicNames.firstIndex(of: lower) ?? ThemeColor.basicNames.firstIndex(of: lower.replacingDash) {
            return .indexed(UInt8(i))
        }
        if basicOnly {
            throw Problem(problem: "\"\(word)\" is not a basic colour; the 16-colour fallback takes black, red, green, yellow, blue, magenta, cyan, white, bright-… or default")
        }
        if lower.hasPrefix("#") {
            let hex = lower.dropFirst()
            guard hex.count == 6, let v = Int(hex, radix: 16) else {
                throw Problem(problem: "bad hex colour \"\(word)\" (use #RRGGBB)")
            }
            return .indexed(ThemeColor.nearestIndex(r: v >> 16, g: (v >> 8) & 0xFF, b: v & 0xFF))
        }
        if let n = Int(lower) {
            guard (0...255).contains(n) else { throw Problem(problem: "palette index \(n) is outside 0-255") }
            return .indexed(UInt8(n))
        }
        throw Problem(problem: "unknown colour \"\(word)\" (use #RRGGBB, 0-255, a colour name such as bright-blue, or default)")
    }
}

extension Role {
    /// The role's key in theme files (`bar.done`, `table.header`, `key.hint`...).
    package var themeKey: String {
        switch self {
        case .normal: return "normal"
        case .muted: return "muted"
        case .title: return "title"
        case .border: return "border"
        case .focus: return "focus"
        case .accent: return "accent"
        case .keyHint: return "key.hint"
        case .info: return "info"
        case .warning: return "warning"
        case .success: return "success"
        case .danger: return "danger"
        case .dev: return "dev"
        case .barDone: return "bar.done"
        case .barTodo: return "bar.todo"
        case .tableHeader: return "table.header"
        case .chart: return "chart"
        case .highlight: return "highlight"
        case .selection: return "selection"
        }
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }

    /// `brightblue` -> `bright-blue`.
    var replacingDash: String {
        hasPrefix("bright") && !hasPrefix("bright-") ? "bright-" + dropFirst(6) : String(self)
    }
}
