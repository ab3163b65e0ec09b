/// Why a variable could not be read as the type asked for. Its message always names the variable.
public struct EnvironmentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// The variable is not set.
        case missing
        /// The variable is set but is not a valid value of the type asked for.
        case invalid(expected: String)
        /// A configuration file could not be read.
        case unreadableFile(line: Int?)
    }

    /// The variable's name as the user would set it (`SYNAPSE_EPOCHS`), or the file's path.
    public var name: String
    /// What went wrong.
    public var kind: Kind
    /// The offending value, already masked when the variable is a secret.
    public var shownValue: String?
    /// Extra explanation (for file errors).
    public var detail: String?

    /// Describes a failed read of `name`.
    public init(name: String, kind: Kind, shownValue: String? = nil, detail: String? = nil) {
        self.name = name
        self.kind = kind
        self.shownValue = shownValue
        self.detail = detail
    }

    /// A readable form, as shown to the user.
    public var description: String {
        switch kind {
        case .missing:
            return "environment variable \(name) is not set"
        case .invalid(let expected):
            return "environment variable \(name) is not \(expected): '\(shownValue ?? "")'"
        case .unreadableFile(let line):
            let at = line.map { " (line \($0))" } ?? ""
            return "cannot read environment file \(name)\(at): \(detail ?? "unreadable")"
        }
    }
}
