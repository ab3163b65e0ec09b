extension PluginEnvironment {
    /// What a secret value looks like wherever it is shown.
    public static let mask = "********"

    /// Words that make a variable a secret when its name contains them (case-insensitive).
    public static let secretMarkers = ["TOKEN", "SECRET", "PASSWORD", "KEY"]

    /// Whether a variable holds a secret, judging by its name.
    public static func isSecret(_ name: String) -> Bool {
        let upper = name.uppercased()
        return secretMarkers.contains { upper.contains($0) }
    }

    /// The value of `name` as it may be shown: masked when the variable is a secret.
    public func redacted(_ name: String) -> String? {
        guard let value = self[name] else { return nil }
        return Self.isSecret(name) ? Self.mask : value
    }

    /// Every variable, sorted by name, with secrets masked. Safe to print or log.
    public func dump() -> [(name: String, value: String)] {
        values.keys.sorted().map { name in (Self.displayName(name), Self.isSecret(name) ? Self.mask : values[name]!) }
    }

    /// The masked variables as a JSON object (for dev events and the dashboard).
    public var redactedJSON: JSONValue {
        var o = JSONObject()
        for (name, value) in dump() { o[name] = .string(value) }
        return .object(o)
    }
}

extension PluginEnvironment: CustomStringConvertible, CustomDebugStringConvertible {
    /// `PluginEnvironment(SYNAPSE_ACCESS_TOKEN=********, SYNAPSE_DEBUG=1)`: secrets are masked.
    public var description: String {
        "PluginEnvironment(" + dump().map { "\($0.name)=\($0.value)" }.joined(separator: ", ") + ")"
    }

    /// The same as `description`, so a debugger or `dump` never shows the secret either.
    public var debugDescription: String { description }
}

extension PluginEnvironment: CustomReflectable {
    /// Keeps `dump(env)` and debugger views from printing raw secrets.
    public var customMirror: Mirror {
        Mirror(self, children: dump().map { (label: $0.name, value: $0.value as Any) }, displayStyle: .dictionary)
    }
}

extension JSONValue {
    /// The value with every member whose name looks secret (``PluginEnvironment/isSecret(_:)``: it contains
    /// `key`, `token`, `secret` or `password`, in any case) replaced by ``PluginEnvironment/mask``, at any
    /// depth and whatever the member's type. What params look like wherever they are shown.
    public var maskingSecrets: JSONValue {
        switch self {
        case .object(let o):
            var masked = JSONObject()
            for (name, value) in o.members {
                masked[name] = PluginEnvironment.isSecret(name) ? .string(PluginEnvironment.mask) : value.maskingSecrets
            }
            return .object(masked)
        case .array(let a): return .array(a.map(\.maskingSecrets))
        default: return self
        }
    }
}
