import Foundation

/// Every problem with an action's params, found before the action ran (pydantic's `ValidationError`).
///
/// ```text
/// 2 validation errors for TrainParams
/// epochs
///   Input should be less than or equal to 1000 [rule=le, input_value=5000]
/// batch_size
///   Input should be a valid integer [rule=int_type, input_value='eight']
/// ```
public struct ParamsValidationError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// One bad field.
    public struct Issue: Sendable, Hashable, CustomStringConvertible {
        /// The field's JSON path (`epochs`, `optimizer.momentum`, `layers.2`); empty for the params as a whole.
        public var path: String
        /// The broken rule: a constraint's name (`ge`, `required`, ...) or a type (`int_type`, ...).
        public var rule: String
        /// What is wrong, in pydantic's words.
        public var message: String
        /// The value given, when one was.
        public var input: JSONValue?

        /// One bad field.
        public init(path: String, rule: String, message: String, input: JSONValue? = nil) {
            self.path = path
            self.rule = rule
            self.message = message
            self.input = input
        }

        /// A readable form, as shown to the user.
        public var description: String {
            let given = input.map { ", input_value=\(ParamsValidationError.show($0))" } ?? ""
            return "\(path.isEmpty ? "(params)" : path)\n  \(message) [rule=\(rule)\(given)]"
        }
    }

    /// The params type's name (`TrainParams`).
    public var typeName: String
    /// Every problem found, in field order.
    public var issues: [Issue]

    /// The problems found in params of type `typeName`.
    public init(typeName: String, issues: [Issue]) {
        self.typeName = typeName
        self.issues = issues
    }

    /// A readable form, as shown to the user.
    public var description: String {
        let head = "\(issues.count) validation error\(issues.count == 1 ? "" : "s") for \(typeName)"
        return ([head] + issues.map(\.description)).joined(separator: "\n")
    }

    /// The same text as `description`, for `LocalizedError`.
    public var errorDescription: String? { description }

    /// The issues as JSON (`[{"path", "rule", "message", "input"}]`), for logs and tools.
    public var json: JSONValue {
        .array(issues.map { issue in
            var o: JSONObject = ["path": .string(issue.path), "rule": .string(issue.rule),
                                 "message": .string(issue.message)]
            if let input = issue.input { o["input"] = input }
            return .object(o)
        })
    }

    /// A value as pydantic shows it: strings in single quotes, others as JSON, long ones shortened.
    static func show(_ value: JSONValue) -> String {
        let text: String
        if case .string(let s) = value { text = "'\(s)'" } else { text = value.jsonText }
        return text.count > 80 ? String(text.prefix(77)) + "..." : text
    }
}
