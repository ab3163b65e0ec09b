/// The status of a whole run.
public enum RunStatus: String, Sendable, Hashable, CaseIterable, Codable {
    /// Waiting to start.
    case pending
    /// Currently executing.
    case running
    /// Successfully finished.
    case completed
    /// Execution failed.
    case failed
    /// Execution cancelled.
    case cancelled

    /// Parses a status name case-insensitively.
    public init?(name: String) {
        self.init(rawValue: name.lowercased())
    }

    /// `true` once the run can no longer change.
    public var isFinal: Bool {
        switch self {
        case .completed, .failed, .cancelled: return true
        case .pending, .running: return false
        }
    }
}

/// The status of one action within a pipeline.
public enum ActionStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case pending, running, completed, failed, skipped

    /// Parses a status name case-insensitively.
    public init?(name: String) {
        self.init(rawValue: name.lowercased())
    }

    /// `true` once the action can no longer change.
    public var isFinal: Bool {
        switch self {
        case .completed, .failed, .skipped: return true
        case .pending, .running: return false
        }
    }
}
