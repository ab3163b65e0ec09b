/// Event records carried inside a text stream (a Ray job's log, a captured console).
///
/// A line holds a record when it contains the marker: `__SYNAPSE_EVENT__:TOKEN {json}`, where `TOKEN` is
/// the run's secret (handed to the bridge in `SYNAPSE_EVENT_TOKEN`), or the legacy `__SYNAPSE_EVENT__ {json}`
/// without one. Everything before the marker (log prefixes) is ignored and the rest is one event-log record.
/// Which lines a reader believes is its ``Trust``: anyone can print a marker, only the bridge knows the token.
package enum MarkedLine {
    /// The legacy marker (no secret) a producer writes before a JSON record on a text stream.
    package static let marker = "__SYNAPSE_EVENT__ "
    /// What every marker starts with.
    package static let prefix = "__SYNAPSE_EVENT__"
    /// The environment variable that hands the bridge its per-run marker secret.
    package static let tokenEnvironmentKey = "SYNAPSE_EVENT_TOKEN"

    /// Which marked lines a reader takes as records; the others are plain output.
    package enum Trust: Sendable, Hashable {
        /// Every marked line, with any token or none: a capture the user chose to read, or a stream whose
        /// producer was given no secret (a job started by an older synapse-tui).
        case anyMarker
        /// Only lines marked with this secret.
        case token(String)
        /// No line: records travel on another channel (a child's record descriptor).
        case none
    }

    /// The marker for `token` (the legacy one for `nil`).
    package static func marker(token: String?) -> String {
        token.map { "\(prefix):\($0) " } ?? marker
    }

    /// The line with the marker for `event`, without a newline.
    package static func encode(_ event: Event, token: String? = nil) -> String {
        marker(token: token) + EventCodec.encodeString(event)
    }

    /// A new per-run secret: 128 random bits as 32 hex digits.
    package static func newToken() -> String {
        // SystemRandomNumberGenerator reads the kernel's CSPRNG (getrandom on Linux).
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }

    /// `nil` when the line carries no marker `trust` accepts; otherwise the decoded record (or the
    /// decoding error).
    package static func decode(_ line: Substring, trust: Trust = .anyMarker) -> Result<Event, EventDecodingError>? {
        let rest: Substring
        switch trust {
        case .none:
            return nil
        case .token(let token):
            guard let range = line.range(of: marker(token: token)) else { return nil }
            rest = line[range.upperBound...]
        case .anyMarker:
            guard let range = line.range(of: prefix) else { return nil }
            var tail = line[range.upperBound...]
            if tail.first == ":" {
                // `:TOKEN ` — any token
                guard let space = tail.firstIndex(of: " ") else { return nil }
                tail = tail[tail.index(after: space)...]
            } else if tail.first == " " {
                tail = tail.dropFirst()
            } else {
                return nil
            }
            rest = tail
        }
        do {
            guard let event = try EventCodec.decodeLine(String(rest)) else {
                return .failure(EventDecodingError("marked line holds no record"))
            }
            return .success(event)
        } catch {
            return .failure(error)
        }
    }
}
