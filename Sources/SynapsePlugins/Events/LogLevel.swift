/// Severity of a record, and the context of a user-facing message.
///
/// The spec names `debug`, `info`, `warning` and `error` as log levels and `info`, `warning`, `success`,
/// `danger` as message contexts; the shipping Python SDK also writes `critical`. All seven exist so that any
/// Python record round-trips.
public enum LogLevel: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case debug, info, success, warning, danger, error, critical

    /// Parses a level name case-insensitively (`"WARNING"`, `"warning"`); also accepts Python's `warn`.
    public init?(name: String) {
        let lower = name.lowercased()
        if let level = LogLevel(rawValue: lower) { self = level; return }
        switch lower {
        case "warn": self = .warning
        case "fatal": self = .critical
        default: return nil
        }
    }

    /// Severity order used for filtering: debug < info = success < warning < danger = error < critical.
    public var severity: Int {
        switch self {
        case .debug: return 0
        case .info, .success: return 1
        case .warning: return 2
        case .danger, .error: return 3
        case .critical: return 4
        }
    }

    /// Orders levels by severity: `debug` lowest, `danger` highest.
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.severity < rhs.severity }

    /// A four-letter tag so a message reads right without colour.
    public var tag: String {
        switch self {
        case .debug: return "DBG "
        case .info: return "INFO"
        case .success: return "OK  "
        case .warning: return "WARN"
        case .danger: return "DNGR"  // the level, not an outcome: a danger message in a completed run is no failure
        case .error: return "ERR "
        case .critical: return "CRIT"
        }
    }
}
