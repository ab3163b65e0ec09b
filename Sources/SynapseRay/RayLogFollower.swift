import Foundation
import NIOSSL
import SynapsePlugins

/// What following a job produces, in order.
package enum RayFollowUpdate: Sendable, Equatable {
    /// The job's info: once at the start and again at each status change.
    case job(RayJobInfo)
    /// Complete log lines, each exactly once, in log order (a partial last line waits for its newline, or
    /// for the end of the job).
    case lines([String])
    /// Connection trouble or recovery, worth showing to the user.
    case notice(LogLevel, String)
    /// The job's log was replaced (shorter than what was shown): everything delivered so far is void and
    /// the log is delivered again from its first line.
    case restarted(String)
    /// The job reached a final status and every line of its log was delivered.
    case finished(RayJobInfo)
    /// Following stopped for good (unknown job, rejected token, cluster restarted).
    case failed(RayError)
}

/// Follows one Ray job: its status (`GET /api/jobs/<id>`) and its log (the websocket
/// `/api/jobs/<id>/logs/tail`, or polling `GET /api/jobs/<id>/logs` when the websocket cannot be used).
///
/// Ray replays a job's log from its first byte on every websocket connection and every `GET /logs`, so the
/// follower remembers how many bytes it has delivered (``LogCursor``) and passes on only what lies beyond:
/// a dropped websocket is reopened with exponential backoff, and after ``Options/maxWebSocketFailures``
/// failures in a row the follower polls `/logs` instead, in both cases without repeating or losing a line.
/// When the job is final, one last `GET /logs` makes sure nothing written after the stream closed is missed.
package struct RayLogFollower: Sendable {
    package struct Options: Sendable {
        /// How often the status is checked while the log streams.
        package var statusInterval: Double = 1
        /// How often `/logs` is fetched when polling.
        package var pollInterval: Double = 1
        package var backoff = Backoff()
        /// Websocket failures in a row before falling back to polling.
        package var maxWebSocketFailures = 3
        /// Use the websocket at all (`false`: poll from the start).
        package var useWebSocket = true
        /// After the job is final, how long to wait for the websocket to deliver the rest and close.
        package var finalGrace: Double = 3
        package init() {}
    }

    package let client: RayJobsClient
    package let submissionID: String
    package var options: Options

    package init(client: RayJobsClient, submissionID: String, options: Options = Options()) {
        self.client = client
        self.submissionID = submissionID
        self.options = options
    }

    /// The websocket URL of the job's log tail.
    var tailURL: URL {
        var components = URLComponents(url: client.endpoint.url("/api/jobs/\(RayEndpoint.segment(submissionID))/logs/tail"),
                                       resolvingAgainstBaseURL: false)!
        components.scheme = components.scheme == "https" ? "wss" : "ws"
        return components.url!
    }

    /// Follows until the job is final (``RayFollowUpdate/finished(_:)``), following fails for good
    /// (``RayFollowUpdate/failed(_:)``), or the task is cancelled.
    package func run(_ emit: @escaping @Sendable (RayFollowUpdate) -> Void) async {
        var state = State(emit: emit)
        var backoff = options.backoff

        // First contact: an unreachable address or an unknown job is an answer, not something to wait for.
        do {
            let info = try await client.job(submissionID)
            state.update(info)
        } catch {
            emit(.failed(error))
            return
        }

        var webSocketFailures = 0
        var polling = !options.useWebSocket
        let tls: TLSConfiguration?
        switch client.transport {
        case .success(let transport): tls = transport.tls
        case .failure: tls = nil  // not reached: the first contact above failed with the same error
        }

        while !Task.isCancelled {
            if let info = state.info, info.status.isTerminal {
                await finish(&state, backoff: &backoff)
                return
            }
            if polling {
                do {
                    try await pollOnce(&state)
                    backoff.reset()
                    if state.info?.status.isTerminal == true { continue }
                    // Ray's /logs has no offset: each poll downloads the whole log, so a big log is polled
                    // less often (one more second per MiB, at most 10 s).
                    let delay = min(max(options.pollInterval, 10), options.pollInterval + Double(state.cursor.shown >> 20))
                    try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                } catch is CancellationError {
                    return
                } catch let error as RayError {
                    if await !recover(from: error, &state, backoff: &backoff) { return }
                } catch {
                    return
                }
                continue
            }

            // Websocket: stream until it closes or breaks.
            var streamOffset = 0
            var lastStatusCheck = MonotonicClock.now()
            var finalSince: Double?
            do {
                for try await message in RayLogStream.messages(url: tailURL, headers: client.endpoint.headers, tls: tls) {
                    if case .text(let bytes) = message {
                        if webSocketFailures > 0 || backoff.attempts > 0 {
                            emit(.notice(.success, "Ray log stream reconnected"))
                            webSocketFailures = 0
                            backoff.reset()
                        }
                        state.deliver(bytes[...], at: streamOffset)
                        streamOffset += bytes.count
                    }
                    let now = MonotonicClock.now()
                    if let finalSince, now - finalSince > options.finalGrace { break }
                    if now - lastStatusCheck >= options.statusInterval {
                        lastStatusCheck = now
                        if let error = await refresh(&state), !error.isTransient {
                            // A transient failure is retried next tick: the stream is what matters.
                            throw error
                        }
                        if finalSince == nil, state.info?.status.isTerminal == true { finalSince = now }
                    }
                }
                if Task.isCancelled { return }
                // The server closed the stream: Ray does so once the job is final and its log read to the end.
                if let error = await refresh(&state) { throw error }
                if state.info?.status.isTerminal != true {
                    webSocketFailures += 1
                    let delay = backoff.next()
                    emit(.notice(.warning, "Ray closed the log stream while the job is \(state.info?.status.description ?? "?"); reconnecting in \(RayError.formatSeconds(delay))"))
                    try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                }
            } catch is CancellationError {
                return
            } catch let error as RayError {
                if await !recover(from: error, &state, backoff: &backoff) { return }
            } catch let error as WebSocketError {
                if case .rejected(let status, let body) = error {
                    if status == 401 || status == 403 {
                        emit(.failed(.unauthorized(status: status, message: body)))
                        return
                    }
                    if status == 404 {
                        // Gone between two checks: find out whether the cluster lost it.
                        if await !recover(from: .clusterRestarted(id: submissionID, address: client.endpoint.description),
                                          &state, backoff: &backoff) { return }
                        continue
                    }
                }
                webSocketFailures += 1
                if webSocketFailures >= options.maxWebSocketFailures {
                    polling = true
                    emit(.notice(.warning, "Ray log stream failed \(webSocketFailures) times (\(error)); polling the log instead"))
                    continue
                }
                let delay = backoff.next()
                emit(.notice(.warning, "Ray log stream dropped (\(error)); reconnecting in \(RayError.formatSeconds(delay))"))
                do { try await Task.sleep(nanoseconds: UInt64(delay * 1e9)) } catch { return }
                // Check that the cluster is still there (and still knows the job) before reopening.
                if let error = await refresh(&state) {
                    if await !recover(from: error, &state, backoff: &backoff) { return }
                }
            } catch {
                return
            }
        }
    }

    /// Refreshes the job's status; the error, if any (a job Ray no longer knows: the cluster restarted).
    private func refresh(_ state: inout State) async -> RayError? {
        do {
            state.update(try await client.job(submissionID))
            return nil
        } catch {
            if case .jobNotFound = error {
                return .clusterRestarted(id: submissionID, address: client.endpoint.description)
            }
            return error
        }
    }

    /// One poll: new log bytes, then the status.
    private func pollOnce(_ state: inout State) async throws {
        let log = try await client.logs(submissionID)
        state.deliverWhole(log)
        state.update(try await client.job(submissionID))
    }

    /// Waits out a transient error (with backoff, honouring Retry-After) until Ray answers again; reports a
    /// permanent one. `false` when following is over.
    private func recover(from error: RayError, _ state: inout State, backoff: inout Backoff) async -> Bool {
        var error = error
        while true {
            switch error {
            case .jobNotFound, .clusterRestarted:
                // Known before, unknown now: the cluster lost its jobs.
                state.emit(.failed(.clusterRestarted(id: submissionID, address: client.endpoint.description)))
                return false
            case .unauthorized, .invalidArgument:
                state.emit(.failed(error))
                return false
            case .unreachable, .http, .badResponse:
                var retryAfter: Double?
                if case .http(_, _, let seconds) = error { retryAfter = seconds }
                let delay = backoff.next(honouring: retryAfter)
                state.emit(.notice(.warning, "\(error.description); retrying in \(RayError.formatSeconds(delay))"))
                do { try await Task.sleep(nanoseconds: UInt64(delay * 1e9)) } catch { return false }
                if let next = await refresh(&state) {
                    error = next
                } else {
                    state.emit(.notice(.success, "Ray at \(client.endpoint) answers again"))
                    return true
                }
            }
        }
    }

    /// The job is final: fetch the whole log once more for anything the stream did not bring, flush the
    /// partial last line, report the end.
    private func finish(_ state: inout State, backoff: inout Backoff) async {
        for attempt in 1...3 {
            do {
                state.deliverWhole(try await client.logs(submissionID))
                break
            } catch {
                if attempt == 3 || !error.isTransient {
                    state.emit(.notice(.warning, "the end of the job's log could not be fetched: \(error)"))
                    break
                }
                let delay = backoff.next()
                try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
            }
        }
        state.flush()
        if let info = state.info { state.emit(.finished(info)) }
    }

    /// What the follower knows; every delivery goes through the cursor.
    struct State {
        let emit: @Sendable (RayFollowUpdate) -> Void
        var info: RayJobInfo?
        var cursor = LogCursor()
        var splitter = LineSplitter()

        init(emit: @escaping @Sendable (RayFollowUpdate) -> Void) { self.emit = emit }

        mutating func update(_ new: RayJobInfo) {
            if info?.status != new.status || info == nil { emit(.job(new)) }
            info = new
        }

        mutating func deliver(_ bytes: ArraySlice<UInt8>, at offset: Int) {
            guard let fresh = cursor.accept(bytes, at: offset) else { return }
            let lines = splitter.push(fresh)
            if !lines.isEmpty { emit(.lines(lines)) }
        }

        mutating func deliverWhole(_ log: [UInt8]) {
            if let fresh = cursor.acceptWhole(log) {
                let lines = splitter.push(fresh)
                if !lines.isEmpty { emit(.lines(lines)) }
            } else {
                emit(.restarted("the job's log is shorter than what was shown (\(log.count) < \(cursor.shown) bytes): it was replaced"))
                cursor.reset()
                splitter = LineSplitter()
                deliverWhole(log)
            }
        }

        mutating func flush() {
            if let partial = splitter.finish() { emit(.lines([partial])) }
        }
    }
}
