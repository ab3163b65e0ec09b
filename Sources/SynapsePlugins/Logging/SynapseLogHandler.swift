import Logging

/// A swift-log `LogHandler` that routes a library's `Logger` output into the run it happens in.
///
/// ```swift
/// LoggingSystem.bootstrap { label in SynapseLogHandler(label: label) }
/// // ... inside an action, any library's logger now shows up in the run:
/// Logger(label: "my.lib").info("Loaded 1200 images")      // a message, level info
/// Logger(label: "my.lib").debug("cache", metadata: ["hits": "95"])  // a dev event
/// ```
///
/// The run is found through ``RuntimeContext/current``, which the runner sets for the action's task
/// tree. `info` and `notice` become `info` messages, `warning` a `warning`, `error` an `error` and
/// `critical` a `critical` message; `debug` and `trace` become dev events carrying the label, level and
/// metadata. Logs made outside any run go to `fallback` (if given) or are dropped.
public struct SynapseLogHandler: LogHandler {
    /// Metadata added to every message of this handler (swift-log `LogHandler`).
    public var metadata: Logger.Metadata = [:]
    /// Metadata computed for each message (swift-log `LogHandler`).
    public var metadataProvider: Logger.MetadataProvider?
    /// The lowest level this handler records (swift-log `LogHandler`).
    public var logLevel: Logger.Level
    /// The logger's label (`my.lib`).
    public let label: String
    /// Where logs made outside a run go.
    public var fallback: (any LogHandler)?

    /// - Parameters:
    ///   - label: the `Logger`'s label.
    ///   - logLevel: the lowest level passed on (`.trace` = everything; the run's viewer filters).
    ///   - fallback: the handler for logs made outside a run (a `StreamLogHandler`, say).
    public init(label: String, logLevel: Logger.Level = .trace, fallback: (any LogHandler)? = nil) {
        self.label = label
        self.logLevel = logLevel
        self.fallback = fallback
    }

    /// Makes every `Logger` of the process use this handler (swift-log's `LoggingSystem.bootstrap`), with
    /// logs made outside a run going to standard error at `fallbackLevel` and above.
    ///
    /// Call it once, early, and only if nothing else bootstraps swift-log: swift-log allows one bootstrap
    /// per process.
    public static func bootstrap(fallbackLevel: Logger.Level = .info) {
        LoggingSystem.bootstrap { label in
            var fallback = StreamLogHandler.standardError(label: label)
            fallback.logLevel = fallbackLevel
            return SynapseLogHandler(label: label, fallback: fallback)
        }
    }

    /// One metadata value (swift-log `LogHandler`).
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Records one swift-log message into the current run (outside a run, into the fallback handler).
    public func log(event: LogEvent) {
        guard let context = RuntimeContext.current else {
            // This handler lets everything through for the run's viewer; the fallback keeps its own level.
            if let fallback, event.level >= fallback.logLevel { fallback.log(event: event) }
            return
        }
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }

        switch event.level {
        case .trace, .debug:
            var data: JSONObject = ["label": .string(label), "level": .string(event.level.rawValue)]
            if !merged.isEmpty { data["metadata"] = Self.json(merged) }
            if let error = event.error { data["error"] = .string(String(describing: error)) }
            context.logDevEvent(event.message.description, data: .object(data))
        case .info, .notice:
            context.logMessage(text(event, merged), context: .info)
        case .warning:
            context.logMessage(text(event, merged), context: .warning)
        case .error:
            context.logMessage(text(event, merged), context: .error)
        case .critical:
            context.logMessage(text(event, merged), context: .critical)
        }
    }

    /// The message with its metadata appended as `key=value`, so nothing the library said is lost.
    private func text(_ event: LogEvent, _ metadata: Logger.Metadata) -> String {
        var text = event.message.description
        if !metadata.isEmpty {
            text += " " + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        if let error = event.error { text += " error=\(error)" }
        return text
    }

    static func json(_ metadata: Logger.Metadata) -> JSONValue {
        var o = JSONObject()
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { o[key] = json(value) }
        return .object(o)
    }

    static func json(_ value: Logger.MetadataValue) -> JSONValue {
        switch value {
        case .string(let s): return .string(s)
        case .stringConvertible(let c): return .string(c.description)
        case .array(let a): return .array(a.map(json))
        case .dictionary(let d): return json(d)
        }
    }
}
