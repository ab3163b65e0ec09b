import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a websocket could not be opened or went away.
public enum WebSocketError: Error, Sendable, Hashable, CustomStringConvertible {
    /// TCP connect failed.
    case connect(String)
    /// The server answered the upgrade with an HTTP status other than 101.
    case rejected(status: Int, body: String)
    /// The handshake answer was not a websocket upgrade.
    case handshake(String)
    /// The connection broke (reset, EOF without a close frame, protocol violation).
    case dropped(String)
    /// Nothing arrived, not even an answer to our ping.
    case silent(seconds: Double)
    /// `wss://` (TLS) is not supported by this minimal client.
    case unsupportedScheme(String)

    public var description: String {
        switch self {
        case .connect(let reason): return "cannot connect: \(reason)"
        case .rejected(let status, let body): return body.isEmpty ? "HTTP \(status)" : "HTTP \(status): \(body)"
        case .handshake(let reason): return "bad websocket handshake: \(reason)"
        case .dropped(let reason): return "connection dropped: \(reason)"
        case .silent(let seconds): return "no answer for \(Int(seconds)) s"
        case .unsupportedScheme(let scheme): return "\(scheme):// websockets are not supported; polling instead"
        }
    }
}

/// A minimal RFC 6455 websocket client over a blocking TCP socket (`ws://` only). Foundation's
/// `URLSessionWebSocketTask` fails on Linux ("WebSockets not supported by libcurl"), and Ray's log tail needs
/// nothing but text frames, ping/pong and close, so a few hundred lines beat building swift-nio.
///
/// Not thread-safe: one thread uses a connection (``WebSocket/messages(url:headers:)`` owns one per stream).
final class WebSocketConnection {
    enum Frame: Equatable {
        case text([UInt8])
        case binary([UInt8])
        case close(code: UInt16?, reason: String)
        case pong
    }

    private var fd: Int32
    private var buffer: [UInt8] = []
    private var bufferStart = 0
    private var fragments: [UInt8] = []
    private var fragmentOpcode: UInt8 = 0

    /// Connects and completes the opening handshake.
    init(url: URL, headers: [(String, String)], timeout: Double) throws(WebSocketError) {
        let scheme = url.scheme?.lowercased() ?? ""
        guard scheme == "ws" || scheme == "http" else { throw WebSocketError.unsupportedScheme(scheme) }
        guard let host = url.host else { throw WebSocketError.connect("no host in \(url)") }
        let port = url.port ?? 80
        fd = try Self.connect(host: host, port: port, timeout: timeout)
        do {
            try handshake(url: url, host: host, port: port, headers: headers, timeout: timeout)
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    func close() {
        if fd >= 0 {
            _ = shutdown(fd, Int32(SHUT_RDWR))
            _ = Glibc.close(fd)
            fd = -1
        }
    }

    // MARK: Frames

    /// The next complete data or close frame, or `nil` when nothing complete arrived within `timeout`.
    /// Pings are answered here; pongs are returned (they prove the peer is alive).
    func receive(timeout: Double) throws(WebSocketError) -> Frame? {
        let deadline = Self.now() + timeout
        while true {
            if let frame = try parseFrame() {
                switch frame.opcode {
                case 0x9:  // ping
                    try send(opcode: 0xA, payload: frame.payload)
                    continue
                case 0xA: return .pong
                case 0x8:
                    let code = frame.payload.count >= 2 ? UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1]) : nil
                    let reason = frame.payload.count > 2 ? String(decoding: frame.payload[2...], as: UTF8.self) : ""
                    try? send(opcode: 0x8, payload: Array(frame.payload.prefix(2)))
                    return .close(code: code, reason: reason)
                case 0x0:
                    guard fragmentOpcode != 0 else { throw WebSocketError.dropped("continuation without a first frame") }
                    fragments += frame.payload
                    if frame.fin {
                        defer { fragments = []; fragmentOpcode = 0 }
                        return fragmentOpcode == 0x1 ? .text(fragments) : .binary(fragments)
                    }
                    continue
                case 0x1, 0x2:
                    if frame.fin { return frame.opcode == 0x1 ? .text(frame.payload) : .binary(frame.payload) }
                    fragmentOpcode = frame.opcode
                    fragments = frame.payload
                    continue
                default:
                    throw WebSocketError.dropped("unknown opcode \(frame.opcode)")
                }
            }
            let left = deadline - Self.now()
            if left <= 0 { return nil }
            if try !fill(timeout: left) { return nil }
        }
    }

    /// Sends a masked frame (clients must mask).
    func send(opcode: UInt8, payload: [UInt8]) throws(WebSocketError) {
        var frame: [UInt8] = [0x80 | opcode]
        let count = payload.count
        if count < 126 {
            frame.append(0x80 | UInt8(count))
        } else if count <= 0xFFFF {
            frame.append(0x80 | 126)
            frame += [UInt8(count >> 8), UInt8(count & 0xFF)]
        } else {
            frame.append(0x80 | 127)
            for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8((UInt64(count) >> UInt64(shift)) & 0xFF)) }
        }
        var mask = [UInt8](repeating: 0, count: 4)
        for i in 0..<4 { mask[i] = UInt8.random(in: 0...255) }
        frame += mask
        for (i, byte) in payload.enumerated() { frame.append(byte ^ mask[i & 3]) }
        try writeAll(frame)
    }

    func ping() throws(WebSocketError) { try send(opcode: 0x9, payload: Array("synapse".utf8)) }

    private struct RawFrame {
        var fin: Bool
        var opcode: UInt8
        var payload: [UInt8]
    }

    /// One frame from the buffer, or `nil` when it is not complete yet.
    private func parseFrame() throws(WebSocketError) -> RawFrame? {
        let available = buffer.count - bufferStart
        guard available >= 2 else { return nil }
        let b0 = buffer[bufferStart], b1 = buffer[bufferStart + 1]
        if b0 & 0x70 != 0 { throw WebSocketError.dropped("reserved bits set") }
        var offset = 2
        var length = UInt64(b1 & 0x7F)
        if length == 126 {
            guard available >= 4 else { return nil }
            length = UInt64(buffer[bufferStart + 2]) << 8 | UInt64(buffer[bufferStart + 3])
            offset = 4
        } else if length == 127 {
            guard available >= 10 else { return nil }
            length = 0
            for i in 0..<8 { length = length << 8 | UInt64(buffer[bufferStart + 2 + i]) }
            offset = 10
        }
        guard length <= 64 << 20 else { throw WebSocketError.dropped("frame of \(length) bytes") }
        let masked = b1 & 0x80 != 0
        var mask: [UInt8] = []
        if masked {
            guard available >= offset + 4 else { return nil }
            mask = Array(buffer[(bufferStart + offset)..<(bufferStart + offset + 4)])
            offset += 4
        }
        guard available >= offset + Int(length) else { return nil }
        var payload = Array(buffer[(bufferStart + offset)..<(bufferStart + offset + Int(length))])
        if masked { for i in payload.indices { payload[i] ^= mask[i & 3] } }
        bufferStart += offset + Int(length)
        if bufferStart > 1 << 16 || bufferStart == buffer.count {
            buffer.removeFirst(bufferStart)
            bufferStart = 0
        }
        return RawFrame(fin: b0 & 0x80 != 0, opcode: b0 & 0x0F, payload: payload)
    }

    // MARK: Socket

    /// Reads what is available within `timeout`; `false` on timeout.
    private func fill(timeout: Double) throws(WebSocketError) -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ms = Int32(max(0, min(timeout, 3600)) * 1000)
        let ready = poll(&pfd, 1, ms)
        if ready < 0 {
            if errno == EINTR { return true }
            throw WebSocketError.dropped(String(cString: strerror(errno)))
        }
        if ready == 0 { return false }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 {
            if errno == EINTR || errno == EAGAIN { return true }
            throw WebSocketError.dropped(String(cString: strerror(errno)))
        }
        if n == 0 { throw WebSocketError.dropped("closed by the server without a close frame") }
        buffer += chunk[0..<n]
        return true
    }

    private func writeAll(_ bytes: [UInt8]) throws(WebSocketError) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw WebSocketError.dropped(String(cString: strerror(errno)))
            }
            sent += n
        }
    }

    private static func connect(host: String, port: Int, timeout: Double) throws(WebSocketError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw WebSocketError.connect("unknown host \(host)")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let ai = node {
            node = ai.pointee.ai_next
            let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, ai.pointee.ai_protocol)
            if fd < 0 { lastError = String(cString: strerror(errno)); continue }
            let flags = fcntl(fd, F_GETFL, 0)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            var result = Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen)
            if result < 0 && errno == EINPROGRESS {
                var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                if poll(&pfd, 1, Int32(timeout * 1000)) == 1 {
                    var soError: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length)
                    if soError == 0 { result = 0 } else { errno = soError }
                } else {
                    errno = ETIMEDOUT
                }
            }
            if result == 0 {
                _ = fcntl(fd, F_SETFL, flags)
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return fd
            }
            lastError = String(cString: strerror(errno))
            _ = Glibc.close(fd)
        }
        throw WebSocketError.connect(lastError)
    }

    // MARK: Handshake

    private func handshake(url: URL, host: String, port: Int, headers: [(String, String)], timeout: Double)
        throws(WebSocketError)
    {
        var keyBytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<16 { keyBytes[i] = UInt8.random(in: 0...255) }
        let key = Data(keyBytes).base64EncodedString()
        var path = url.path.isEmpty ? "/" : url.path
        if let query = url.query { path += "?" + query }
        var request = "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n"
        for (name, value) in headers where name.lowercased() != "accept" { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        try writeAll(Array(request.utf8))

        let deadline = Self.now() + timeout
        var headerEnd: Int?
        while headerEnd == nil {
            headerEnd = Self.find([13, 10, 13, 10], in: buffer)
            if headerEnd != nil { break }
            if buffer.count > 64 << 10 { throw WebSocketError.handshake("answer headers over 64 KiB") }
            let left = deadline - Self.now()
            if left <= 0 { throw WebSocketError.handshake("no answer within \(Int(timeout)) s") }
            do {
                if try !fill(timeout: left) { continue }
            } catch {
                throw WebSocketError.handshake("connection closed during the handshake")
            }
        }
        let head = String(decoding: buffer[..<headerEnd!], as: UTF8.self)
        buffer.removeFirst(headerEnd! + 4)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw WebSocketError.handshake("not HTTP: \(statusLine.prefix(80))")
        }
        var fields: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        if status != 101 {
            // Read the (short) error body Ray sends, e.g. "Job nope does not exist".
            let length = fields["content-length"].flatMap { Int($0) } ?? 0
            while buffer.count < min(length, 4096), Self.now() < deadline {
                if (try? fill(timeout: max(0, deadline - Self.now()))) != true { break }
            }
            let body = String(decoding: buffer.prefix(min(length, 4096)), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw WebSocketError.rejected(status: status, body: RayJobsClient.bodyMessage(Data(body.utf8)))
        }
        guard fields["upgrade"]?.lowercased() == "websocket" else {
            throw WebSocketError.handshake("101 without Upgrade: websocket")
        }
        let expected = Data(SHA1.hash(Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))).base64EncodedString()
        guard fields["sec-websocket-accept"] == expected else {
            throw WebSocketError.handshake("wrong Sec-WebSocket-Accept")
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// What a websocket stream yields.
public enum WebSocketMessage: Sendable, Equatable {
    /// A text message's bytes (UTF-8).
    case text([UInt8])
    /// Nothing arrived for a while (lets the consumer do periodic work without a timer).
    case idle
}

enum WebSocket {
    /// Opens `url` on a thread of its own and yields its text messages. The stream finishes when the server
    /// closes the connection (close frame) and throws ``WebSocketError`` when it breaks. When the peer is
    /// silent for `pingAfter` seconds a ping is sent; no answer within `silentAfter` more seconds ends the
    /// stream with ``WebSocketError/silent(seconds:)``. Cancelling the consuming task closes the socket.
    static func messages(url: URL, headers: [(String, String)], connectTimeout: Double = 10,
                         idleTick: Double = 0.5, pingAfter: Double = 15, silentAfter: Double = 10)
        -> AsyncThrowingStream<WebSocketMessage, any Error>
    {
        let (stream, continuation) = AsyncThrowingStream<WebSocketMessage, any Error>.makeStream()
        let stop = StopFlag()
        continuation.onTermination = { _ in stop.set() }
        let thread = Thread {
            do {
                let connection = try WebSocketConnection(url: url, headers: headers, timeout: connectTimeout)
                defer { connection.close() }
                var lastHeard = WebSocketConnection.now()
                var pingSent: Double?
                while !stop.isSet {
                    guard let frame = try connection.receive(timeout: idleTick) else {
                        let now = WebSocketConnection.now()
                        if let pingSent, now - pingSent > silentAfter {
                            throw WebSocketError.silent(seconds: now - lastHeard)
                        }
                        if pingSent == nil, now - lastHeard > pingAfter {
                            try connection.ping()
                            pingSent = now
                        }
                        continuation.yield(.idle)
                        continue
                    }
                    lastHeard = WebSocketConnection.now()
                    pingSent = nil
                    switch frame {
                    case .text(let bytes), .binary(let bytes): continuation.yield(.text(bytes))
                    case .pong: break
                    case .close: continuation.finish(); return
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        thread.name = "synapse-ray-websocket"
        thread.start()
        return stream
    }
}

final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}

/// SHA-1, only for the websocket handshake's `Sec-WebSocket-Accept` (not for security).
enum SHA1 {
    static func hash(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
        var data = message
        let bitLength = UInt64(message.count) * 8
        data.append(0x80)
        while data.count % 64 != 56 { data.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { data.append(UInt8((bitLength >> UInt64(shift)) & 0xFF)) }
        var w = [UInt32](repeating: 0, count: 80)
        for chunk in stride(from: 0, to: data.count, by: 64) {
            for i in 0..<16 {
                let j = chunk + i * 4
                w[i] = UInt32(data[j]) << 24 | UInt32(data[j + 1]) << 16 | UInt32(data[j + 2]) << 8 | UInt32(data[j + 3])
            }
            for i in 16..<80 {
                let x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]
                w[i] = x << 1 | x >> 31
            }
            var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4]
            for i in 0..<80 {
                let f: UInt32, k: UInt32
                switch i {
                case 0..<20: f = (b & c) | (~b & d); k = 0x5A827999
                case 20..<40: f = b ^ c ^ d; k = 0x6ED9EBA1
                case 40..<60: f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDC
                default: f = b ^ c ^ d; k = 0xCA62C1D6
                }
                let temp = (a << 5 | a >> 27) &+ f &+ e &+ k &+ w[i]
                e = d; d = c; c = b << 30 | b >> 2; b = a; a = temp
            }
            h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e
        }
        return h.flatMap { v in [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    }
}
