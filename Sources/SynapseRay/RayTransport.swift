import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// How the Ray client reaches the cluster: one AsyncHTTPClient (and its TLS settings) per trust setting,
/// made on first use and kept for the life of the process. Its connection pool is what keeps the status
/// checks and polls of a followed job on one kept-alive connection; nothing here links libcurl.
package struct RayTransport: Sendable {
    /// The client every request of this trust setting goes through.
    package let http: HTTPClient
    /// What `https://` requests and `wss://` log streams trust: the system's roots, or only the
    /// certificates of the CA file.
    package let tls: TLSConfiguration

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: RayTransport] = [:]

    /// The shared transport for `caFile` (`nil`: the system's trust roots). A CA file that is not readable
    /// PEM is an ``RayError/invalidArgument(_:)``, said once at the start rather than at every request.
    package static func shared(caFile: String?) throws(RayError) -> RayTransport {
        let key = caFile ?? ""
        lock.lock()
        defer { lock.unlock() }
        if let transport = cache[key] { return transport }
        let tls = try tlsConfiguration(caFile: caFile)
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10)),
            decompression: .disabled)
        // The follower retries with its own backoff and says so; the pool must not quietly retry a refused
        // connection until the connect timeout (an unreachable address is an answer at once).
        configuration.connectionPool.retryConnectionEstablishment = false
        let transport = RayTransport(
            http: HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration),
            tls: tls)
        cache[key] = transport
        return transport
    }

    /// A client TLS configuration: full verification (certificate chain and host name, or IP address for
    /// an address given as an IP), against the CA file's certificates when one is given.
    static func tlsConfiguration(caFile: String?) throws(RayError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        guard let caFile else { return tls }
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(caFile)
        } catch {
            throw RayError.invalidArgument("the CA file \(caFile) cannot be read as PEM certificates (\(error))")
        }
        guard !certificates.isEmpty else {
            throw RayError.invalidArgument("the CA file \(caFile) holds no PEM certificate")
        }
        tls.trustRoots = .certificates(certificates)
        return tls
    }

    /// A short reason for a transport error, fit for users (never a token: errors carry no headers).
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "timed out connecting"
            case .deadlineExceeded, .readTimeout, .writeTimeout: return "timed out"
            case .remoteConnectionClosed: return "connection lost"
            case .cancelled: return "cancelled"
            default: return String(describing: error)
            }
        }
        if let error = error as? NIOConnectionError {
            if let first = error.connectionErrors.first { return describe(first.error) }
            return "unknown host"
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return "connection refused"
            case ECONNRESET, EPIPE: return "connection reset"
            case ETIMEDOUT: return "timed out"
            case ENETUNREACH, EHOSTUNREACH: return "no route to host"
            default: return String(cString: strerror(error.errnoCode))
            }
        }
        if error is SocketAddressError { return "unknown host" }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout: return "timed out connecting"
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed, .inputClosed: return "connection lost"
            default: return String(describing: error)
            }
        }
        let text = String(describing: error)
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "TLS: the server's certificate is not trusted (give its CA with --ray-ca FILE or SSL_CERT_FILE)"
        }
        if error is NIOSSLExtraError, text.contains("failedToValidateHostname") {
            return "TLS: the server's certificate is not for this address"
        }
        if error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError {
            return "TLS handshake failed (\(text.prefix(160)))"
        }
        return String(text.prefix(200))
    }
}
