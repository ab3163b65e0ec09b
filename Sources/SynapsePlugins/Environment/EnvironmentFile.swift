import Foundation

extension PluginEnvironment {
    /// Reads variables from a file.
    ///
    /// Two formats are accepted, told apart by the first non-blank character:
    /// - a JSON object (`{"storage_path": "/data", "epochs": 5}`): strings as is, other values as JSON text;
    /// - TOML-ish `key = value` lines (also `KEY=value` and `export KEY=value`, as in `.env` files): `#`
    ///   starts a comment, values may be quoted with `"..."` (escapes `\n \t \" \\`) or `'...'` (literal),
    ///   `[section]` headers prefix the keys after them with `section_`. Arrays such as `[1, 2]` are kept
    ///   as text, which ``list(_:)`` reads.
    public static func fromFile(_ path: String) throws(EnvironmentError) -> PluginEnvironment {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EnvironmentError(name: path, kind: .unreadableFile(line: nil), detail: "no such file or not readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw EnvironmentError(name: path, kind: .unreadableFile(line: nil), detail: "not UTF-8 text")
        }
        return try parse(text, source: path)
    }

    /// Reads variables from file contents (see ``fromFile(_:)`` for the formats).
    public static func parse(_ text: String, source: String = "<text>") throws(EnvironmentError) -> PluginEnvironment {
        if text.trimmingSpaces().hasPrefix("{") { return try parseJSON(text, source: source) }
        var env = PluginEnvironment()
        var section = ""
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fail = { (why: String) in
                EnvironmentError(name: source, kind: .unreadableFile(line: index + 1), detail: why)
            }
            var line = rawLine.trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else { throw fail("bad section header '\(line)'") }
                section = String(line.dropFirst().dropLast()).trimmingSpaces()
                continue
            }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingSpaces() }
            guard let eq = line.firstIndex(of: "=") else { throw fail("expected 'key = value'") }
            let key = line[..<eq].trimmingSpaces()
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" })
            else { throw fail("bad key '\(key)'") }
            let value = try parseValue(line[line.index(after: eq)...].trimmingSpaces(), fail)
            env[section.isEmpty ? key : "\(section)_\(key)"] = value
        }
        return env
    }

    private static func parseValue(_ text: String, _ fail: (String) -> EnvironmentError) throws(EnvironmentError) -> String {
        guard let quote = text.first, quote == "\"" || quote == "'" else {
            // Bare value: drop a trailing comment (` # ...`).
            if let hash = text.range(of: " #") { return text[..<hash.lowerBound].trimmingSpaces() }
            return text
        }
        var out = ""
        var escaped = false
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let c = text[index]
            if escaped {
                switch c {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                default: out.append(c)
                }
                escaped = false
            } else if c == "\\" && quote == "\"" {
                escaped = true
            } else if c == quote {
                let rest = text[text.index(after: index)...].trimmingSpaces()
                guard rest.isEmpty || rest.hasPrefix("#") else { throw fail("text after the closing quote") }
                return out
            } else {
                out.append(c)
            }
            index = text.index(after: index)
        }
        throw fail("unterminated quoted value")
    }

    private static func parseJSON(_ text: String, source: String) throws(EnvironmentError) -> PluginEnvironment {
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch {
            throw EnvironmentError(name: source, kind: .unreadableFile(line: nil), detail: "invalid JSON: \(error)")
        }
        guard let object = value.objectValue else {
            throw EnvironmentError(name: source, kind: .unreadableFile(line: nil), detail: "JSON must be an object")
        }
        var env = PluginEnvironment()
        for (key, v) in object {
            switch v {
            case .string(let s): env[key] = s
            case .null: continue
            default: env[key] = v.jsonText
            }
        }
        return env
    }
}
