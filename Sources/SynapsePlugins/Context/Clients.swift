import Foundation

/// A client of the Synapse backend, passed through to actions as `ctx.client`.
///
/// The runtime never calls it: it exists so an embedding application can hand its own API client to
/// actions, as the Python SDK's `BackendClient` is handed over. Keep implementations thread-safe.
public protocol BackendClient: Sendable {
    /// The backend's base URL (`SYNAPSE_HOST`).
    var baseURL: URL { get }
}

/// A client of the Synapse agent (Ray operations), passed through to actions as `ctx.agentClient`.
public protocol AgentClient: Sendable {
    /// The agent's base URL (`SYNAPSE_AGENT_URL`).
    var baseURL: URL { get }
}
