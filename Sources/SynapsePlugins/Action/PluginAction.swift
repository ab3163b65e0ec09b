/// An action a plugin offers: the spec's `BaseAction[Params]`.
///
/// ```swift
/// struct GreetAction: PluginAction {
///     struct Params: ActionParams {
///         var name = "world"
///         var times = 1
///         static let rules: [ParamRule] = [.field("times", .ge(1), .le(10))]
///     }
///     static let actionName = "greet"
///     let params: Params
///     let ctx: RuntimeContext
///     init(params: Params, context: RuntimeContext) { self.params = params; self.ctx = context }
///
///     func execute() async throws -> JSONValue {
///         for i in 0..<params.times {
///             ctx.logMessage("Hello, \(params.name)!")
///             ctx.setProgress(i + 1, params.times)
///         }
///         return ["greeted": .int(params.times)]
///     }
/// }
/// ```
///
/// The runner decodes and validates ``Params`` before it creates the action, so `execute()` only ever sees
/// valid parameters; it records the returned ``Result`` (encoded as JSON) in the run's final status.
/// A thrown error fails the run; Swift task cancellation (`try Task.checkCancellation()`,
/// `try await Task.sleep(...)`) cancels it.
public protocol PluginAction: SendableMetatype {
    /// The parameters, decoded from the run's JSON params with defaults and validation rules.
    associatedtype Params: ActionParams
    /// What `execute()` returns; recorded as the run's result.
    associatedtype Result: Encodable & Sendable

    /// The name the action is run by (`synapse-tui run train`).
    static var actionName: String { get }
    /// A one-line description for `--help` and listings.
    static var summary: String { get }

    /// Creates the action for one run.
    init(params: Params, context: RuntimeContext)

    /// Does the work. Runs inside a task that the runner cancels when the run is cancelled.
    func execute() async throws -> Result
}

extension PluginAction {
    /// No summary unless the action gives one.
    public static var summary: String { "" }
}

/// The spec's name for the action protocol.
public typealias BaseAction = PluginAction
