import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SynapsePlugins

/// What to submit as a Ray job (`POST /api/jobs/`).
public struct RayJobSubmission: Sendable, Hashable {
    public var entrypoint: String
    public var submissionID: String?
    /// Ray's runtime_env (`env_vars`, `working_dir`, ...).
    public var runtimeEnv: JSONObject
    public var metadata: [String: String]
    public var entrypointNumCPUs: Double?

    public init(entrypoint: String, submissionID: String? = nil, runtimeEnv: JSONObject = [:],
                metadata: [String: String] = [:], entrypointNumCPUs: Double? = nil) {
        self.entrypoint = entrypoint
        self.submissionID = submissionID
        self.runtimeEnv = runtimeEnv
        self.metadata = metadata
        self.entrypointNumCPUs = entrypointNumCPUs
    }

    var json: JSONValue {
        var body: JSONObject = ["entrypoint": .string(entrypoint)]
        if let submissionID { body["submission_id"] = .string(submissionID) }
        if !runtimeEnv.isEmpty { body["runtime_env"] = .object(runtimeEnv) }
        if !metadata.isEmpty {
            body["metadata"] = .object(JSONObject(metadata.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))
        }
        if let entrypointNumCPUs { body["entrypoint_num_cpus"] = .double(entrypointNumCPUs) }
        return .object(body)
    }
}

/// A client for Ray's Jobs REST API (the one `ray job ...` uses). Every error is a ``RayError`` with a message
/// fit for users; the auth token is sent as `Authorization: Bearer` and never appears in any message.
///
/// Answers with `Retry-After` (429, 503, ...) are retried after the delay the server asked for, up to
/// ``maxRetries`` times and while the delay is at most ``maxRetryWait`` seconds; ``onRetry`` hears about each.
public struct RayJobsClient: Sendable {
    public let endpoint: RayEndpoint
    public var requestTimeout: Double = 10
    public var maxRetries = 3
    public var maxRetryWait: Double = 30
    /// Told (with a message) before each retry of an answer that carried `Retry-After`.
    public var onRetry: (@Sendable (String) -> Void)?

    private let session: URLSession

    public init(endpoint: RayEndpoint) {
        self.endpoint = endpoint
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        self.session = URLSession(configuration: configuration)
    }

    // MARK: API

    /// `GET /api/version`: checks that a Ray dashboard answers; returns Ray's version.
    public func version() async throws(RayError) -> String {
        let value = try await json("GET", "/api/version")
        return value["ray_version"]?.stringValue ?? value["version"]?.stringValue ?? "?"
    }

    /// `GET /api/jobs/<id>`: status and metadata.
    public func job(_ id: String) async throws(RayError) -> RayJobInfo {
        try RayJobInfo(json: try await json("GET", "/api/jobs/\(RayEndpoint.segment(id))", jobID: id))
    }

    /// `GET /api/jobs/`: every job the cluster knows, oldest first.
    public func jobs() async throws(RayError) -> [RayJobInfo] {
        guard let array = try await json("GET", "/api/jobs/").arrayValue else {
            throw RayError.badResponse("job list is not a JSON array")
        }
        var jobs: [RayJobInfo] = []
        for element in array { jobs.append(try RayJobInfo(json: element)) }
        return jobs.sorted { ($0.startTime ?? 0) < ($1.startTime ?? 0) }
    }

    /// `GET /api/jobs/<id>/logs`: the whole log so far, as UTF-8 bytes.
    public func logs(_ id: String) async throws(RayError) -> [UInt8] {
        let value = try await json("GET", "/api/jobs/\(RayEndpoint.segment(id))/logs", jobID: id)
        guard let text = value["logs"]?.stringValue else { throw RayError.badResponse("logs answer has no \"logs\"") }
        return Array(text.utf8)
    }

    /// `POST /api/jobs/`: submits a job; returns its submission id.
    public func submit(_ submission: RayJobSubmission) async throws(RayError) -> String {
        let value = try await json("POST", "/api/jobs/", body: submission.json)
        guard let id = value["submission_id"]?.stringValue ?? value["job_id"]?.stringValue else {
            throw RayError.badResponse("submit answer has no submission_id")
        }
        return id
    }

    /// `POST /api/jobs/<id>/stop`: asks Ray to stop the job; `false` when it had already finished.
    @discardableResult
    public func stop(_ id: String) async throws(RayError) -> Bool {
        let value = try await json("POST", "/api/jobs/\(RayEndpoint.segment(id))/stop", jobID: id)
        return value["stopped"]?.boolValue ?? false
    }

    // MARK: Plumbing

    func json(_ method: String, _ path: String, body: JSONValue? = nil, jobID: String? = nil)
        async throws(RayError) -> JSONValue
    {
        let data = try await send(method, path, body: body, jobID: jobID)
        do {
            return try JSONParser.parse(Array(data))
        } catch {
            throw RayError.badResponse("\(method) \(path): not JSON (\(error))")
        }
    }

    func send(_ method: String, _ path: String, body: JSONValue?, jobID: String?) async throws(RayError) -> Data {
        try await send(method, path, rawBody: body.map { Array($0.jsonText.utf8) }, contentType: "application/json",
                       jobID: jobID)
    }

    func send(_ method: String, _ path: String, rawBody: [UInt8]?, contentType: String, jobID: String? = nil)
        async throws(RayError) -> Data
    {
        var request = URLRequest(url: endpoint.url(path))
        request.httpMethod = method
        request.timeoutInterval = rawBody.map { max(requestTimeout, Double($0.count) / 1_000_000) } ?? requestTimeout
        for (name, value) in endpoint.headers { request.setValue(value, forHTTPHeaderField: name) }
        if let rawBody {
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(rawBody)
        }
        var attempt = 0
        while true {
            let (data, response) = try await perform(request)
            let status = response.statusCode
            if (200..<300).contains(status) { return data }
            let message = Self.bodyMessage(data)
            switch status {
            case 401, 403:
                throw RayError.unauthorized(status: status, message: message)
            case 404 where jobID != nil:
                throw RayError.jobNotFound(id: jobID!, address: endpoint.description)
            default:
                let retryAfter = response.value(forHTTPHeaderField: "Retry-After").flatMap { RetryAfter.parse($0) }
                if let retryAfter, attempt < maxRetries, retryAfter <= maxRetryWait {
                    attempt += 1
                    onRetry?("Ray answered HTTP \(status) to \(method) \(path); retrying in \(RayError.formatSeconds(retryAfter)) as it asked (Retry-After)")
                    do { try await Task.sleep(nanoseconds: UInt64(retryAfter * 1e9)) } catch {
                        throw RayError.http(status: status, message: message, retryAfter: retryAfter)
                    }
                    continue
                }
                throw RayError.http(status: status, message: message, retryAfter: retryAfter)
            }
        }
    }

    private func perform(_ request: URLRequest) async throws(RayError) -> (Data, HTTPURLResponse) {
        do {
            let (data, response) = try await session.data(for: request)
            guard let http = response as? HTTPURLResponse else {
                throw RayError.badResponse("not an HTTP answer")
            }
            return (data, http)
        } catch let error as RayError {
            throw error
        } catch let error as URLError {
            throw RayError.unreachable(address: endpoint.description, reason: Self.describe(error))
        } catch {
            throw RayError.unreachable(address: endpoint.description, reason: String(describing: error))
        }
    }

    /// A short, token-free reason for a transport error.
    static func describe(_ error: URLError) -> String {
        switch error.code {
        case .cannotConnectToHost: return "connection refused"
        case .timedOut: return "timed out"
        case .cannotFindHost, .dnsLookupFailed: return "unknown host"
        case .networkConnectionLost: return "connection lost"
        case .notConnectedToInternet: return "no network"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate:
            return "TLS handshake failed"
        default: return "network error \(error.code.rawValue)"
        }
    }

    /// The first line of an error body, trimmed (Ray answers errors as text, sometimes a traceback).
    static func bodyMessage(_ data: Data) -> String {
        let text = String(decoding: data.prefix(2000), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("Traceback"), let last = text.split(separator: "\n").last {
            return String(last).trimmingCharacters(in: .whitespaces)
        }
        let first = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        return first.count > 300 ? String(first.prefix(300)) + "…" : first
    }
}
