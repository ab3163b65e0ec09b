import Foundation
import Testing
import SynapsePlugins
@testable import SynapseRay

/// The real cluster behind a TLS terminator (stunnel, with a CA made by scripts/ray-tests.sh for this run):
/// `https://` requests and the `wss://` log stream, trusted only through the CA file, and a cut connection.
@Suite(.serialized, .enabled(if: RayTLSEnv.available, "SYNAPSE_RAY_TLS_URL / SYNAPSE_RAY_CA not set: no TLS terminator (run scripts/ray-tests.sh)"))
struct RayTLSTests {
    static func client(_ address: String = RayTLSEnv.url, ca: String? = RayTLSEnv.ca) throws -> RayJobsClient {
        RayJobsClient(endpoint: try RayEndpoint.resolve(address: address, token: nil, caFile: ca, environment: [:]))
    }

    @Test func httpsAnswersWithTheCAAndNotWithout() async throws {
        #expect(try await Self.client().version().isEmpty == false)
        // The system's roots do not know the test CA; another CA is no better.
        for ca in [nil, RayTLSEnv.otherCA] {
            let client = try Self.client(ca: ca)
            do {
                _ = try await client.version()
                Issue.record("a certificate from an unknown CA was accepted (ca: \(ca ?? "system"))")
            } catch {
                if case .unreachable(_, let reason) = error {
                    #expect(reason.contains("not trusted"), "\(reason)")
                } else {
                    Issue.record("wrong error \(error)")
                }
            }
        }
        // SSL_CERT_FILE is read when no --ray-ca is given.
        let fromEnvironment = try RayEndpoint.resolve(address: RayTLSEnv.url, token: nil,
                                                      environment: ["SSL_CERT_FILE": RayTLSEnv.ca])
        #expect(fromEnvironment.caFile == RayTLSEnv.ca)
        #expect(try await RayJobsClient(endpoint: fromEnvironment).version().isEmpty == false)
    }

    @Test func jobIsFollowedOverWSS() async throws {
        let client = try Self.client()
        let id = RayTestEnv.uniqueID("tls")
        _ = try await client.submit(RayJobSubmission(
            entrypoint: "python -c \"import time\nfor i in range(20):\n    print('s', i, flush=True); time.sleep(0.05)\"",
            submissionID: id))
        let collector = await follow(RayLogFollower(client: client, submissionID: id))
        let info = try #require(collector.final?.finishedInfo, "\(collector.updates.suffix(5))")
        #expect(info.status == .succeeded)
        #expect(collector.lines.filter { $0.hasPrefix("s ") } == (0..<20).map { "s \($0)" })
        #expect(!collector.notices.contains { $0.contains("polling") }, "wss:// was not used: \(collector.notices)")
        // The stream itself: an upgrade over TLS that yields the log's text.
        let follower = RayLogFollower(client: client, submissionID: id)
        var text: [UInt8] = []
        for try await message in RayLogStream.messages(url: follower.tailURL, headers: client.endpoint.headers,
                                                       tls: try client.transport.get().tls) {
            if case .text(let bytes) = message { text += bytes }
        }
        #expect(follower.tailURL.scheme == "wss")
        #expect(String(decoding: text, as: UTF8.self).contains("s 19"))
    }

    /// Every connection (TLS over TCP) is cut twice mid-job: the wss:// stream reconnects and each line
    /// arrives exactly once.
    @Test func cutConnectionsOverTLSLoseAndRepeatNothing() async throws {
        let proxy = try FaultyProxy(upstreamPort: UInt16(URL(string: RayTLSEnv.url)!.port ?? 443))
        defer { proxy.close() }
        let client = try Self.client("https://127.0.0.1:\(proxy.port)")
        let id = RayTestEnv.uniqueID("tls-drops")
        _ = try await client.submit(RayJobSubmission(
            entrypoint: "python -c \"import time\nfor i in range(60):\n    print('n', i, flush=True); time.sleep(0.1)\"",
            submissionID: id))
        var options = RayLogFollower.Options()
        options.backoff = Backoff(initial: 0.2, factor: 2, maximum: 1)
        options.maxWebSocketFailures = 100
        let collector = Collector()
        let task = Task { await RayLogFollower(client: client, submissionID: id, options: options).run { collector.add($0) } }
        for threshold in [10, 30] {
            let reached = await eventually(timeout: 60) { collector.lines.filter { $0.hasPrefix("n ") }.count >= threshold }
            #expect(reached)
            proxy.dropAll()
        }
        let done = await eventually(timeout: 60) { collector.final != nil }
        task.cancel()
        await task.value
        #expect(done)
        #expect(collector.lines.filter { $0.hasPrefix("n ") } == (0..<60).map { "n \($0)" })
        #expect(collector.notices.contains { $0.contains("dropped") }, "\(collector.notices)")
        #expect(collector.notices.contains { $0.contains("reconnected") }, "\(collector.notices)")
        #expect(!collector.notices.contains { $0.contains("polling") }, "\(collector.notices)")
    }

    @Test func cliTakesTheCAFromTheFlagOrSSLCertFile() throws {
        let binary = try #require(RayTestEnv.cliBinary, "SYNAPSE_TUI_BIN is not set (scripts/ray-tests.sh sets it)")
        var environment = ProcessInfo.processInfo.environment
        environment["SSL_CERT_FILE"] = nil
        let flag = try shell("'\(binary)' jobs --ray '\(RayTLSEnv.url)' --ray-ca '\(RayTLSEnv.ca)' --json", environment: environment)
        #expect(flag.status == 0, "\(flag.output)")
        environment["SSL_CERT_FILE"] = RayTLSEnv.ca
        let env = try shell("'\(binary)' jobs --ray '\(RayTLSEnv.url)'", environment: environment)
        #expect(env.status == 0, "\(env.output)")
        environment["SSL_CERT_FILE"] = nil
        let untrusted = try shell("'\(binary)' jobs --ray '\(RayTLSEnv.url)'", environment: environment)
        #expect(untrusted.status == 1)
        #expect(untrusted.output.contains("--ray-ca"), "\(untrusted.output)")
        let missing = try shell("'\(binary)' jobs --ray '\(RayTLSEnv.url)' --ray-ca /nonexistent.pem", environment: environment)
        #expect(missing.status == 2)
        #expect(missing.output.contains("cannot be read as PEM"), "\(missing.output)")
    }
}

enum RayTLSEnv {
    static let url = ProcessInfo.processInfo.environment["SYNAPSE_RAY_TLS_URL"] ?? ""
    static let ca = ProcessInfo.processInfo.environment["SYNAPSE_RAY_CA"] ?? ""
    static let otherCA = ProcessInfo.processInfo.environment["SYNAPSE_RAY_OTHER_CA"]
    static var available: Bool { !url.isEmpty && !ca.isEmpty }
}
