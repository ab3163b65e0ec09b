import Foundation

/// An auth token that never shows itself: `description`, `debugDescription` and `dump` print `<redacted>`.
package struct RaySecret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    let value: String
    package init(_ value: String) { self.value = value }
    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
    package var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// Where the Ray dashboard (and its Jobs API) answers, and the token to send.
package struct RayEndpoint: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// `http(s)://host:port` plus any path prefix (a dashboard behind a proxy), without a trailing slash.
    package let baseURL: URL
    /// Ray's token-mode auth token, sent as `Authorization: Bearer <token>`.
    package let token: RaySecret?
    /// A PEM file of the certificates `https://` and `wss://` trust instead of the system's roots (a cluster
    /// behind a TLS terminator with a private CA); `nil`: the system's roots.
    package let caFile: String?

    /// Ray's default dashboard address.
    package static let defaultAddress = "http://127.0.0.1:8265"

    package init(baseURL: URL, token: RaySecret? = nil, caFile: String? = nil) {
        self.baseURL = baseURL
        self.token = token
        self.caFile = caFile
    }

    /// The address as given to users: never includes the token (nor any user:password in the URL).
    package var description: String {
        guard var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false) else {
            return baseURL.absoluteString
        }
        components.user = nil
        components.password = nil
        return components.string ?? baseURL.absoluteString
    }

    /// `dump()` shows the address without credentials, and no token.
    package var customMirror: Mirror { Mirror(self, children: ["address": description]) }

    /// Resolves the address as Ray's CLI does: the explicit one (`auto`: none), else `RAY_API_SERVER_ADDRESS`, else
    /// `RAY_ADDRESS`, else `http://127.0.0.1:8265`. An address without a scheme is `http://`; a Ray Client
    /// address `ray://host:10001` means the dashboard on the same host (`http://host:8265`). The token: the
    /// explicit one, else `RAY_AUTH_TOKEN`, else the file named by `RAY_AUTH_TOKEN_PATH`. The CA file: the
    /// explicit one, else `SSL_CERT_FILE` (as OpenSSL and Python read it); it is checked here, so a missing
    /// or unreadable file is said at once.
    package static func resolve(address: String?, token: String?, caFile: String? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(RayError) -> RayEndpoint
    {
        func nonEmpty(_ s: String?) -> String? {
            guard let s = s?.trimmingCharacters(in: .whitespacesAndNewlines), !s.isEmpty else { return nil }
            return s
        }
        // "auto" (or nothing): the environment, as Ray's CLI does without --address.
        let given = nonEmpty(address).flatMap { $0 == "auto" ? nil : $0 }
        var text = given ?? nonEmpty(environment["RAY_API_SERVER_ADDRESS"]) ?? nonEmpty(environment["RAY_ADDRESS"])
            ?? defaultAddress
        if text == "auto" || text == "local" { text = defaultAddress }
        if text.hasPrefix("ray://") {
            var rest = text.dropFirst("ray://".count)
            if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
            let host = rest.lastIndex(of: ":").map { String(rest[..<$0]) } ?? String(rest)
            text = "http://\(host):8265"
        } else if !text.contains("://") {
            text = "http://" + text
        }
        while text.hasSuffix("/") { text.removeLast() }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host != nil
        else {
            throw RayError.invalidArgument("not a Ray dashboard address: \"\(text)\" (expected http://HOST:8265)")
        }
        var secret: RaySecret?
        if let token = nonEmpty(token) ?? nonEmpty(environment["RAY_AUTH_TOKEN"]) {
            secret = RaySecret(token)
        } else if let path = nonEmpty(environment["RAY_AUTH_TOKEN_PATH"]) {
            guard let data = FileManager.default.contents(atPath: path),
                let token = nonEmpty(String(decoding: data, as: UTF8.self))
            else {
                throw RayError.invalidArgument("RAY_AUTH_TOKEN_PATH names \(path), which cannot be read or is empty")
            }
            secret = RaySecret(token)
        }
        let ca = nonEmpty(caFile) ?? nonEmpty(environment["SSL_CERT_FILE"])
        if let ca { _ = try RayTransport.tlsConfiguration(caFile: ca) }
        return RayEndpoint(baseURL: url, token: secret, caFile: ca)
    }

    /// `baseURL` + `path` (path starts with `/`; path segments are already escaped).
    func url(_ path: String) -> URL {
        URL(string: baseURL.absoluteString + path)!
    }

    /// The headers every request carries.
    var headers: [(String, String)] {
        var headers: [(String, String)] = [("Accept", "application/json")]
        if let token { headers.append(("Authorization", "Bearer " + token.value)) }
        return headers
    }

    /// A job id as one escaped path segment.
    static func segment(_ id: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return id.addingPercentEncoding(withAllowedCharacters: allowed) ?? id
    }
}
