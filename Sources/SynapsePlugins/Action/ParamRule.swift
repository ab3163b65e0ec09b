/// Validation rules for one params field, as pydantic's `Field(ge=1, le=1000)` and friends.
///
/// `.field("epochs", .ge(1), .le(1000))`. Paths are JSON keys, dotted for nested objects
/// (`"optimizer.momentum"`).
public struct ParamRule: Sendable {
    /// The field's JSON path.
    public var path: String
    /// What the field must satisfy, checked in order; every failure is reported.
    public var constraints: [ParamConstraint]

    /// Rules for the field at `path`; ``field(_:_:)`` reads better at call sites.
    public init(path: String, constraints: [ParamConstraint]) {
        self.path = path
        self.constraints = constraints
    }

    /// Rules for the field at `path`.
    public static func field(_ path: String, _ constraints: ParamConstraint...) -> ParamRule {
        ParamRule(path: path, constraints: constraints)
    }
}

/// One condition on a params field. The rule names (`ge`, `min_length`, ...) appear in error messages.
public struct ParamConstraint: Sendable {
    /// The rule's name in error messages.
    public var name: String
    /// Whether the rule applies when the field is absent (only `required` does).
    var checksAbsence = false
    /// Returns `nil` when `value` passes, else the complaint ("Input should be ...").
    var check: @Sendable (JSONValue?) -> String?

    /// A custom rule: `check` returns `nil` when the value is fine, else a message.
    public init(name: String, check: @escaping @Sendable (JSONValue) -> String?) {
        self.name = name
        self.check = { value in value.flatMap(check) }
    }

    init(name: String, checksAbsence: Bool, check: @escaping @Sendable (JSONValue?) -> String?) {
        self.name = name
        self.checksAbsence = checksAbsence
        self.check = check
    }

    /// The field must be given (a field with no useful default, typically an optional).
    public static let required = ParamConstraint(name: "required", checksAbsence: true) { value in
        value == nil || value == .null ? "Field required" : nil
    }

    /// Greater than or equal to `bound`.
    public static func ge(_ bound: Double) -> ParamConstraint {
        number("ge") { $0 >= bound ? nil : "Input should be greater than or equal to \(show(bound))" }
    }

    /// Less than or equal to `bound`.
    public static func le(_ bound: Double) -> ParamConstraint {
        number("le") { $0 <= bound ? nil : "Input should be less than or equal to \(show(bound))" }
    }

    /// Strictly greater than `bound`.
    public static func gt(_ bound: Double) -> ParamConstraint {
        number("gt") { $0 > bound ? nil : "Input should be greater than \(show(bound))" }
    }

    /// Strictly less than `bound`.
    public static func lt(_ bound: Double) -> ParamConstraint {
        number("lt") { $0 < bound ? nil : "Input should be less than \(show(bound))" }
    }

    /// At least `count` characters (strings) or items (arrays, objects).
    public static func minLength(_ count: Int) -> ParamConstraint {
        length("min_length") { n, unit in n >= count ? nil : "\(unit.0) should have at least \(count) \(unit.1)\(count == 1 ? "" : "s")" }
    }

    /// At most `count` characters (strings) or items (arrays, objects).
    public static func maxLength(_ count: Int) -> ParamConstraint {
        length("max_length") { n, unit in n <= count ? nil : "\(unit.0) should have at most \(count) \(unit.1)\(count == 1 ? "" : "s")" }
    }

    /// One of the given values (pydantic's `Literal[...]`).
    public static func oneOf(_ allowed: [JSONValue]) -> ParamConstraint {
        ParamConstraint(name: "one_of") { value in
            if allowed.contains(value) { return nil }
            // Numbers compare by value: 1 and 1.0 are the same choice.
            if let d = value.doubleValue, allowed.contains(where: { $0.doubleValue == d }) { return nil }
            let names = allowed.map(ParamsValidationError.show)
            let list = names.count > 1 ? names.dropLast().joined(separator: ", ") + " or " + names.last! : names.joined()
            return "Input should be \(list)"
        }
    }

    /// One of the given strings.
    public static func oneOf(_ allowed: String...) -> ParamConstraint {
        oneOf(allowed.map(JSONValue.string))
    }

    private static func number(_ name: String, _ test: @escaping @Sendable (Double) -> String?) -> ParamConstraint {
        ParamConstraint(name: name) { value in
            guard let d = value.doubleValue else { return "Input should be a valid number" }
            return test(d)
        }
    }

    private static func length(_ name: String, _ test: @escaping @Sendable (Int, (String, String)) -> String?)
        -> ParamConstraint {
        ParamConstraint(name: name) { value in
            switch value {
            case .string(let s): return test(s.count, ("String", "character"))
            case .array(let a): return test(a.count, ("List", "item"))
            case .object(let o): return test(o.count, ("Dictionary", "item"))
            default: return "Input should have a length"
            }
        }
    }

    /// `1000` rather than `1000.0` in messages about integer bounds.
    static func show(_ x: Double) -> String {
        x.rounded() == x && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}
