import Foundation

/// Environment variables and configuration of a run: the spec's `PluginEnvironment` (`ctx.env`).
///
/// Names are case-insensitive and stored lowercased without the `SYNAPSE_` prefix, so
/// `SYNAPSE_STORAGE_PATH`, `storage_path` and `STORAGE_PATH` are one variable. `RAY_*` variables keep
/// their full name (`ray_address`), as the Python SDK forwards them unchanged to Ray runs.
///
/// Values whose name contains `TOKEN`, `SECRET`, `PASSWORD` or `KEY` are secrets: ``description``,
/// ``dump()`` and ``redacted(_:)`` show them masked, and only ``string(_:)`` and friends reveal them.
public struct PluginEnvironment: Sendable, Hashable {
    /// The prefix of the variables taken from the process environment.
    public static let prefix = "SYNAPSE_"
    /// Prefixes of other variables the Python SDK forwards to a run.
    public static let forwardedPrefixes = ["RAY_"]

    /// The variables, keyed by normalized name.
    public private(set) var values: [String: String]

    /// An empty environment.
    public init() {
        values = [:]
    }

    /// An environment holding `values` (names are normalized; later duplicates win).
    public init(_ values: [String: String]) {
        self.values = [:]
        for (name, value) in values { self[name] = value }
    }

    /// The variables of a process environment with the `SYNAPSE_` prefix, plus the forwarded `RAY_*` ones.
    public static func fromProcess(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        -> PluginEnvironment {
        var env = PluginEnvironment()
        for (name, value) in environment {
            if name.hasPrefix(prefix) || forwardedPrefixes.contains(where: name.hasPrefix) {
                env[name] = value
            }
        }
        return env
    }

    /// The canonical form of a variable name: lowercased, without the `SYNAPSE_` prefix.
    public static func normalize(_ name: String) -> String {
        let upper = name.uppercased()
        let bare = upper.hasPrefix(prefix) && upper.count > prefix.count ? String(upper.dropFirst(prefix.count)) : upper
        return bare.lowercased()
    }

    /// The raw value of a variable, or `nil`.
    public subscript(name: String) -> String? {
        get { values[Self.normalize(name)] }
        set { values[Self.normalize(name)] = newValue }
    }

    /// Whether the variable is set.
    public func contains(_ name: String) -> Bool { self[name] != nil }

    /// This environment with `other`'s variables added; `other` wins on conflicts.
    public func merging(_ other: PluginEnvironment) -> PluginEnvironment {
        var merged = self
        merged.merge(other)
        return merged
    }

    /// Adds `other`'s variables; `other` wins on conflicts.
    public mutating func merge(_ other: PluginEnvironment) {
        values.merge(other.values) { _, new in new }
    }

    // MARK: The spec's properties

    /// Where the plugin keeps its files (`SYNAPSE_STORAGE_PATH`), if set.
    public var storagePath: String? { self["storage_path"] }

    /// The backend's URL (`SYNAPSE_API_URL`, or the Python SDK's `SYNAPSE_HOST`), if set.
    public var apiURL: String? { self["api_url"] ?? self["host"] }

    /// Whether debug mode is on (`SYNAPSE_DEBUG` = 1/true/yes/on). An unreadable value counts as off.
    public var debug: Bool { (try? bool("debug", default: false)) ?? false }
}
