import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket
import WebSocketKit

/// Why a log stream could not be opened or went away.
package enum WebSocketError: Error, Sendable, Hashable, CustomStringConvertible {
    /// TCP connect or the TLS handshake failed.
    case connect(String)
    /// The server answered the upgrade with an HTTP status other than 101 (the body is not kept: the
    /// websocket library reports the status alone).
    case rejected(status: Int, body: String)
    /// The upgrade did not complete.
    case handshake(String)
    /// The connection broke (reset, EOF without a close frame, no answer to our ping).
    case dropped(String)

    package var description: String {
        switch self {
        case .connect(let reason): return "cannot connect: \(reason)"
        case .rejected(let status, let body): return body.isEmpty ? "HTTP \(status)" : "HTTP \(status): \(body)"
        case .handshake(let reason): return "bad websocket handshake: \(reason)"
        case .dropped(let reason): return "connection dropped: \(reason)"
        }
    }
}

/// What a log stream yields.
package enum WebSocketMessage: Sendable, Equatable {
    /// A text message's bytes (UTF-8).
    case text([UInt8])
    /// Nothing arrived for a while (lets the consumer do periodic work without a timer).
    case idle
}

/// Ray's log tail (`ws://` or `wss://`) through vapor's websocket-kit on SwiftNIO: the framing, masking,
/// ping/pong and TLS are the library's; this only turns its callbacks into an async stream of text
/// messages and says how the stream ended.
enum RayLogStream {
    /// Opens `url` and yields its text messages, and ``WebSocketMessage/idle`` every `idleTick` seconds.
    /// The stream finishes when the server closes the connection with a close frame and throws
    /// ``WebSocketError`` when it cannot be opened (within `connectTimeout`, TLS and upgrade included) or
    /// breaks. A ping goes out every `pingInterval` seconds; one without a pong by the next ends the
    /// stream as dropped. Cancelling the consuming task closes the connection.
    static func messages(url: URL, headers: [(String, String)], tls: TLSConfiguration?, connectTimeout: Double = 10,
                         idleTick: Double = 0.5, pingInterval: Int64 = 15)
        -> AsyncThrowingStream<WebSocketMessage, any Error>
    {
        let (stream, continuation) = AsyncThrowingStream<WebSocketMessage, any Error>.makeStream()
        let connection = Connection()
        continuation.onTermination = { _ in connection.cancel() }
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false), let host = components.host,
            let scheme = components.scheme?.lowercased(), scheme == "ws" || scheme == "wss"
        else {
            continuation.finish(throwing: WebSocketError.connect("not a websocket address: \(url)"))
            return stream
        }
        var configuration = WebSocketClient.Configuration(tlsConfiguration: tls, maxFrameSize: 64 << 20)
        configuration.maxAccumulatedFrameSize = 64 << 20
        var upgradeHeaders = HTTPHeaders()
        for (name, value) in headers where name.lowercased() != "accept" { upgradeHeaders.add(name: name, value: value) }
        let group = MultiThreadedEventLoopGroup.singleton
        // No answer (TCP, TLS or the upgrade) in time: the stream ends now; a socket that upgrades later
        // is closed on arrival (Connection.attach).
        let timeout = group.any().scheduleTask(in: .milliseconds(Int64(connectTimeout * 1000))) {
            if connection.giveUp() {
                continuation.finish(throwing: WebSocketError.handshake("no answer within \(Int(connectTimeout)) s"))
            }
        }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        WebSocket.connect(
            scheme: scheme, host: host, port: components.port ?? (scheme == "wss" ? 443 : 80), path: path,
            query: components.percentEncodedQuery, headers: upgradeHeaders, configuration: configuration, on: group
        ) { socket in
            timeout.cancel()
            guard connection.attach(socket) else {
                _ = socket.close()
                return
            }
            socket.pingInterval = .seconds(pingInterval)
            socket.onText { _, text in continuation.yield(.text(Array(text.utf8))) }
            socket.onBinary { _, buffer in continuation.yield(.text(Array(buffer.readableBytesView))) }
            let tick = socket.eventLoop.scheduleRepeatedTask(
                initialDelay: .milliseconds(Int64(idleTick * 1000)), delay: .milliseconds(Int64(idleTick * 1000))
            ) { _ in continuation.yield(.idle) }
            socket.onClose.whenComplete { _ in
                tick.cancel()
                // A close frame from the server sets the code; a cut connection leaves none, and a ping
                // that went unanswered closes with 1006.
                switch socket.closeCode {
                case .none, .some(.unknown(1006)):
                    continuation.finish(throwing: WebSocketError.dropped(
                        socket.closeCode == nil ? "closed by the server without a close frame" : "no answer to a ping for \(pingInterval) s"))
                default:
                    continuation.finish()
                }
            }
        }.whenFailure { error in
            timeout.cancel()
            guard connection.giveUp() else { return }
            continuation.finish(throwing: map(error))
        }
        return stream
    }

    static func map(_ error: any Error) -> WebSocketError {
        if let error = error as? WebSocketClient.Error {
            switch error {
            case .invalidResponseStatus(let head): return .rejected(status: Int(head.status.code), body: "")
            case .invalidURL: return .connect("invalid address")
            case .alreadyShutdown: return .connect("client shut down")
            }
        }
        if error is NIOWebSocketUpgradeError || error is NIOHTTPClientUpgradeError {
            return .handshake(String(describing: error))
        }
        if let error = error as? ChannelError, error == .eof || error == .ioOnClosedChannel {
            return .dropped("closed during the handshake")
        }
        return .connect(RayTransport.describe(error))
    }

    /// The one socket of a stream, and whether the consumer (or the timeout) already gave up on it.
    final class Connection: @unchecked Sendable {
        private let lock = NSLock()
        private var socket: WebSocket?
        private var over = false

        /// Keeps `socket`; `false` when the stream is already over (the caller closes it).
        func attach(_ socket: WebSocket) -> Bool {
            lock.lock(); defer { lock.unlock() }
            if over { return false }
            self.socket = socket
            return true
        }

        /// Marks the stream over before a socket arrived; `false` when one had (its close ends the stream).
        func giveUp() -> Bool {
            lock.lock(); defer { lock.unlock() }
            if over || socket != nil { return false }
            over = true
            return true
        }

        func cancel() {
            lock.lock()
            over = true
            let socket = self.socket
            lock.unlock()
            if let socket { _ = socket.close() }
        }
    }
}
