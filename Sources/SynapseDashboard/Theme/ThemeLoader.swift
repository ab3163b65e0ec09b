import Foundation
import SynapsePlugins

extension Theme {
    /// A built-in theme from the copies embedded in the binary (`nil` for an unknown name).
    package static func builtin(named name: String) -> Theme? {
        guard let text = BuiltinThemes.sources[name] else { return nil }
        // The embedded copies are tested to parse; a failure here is a build mistake.
        return try? ThemeParser.parse(text, name: name, source: "builtin:\(name)")
    }

    /// The default theme (dark).
    package static var `default`: Theme { builtin(named: "dark")! }

    /// Loads a theme by name or path.
    ///
    /// A value containing `/` or ending in `.theme` is a path. A name is looked up as `NAME.theme` in each of
    /// `searchDirectories` (e.g. `./themes`, `$SYNAPSE_HOME/themes`), then among the built-in themes.
    package static func load(_ nameOrPath: String, searchDirectories: [String] = []) throws(ThemeError) -> Theme {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".theme") {
            return try loadFile(nameOrPath)
        }
        for directory in searchDirectories {
            let path = (directory as NSString).appendingPathComponent(nameOrPath + ".theme")
            if FileManager.default.fileExists(atPath: path) { return try loadFile(path) }
        }
        if let theme = builtin(named: nameOrPath) { return theme }
        throw ThemeError(file: nameOrPath, problem: "no such theme (built-in themes: \(builtinNames.joined(separator: ", ")); or give a path to a .theme file)")
    }

    /// Reads and parses a theme file.
    package static func loadFile(_ path: String) throws(ThemeError) -> Theme {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ThemeError(file: path, problem: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ThemeError(file: path, problem: "not UTF-8 text")
        }
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return try ThemeParser.parse(text, name: name, source: path)
    }

    /// The theme to start with: the one asked for (`--theme`), else monochrome when `NO_COLOR` is set, else
    /// the default.
    package static func resolve(requested: String?, environment: [String: String],
                               searchDirectories: [String] = []) throws(ThemeError) -> Theme {
        if let requested, !requested.isEmpty { return try load(requested, searchDirectories: searchDirectories) }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return builtin(named: "monochrome")! }
        return .default
    }
}
