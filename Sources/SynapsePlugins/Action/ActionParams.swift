/// The parameters of an action: the spec's pydantic `params_model`.
///
/// A params type is a `Codable` struct whose stored properties all have defaults (so `init()` exists);
/// JSON keys are the snake_case forms of the property names (`batchSize` is given as `batch_size`, as
/// Python users write it). Do not declare snake_case `CodingKeys` yourself: the conversion already does it.
///
/// ```swift
/// struct TrainParams: ActionParams {
///     var epochs = 50
///     var batchSize = 8
///     var learningRate = 0.001
///     var datasetPath: String? = nil
///     static let rules: [ParamRule] = [
///         .field("epochs", .ge(1), .le(1000)),
///         .field("batch_size", .ge(1), .le(512)),
///         .field("dataset_path", .required),
///     ]
/// }
/// ```
///
/// Given params are checked field by field before anything runs; every problem (wrong JSON type, broken
/// rule, missing required field) is collected into one ``ParamsValidationError``. Unknown fields are
/// ignored, as pydantic ignores them, and reported to the run as a warning message.
public protocol ActionParams: Codable, Sendable {
    /// The parameters with every default.
    init()
    /// Validation rules checked against the given values (after defaults are filled in).
    static var rules: [ParamRule] { get }
}

extension ActionParams {
    /// No rules unless the params declare some.
    public static var rules: [ParamRule] { [] }
}

/// Parameters of an action that takes none.
public struct NoParams: ActionParams, Hashable {
    /// No params.
    public init() {}
}
