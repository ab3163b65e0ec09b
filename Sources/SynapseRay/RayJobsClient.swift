import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SynapsePlugins

/// What to submit as a Ray job (`POST /api/jobs/`).
package struct RayJobSubmission: Sendable, Hashable {
    package var entrypoint: String
    package var submissionID: String?
    /// Ray's runtime_env (`env_vars`, `working_dir`, ...).
    package var runtimeEnv: JSONObject
    package var metadata: [String: String]
    package var entrypointNumCPUs: Double?

    package init(entrypoint: String, submissionID: String? = nil, runtimeEnv: JSONObject = [:],
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
package struct RayJobsClient: Sendable {
    package let endpoint: RayEndpoint
    package var requestTimeout: Double = 10
    package var maxRetries = 3
    package var maxRetryWait: Double = 30
    /// Told (with a message) before each retry of an answer that carried `Retry-After`.
    package var onRetry: (@Sendable (String) -> Void)?

    /// The shared client for the endpoint's trust setting, or why there is none (an unreadable CA file).
    let transport: Result<RayTransport, RayError>

    package init(endpoint: RayEndpoint) {
        self.endpoint = endpoint
        self.transport = Result { () throws(RayError) in try RayTransport.shared(caFile: endpoint.caFile) }
    }

    /// Answers larger than this are refused rather than held in memory (a job's whole log comes in one).
    static let maxAnswerBytes = 512 << 20

    // MARK: API

    /// `GET /api/version`: checks that a Ray dashboard answers; returns Ray's version.
    package func version() async throws(RayError) -> String {
        let value = try await json("GET", "/api/version")
        return value["ray_version"]?.stringValue ?? value["version"]?.stringValue ?? "?"
    }

    /// `GET /api/jobs/<id>`: status and metadata.
    package func job(_ id: String) async throws(RayError) -> RayJobInfo {
        try RayJobInfo(json: try await json("GET", "/api/jobs/\(RayEndpoint.segment(id))", jobID: id))
    }

    /// `GET /api/jobs/`: every job the cluster knows, oldest first.
    package func jobs() async throws(RayError) -> [RayJobInfo] {
        guard let array = try await json("GET", "/api/jobs/").arrayValue else {
            throw RayError.badResponse("job list is not a JSON array")
        }
        var jobs: [RayJobInfo] = []
        for element in array { jobs.append(try RayJobInfo(json: element)) }
        return jobs.sorted { ($0.startTime ?? 0) < ($1.startTime ?? 0) }
    }

    /// `GET /api/jobs/<id>/logs`: the whole log so far, as UTF-8 bytes.
    package func logs(_ id: String) async throws(RayError) -> [UInt8] {
        let value = try await json("GET", "/api/jobs/\(RayEndpoint.segment(id))/logs", jobID: id)
        guard let text = value["logs"]?.stringValue else { throw RayError.badResponse("logs answer has no \"logs\"") }
        return Array(text.utf8)
    }

    /// `POST /api/jobs/`: submits a job; returns its submission id.
    package func submit(_ submission: RayJobSubmission) async throws(RayError) -> String {
        let value = try await json("POST", "/api/jobs/", body: submission.json)
        guard let id = value["submission_id"]?.stringValue ?? value["job_id"]?.stringValue else {
            throw RayError.badResponse("submit answer has no submission_id")
        }
        return id
    }

    /// `POST /api/jobs/<id>/stop`: asks Ray to stop the job; `false` when it had already finished.
    @discardableResult
    package func stop(_ id: String) async throws(RayError) -> Bool {
        let value = try await json("POST", "/api/jobs/\(RayEndpoint.segment(id))/stop", jobID: id)
        return value["stopped"]?.boolValue ?? false
    }

    // MARK: Plumbing

    func json(_ method: String, _ path: String, body: JSONValue? = nil, jobID: String? = nil)
        async throws(RayError) -> JSONValue
    {
        let data = try await send(method, path, body: body, jobID: jobID)
        do {
            return try JSONParser.parse(data)
        } catch {
            throw RayError.badResponse("\(method) \(path): not JSON (\(error))")
        }
    }

    func send(_ method: String, _ path: String, body: JSONValue?, jobID: String?) async throws(RayError) -> [UInt8] {
        try await send(method, path, rawBody: body.map { Array($0.jsonText.utf8) }, contentType: "application/json",
                       jobID: jobID)
    }

    func send(_ method: String, _ path: String, rawBody: [UInt8]?, contentType: String, jobID: String? = nil)
        async throws(RayError) -> [UInt8]
    {
        var request = HTTPClientRequest(url: endpoint.url(path).absoluteString)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in endpoint.headers { request.headers.add(name: name, value: value) }
        if let rawBody {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: rawBody))
        }
        // An upload gets a second per MB on top of the usual timeout.
        let timeout = rawBody.map { max(requestTimeout, Double($0.count) / 1_000_000) } ?? requestTimeout
        var attempt = 0
        while true {
            let (status, headers, data) = try await perform(request, timeout: timeout)
            if (200..<300).contains(status) { return data }
            let message = Self.bodyMessage(data)
            switch status {
            case 401, 403:
                throw RayError.unauthorized(status: status, message: message)
            case 404 where jobID != nil:
                throw RayError.jobNotFound(id: jobID!, address: endpoint.description)
            default:
                let retryAfter = headers.first(name: "Retry-After").flatMap { RetryAfter.parse($0) }
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

    private func perform(_ request: HTTPClientRequest, timeout: Double) async throws(RayError)
        -> (Int, HTTPHeaders, [UInt8])
    {
        do {
            return try await performOnce(request, timeout: timeout)
        } catch .unreachable(_, "connection lost") where request.method == .GET {
            // A kept-alive connection the server closed while it sat in the pool: a GET is safe to send once
            // more, on a new connection.
            return try await performOnce(request, timeout: timeout)
        }
    }

    private func performOnce(_ request: HTTPClientRequest, timeout: Double) async throws(RayError)
        -> (Int, HTTPHeaders, [UInt8])
    {
        let transport = try transport.get()
        do {
            let deadline = NIODeadline.now() + .milliseconds(Int64(timeout * 1000))
            let response = try await transport.http.execute(request, deadline: deadline)
            let body = try await response.body.collect(upTo: Self.maxAnswerBytes)
            return (Int(response.status.code), response.headers, Array(body.readableBytesView))
        } catch let error as NIOTooManyBytesError {
            throw RayError.badResponse("answer over \(Self.maxAnswerBytes >> 20) MiB (\(error))")
        } catch {
            throw RayError.unreachable(address: endpoint.description, reason: RayTransport.describe(error))
        }
    }

    /// The first line of an error body, trimmed (Ray answers errors as text, sometimes a traceback).
    static func bodyMessage(_ data: [UInt8]) -> String {
        let text = String(decoding: data.prefix(2000), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("Traceback"), let last = text.split(separator: "\n").last {
            return String(last).trimmingCharacters(in: .whitespaces)
        }
        let first = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        return first.count > 300 ? String(first.prefix(300)) + "…" : first
    }
}
