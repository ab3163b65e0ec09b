/// Event records carried inside a text stream (a Ray job's log, a child process's stdout).
///
/// A line holds a record when it contains ``marker``; everything before the marker (log prefixes) is
/// ignored and the rest is one event-log record.
public enum MarkedLine {
    /// The marker a producer writes before a JSON record on a text stream.
    public static let marker = "__SYNAPSE_EVENT__ "

    /// The line with the marker for `event`, without a newline.
    public static func encode(_ event: Event) -> String {
        marker + EventCodec.encodeString(event)
    }

    /// `nil` when the line carries no marker; otherwise the decoded record (or the decoding error).
    public static func decode(_ line: Substring) -> Result<Event, EventDecodingError>? {
        guard let range = line.range(of: marker) else { return nil }
        let rest = String(line[range.upperBound...])
        do {
            guard let event = try EventCodec.decodeLine(rest) else {
                return .failure(EventDecodingError("marked line holds no record"))
            }
            return .success(event)
        } catch {
            return .failure(error)
        }
    }
}
