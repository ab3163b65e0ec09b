import Foundation

/// Whether console output is coloured: on a terminal unless `NO_COLOR` is set (https://no-color.org)
/// or `TERM` is `dumb`; never when piped.
/// Used by ``ConsoleLogger``.
public enum ConsoleColors: Sendable {
    case auto, always, never

    /// Decides for a file descriptor and an environment.
    package func enabled(fd: Int32, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto:
            if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
            if environment["TERM"] == "dumb" { return false }
            return isatty(fd) == 1
        }
    }
}

/// ANSI styles of console lines; empty strings when colours are off, so formatting code stays one path.
struct ConsoleStyle: Sendable {
    let reset, dim, bold, red, green, yellow, blue, magenta, cyan: String

    init(colored: Bool) {
        func code(_ c: String) -> String { colored ? "\u{1B}[\(c)m" : "" }
        reset = code("0"); dim = code("2"); bold = code("1")
        red = code("31"); green = code("32"); yellow = code("33"); blue = code("34"); magenta = code("35"); cyan = code("36")
    }

    func level(_ level: LogLevel) -> String {
        switch level {
        case .debug: return dim
        case .info: return blue
        case .success: return green
        case .warning: return yellow
        case .danger, .error, .critical: return red
        }
    }
}
