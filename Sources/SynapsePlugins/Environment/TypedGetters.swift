extension PluginEnvironment {
    /// The name a user sets for `name`: `epochs` -> `SYNAPSE_EPOCHS`, `ray_address` -> `RAY_ADDRESS`.
    public static func displayName(_ name: String) -> String {
        let n = normalize(name).uppercased()
        if forwardedPrefixes.contains(where: n.hasPrefix) { return n }
        return prefix + n
    }

    private func require(_ name: String) throws(EnvironmentError) -> String {
        guard let value = self[name] else {
            throw EnvironmentError(name: Self.displayName(name), kind: .missing)
        }
        return value
    }

    private func invalid(_ name: String, _ value: String, _ expected: String) -> EnvironmentError {
        EnvironmentError(name: Self.displayName(name), kind: .invalid(expected: expected),
                         shownValue: Self.isSecret(name) ? Self.mask : value)
    }

    /// The variable as a string; throws when it is not set.
    public func string(_ name: String) throws(EnvironmentError) -> String {
        try require(name)
    }

    /// The variable as a string, or `defaultValue` when it is not set.
    public func string(_ name: String, default defaultValue: String) -> String {
        self[name] ?? defaultValue
    }

    /// The variable as an integer; throws when it is missing or not an integer.
    public func int(_ name: String) throws(EnvironmentError) -> Int {
        let raw = try require(name)
        guard let value = Int(raw.trimmingSpaces()) else { throw invalid(name, raw, "an integer") }
        return value
    }

    /// The variable as an integer, or `defaultValue` when it is not set; throws when set but invalid.
    public func int(_ name: String, default defaultValue: Int) throws(EnvironmentError) -> Int {
        contains(name) ? try int(name) : defaultValue
    }

    /// The variable as a number; throws when it is missing or not a number.
    public func double(_ name: String) throws(EnvironmentError) -> Double {
        let raw = try require(name)
        guard let value = Double(raw.trimmingSpaces()) else { throw invalid(name, raw, "a number") }
        return value
    }

    /// The variable as a number, or `defaultValue` when it is not set; throws when set but invalid.
    public func double(_ name: String, default defaultValue: Double) throws(EnvironmentError) -> Double {
        contains(name) ? try double(name) : defaultValue
    }

    /// The variable as a boolean (`1 true yes on` / `0 false no off`, any case); throws otherwise.
    public func bool(_ name: String) throws(EnvironmentError) -> Bool {
        let raw = try require(name)
        switch raw.trimmingSpaces().lowercased() {
        case "1", "true", "yes", "on", "y", "t": return true
        case "0", "false", "no", "off", "n", "f", "": return false
        default: throw invalid(name, raw, "a boolean (true/false, 1/0, yes/no, on/off)")
        }
    }

    /// The variable as a boolean, or `defaultValue` when it is not set; throws when set but invalid.
    public func bool(_ name: String, default defaultValue: Bool) throws(EnvironmentError) -> Bool {
        contains(name) ? try bool(name) : defaultValue
    }

    /// The variable as a list: a JSON array of strings/numbers, or comma-separated text (items trimmed,
    /// empty items dropped). Throws when it is missing.
    public func list(_ name: String) throws(EnvironmentError) -> [String] {
        let raw = try require(name)
        let text = raw.trimmingSpaces()
        if text.hasPrefix("[") {
            guard let array = try? JSONParser.parse(text).arrayValue else { throw invalid(name, raw, "a list") }
            return array.map { $0.stringValue ?? $0.jsonText }
        }
        return text.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
    }

    /// The variable as a list, or `defaultValue` when it is not set.
    public func list(_ name: String, default defaultValue: [String]) throws(EnvironmentError) -> [String] {
        contains(name) ? try list(name) : defaultValue
    }
}
