/// A theme that cannot be used, with where and why: `themes/mine.theme:12: key "info": unknown colour "blu"`.
package struct ThemeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file (or `builtin:NAME`).
    package var file: String
    /// 1-based line, when the problem is on one.
    package var line: Int?
    /// The key concerned, when there is one.
    package var key: String?
    /// What is wrong, and how to fix it.
    package var problem: String

    /// Creates an error.
    package init(file: String, line: Int? = nil, key: String? = nil, problem: String) {
        self.file = file
        self.line = line
        self.key = key
        self.problem = problem
    }

    package var description: String {
        var s = file
        if let line { s += ":\(line)" }
        s += ": "
        if let key { s += "key \"\(key)\": " }
        return s + problem
    }
}
