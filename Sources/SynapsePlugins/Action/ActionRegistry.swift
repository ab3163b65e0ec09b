/// One registered action, with its type erased so the registry can hold actions of any params type.
public struct ActionDescriptor: Sendable {
    /// The name the action is run by.
    public let name: String
    /// A one-line description.
    public let summary: String
    /// The params with every default, as JSON (for `--help`-style listings and the dashboard).
    ///
    /// Computed when asked for: it encodes the params through `JSONEncoder` and `Mirror`, whose first use
    /// costs milliseconds of type lookups, and every command builds the registry when it starts (`show`
    /// and `attach` too) while only `actions` reads the defaults (a run's validation encodes them itself).
    public var defaultParams: JSONValue { makeDefaultParams() }
    private let makeDefaultParams: @Sendable () -> JSONValue
    /// Validates `params` and returns the work to run; throws ``ParamsValidationError``.
    let prepare: @Sendable (JSONValue) throws(ParamsValidationError) -> PreparedAction

    init<A: PluginAction>(_ type: A.Type) {
        name = A.actionName
        summary = A.summary
        makeDefaultParams = { .object(ParamsDecoding.defaultsJSON(A.Params.self)) }
        prepare = { (given) throws(ParamsValidationError) -> PreparedAction in
            let validated = try ParamsDecoding.decode(A.Params.self, from: given)
            let params = validated.value
            return PreparedAction(name: A.actionName, params: validated.json, unknownFields: validated.unknownFields) {
                context in
                let action = A(params: params, context: context)
                return try ResultEncoding.json(try await action.execute())
            }
        }
    }

    /// Validates params without running anything; returns them with defaults filled in.
    public func validate(_ params: JSONValue) throws(ParamsValidationError) -> JSONValue {
        try prepare(params).params
    }
}

/// An action whose params passed validation, ready to execute once.
struct PreparedAction: Sendable {
    let name: String
    let params: JSONValue
    let unknownFields: [String]
    let execute: @Sendable (RuntimeContext) async throws -> JSONValue
}

/// Finds actions by name. A value type: build one, register your actions, hand it to the runner or CLI.
///
/// ```swift
/// var registry = ActionRegistry.builtIn
/// registry.register(GreetAction.self)
/// await SynapseTUI.main(registry: registry)
/// ```
public struct ActionRegistry: Sendable {
    private var descriptors: [ActionDescriptor] = []

    /// An empty registry.
    public init() {}

    /// A registry holding `actions`.
    public init(_ actions: [any PluginAction.Type]) {
        for action in actions { register(action) }
    }

    /// Adds an action; an action registered earlier under the same name is replaced.
    public mutating func register(_ action: any PluginAction.Type) {
        let descriptor = Self.describe(action)
        descriptors.removeAll { $0.name == descriptor.name }
        descriptors.append(descriptor)
    }

    private static func describe<A: PluginAction>(_ type: A.Type) -> ActionDescriptor {
        ActionDescriptor(type)
    }

    /// The action registered under `name`, or `nil`.
    public func action(named name: String) -> ActionDescriptor? {
        descriptors.first { $0.name == name }
    }

    /// Every registered action, in registration order.
    public var actions: [ActionDescriptor] { descriptors }

    /// The names of every registered action, in registration order.
    public var names: [String] { descriptors.map(\.name) }

    /// The built-in example actions: `train` (the spec's example), `preprocess` and `evaluate`.
    public static var builtIn: ActionRegistry {
        ActionRegistry([TrainAction.self, PreprocessAction.self, EvaluateAction.self])
    }
}
