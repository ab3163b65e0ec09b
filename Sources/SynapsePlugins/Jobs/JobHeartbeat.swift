import Foundation

/// Who writes a job's log, and when it last proved it is alive: the job folder's `writer.json`
/// (`{"pid":…,"host":"…","started":…,"beat":…}`), rewritten every ``JobHeartbeat/interval`` seconds by
/// whichever process writes the log (the Swift runner, a `run --plugin` / `run -- CMD` supervisor, or the
/// Python bridge when it runs alone). See docs/event-log.md, "Liveness".
package struct WriterRecord: Sendable, Hashable {
    /// The writer's process id.
    package var pid: Int32
    /// The host it runs on (`gethostname`).
    package var host: String
    /// When the writer started (epoch seconds).
    package var started: Double
    /// Its latest proof of life (epoch seconds).
    package var beat: Double

    /// Creates a record.
    package init(pid: Int32, host: String, started: Double, beat: Double) {
        self.pid = pid
        self.host = host
        self.started = started
        self.beat = beat
    }

    /// Reads a record from the sidecar's JSON; `nil` when a field is missing or of the wrong type.
    package init?(json: JSONValue) {
        guard case .object(let o) = json, let pid = o["pid"]?.doubleValue, pid >= 1, pid <= Double(Int32.max),
              case .string(let host)? = o["host"], let started = o["started"]?.doubleValue,
              let beat = o["beat"]?.doubleValue, abs(started) < 1e15, abs(beat) < 1e15 else { return nil }
        self.init(pid: Int32(pid), host: host, started: started, beat: beat)
    }

    /// The sidecar's JSON.
    package var json: JSONValue {
        ["pid": .int(Int(pid)), "host": .string(host), "started": .double(started), "beat": .double(beat)]
    }

    /// Whether the writer is alive at `now`: on this host, lost as soon as its process is gone; anywhere,
    /// lost after ``JobHeartbeat/lostAfter`` seconds without a beat (a hung writer, or a reused pid).
    package func liveness(now: Double, localHost: String, processExists: (Int32) -> Bool) -> WriterLiveness {
        if host == localHost, !processExists(pid) { return .lost(since: beat) }
        if now - beat > JobHeartbeat.lostAfter { return .lost(since: beat) }
        return .alive
    }
}

/// What a reader concludes about a job's writer. Derived, never written into the log.
package enum WriterLiveness: Sendable, Hashable {
    /// The writer proved it is alive recently.
    case alive
    /// No writer since this time (epoch seconds): its process is gone, or it stopped beating.
    case lost(since: Double)
    /// No `writer.json` (a log written by something else, or before heartbeats existed).
    case unknown

    /// The time of the last proof of life, when lost.
    package var lostSince: Double? {
        if case .lost(let since) = self { return since }
        return nil
    }
}

/// Keeps a job's `writer.json` fresh while the run is open: writes it at once, then every
/// ``interval`` seconds from a timer of its own (so a quiet epoch of the action never looks dead), until
/// ``stop()``.
package final class JobHeartbeat: @unchecked Sendable {
    /// The sidecar's name in the job folder.
    package static let fileName = "writer.json"
    /// Seconds between beats.
    package static let interval = 5.0
    /// Seconds without a beat after which a writer counts as lost (whatever host it is on).
    package static let lostAfter = 30.0

    private let directory: URL
    private let record: WriterRecord
    private let lock = NSLock()
    private var timer: (any DispatchSourceTimer)?  // guarded by lock

    /// Starts beating for the job folder `directory`.
    package init(directory: URL) {
        self.directory = directory
        record = WriterRecord(pid: getpid(), host: Self.localHost, started: Event.now(), beat: Event.now())
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now(), repeating: Self.interval, leeway: .milliseconds(200))
        timer.setEventHandler { [directory, record] in
            var r = record
            r.beat = Event.now()
            Self.write(r, into: directory)
        }
        self.timer = timer
        timer.resume()
    }

    /// Stops beating (the run's final status is in the log; the sidecar stays as the last proof of life).
    package func stop() {
        let timer = lock.withLock { () -> (any DispatchSourceTimer)? in
            defer { self.timer = nil }
            return self.timer
        }
        timer?.cancel()
    }

    deinit { timer?.cancel() }

    /// Writes `record` as the folder's sidecar, atomically (a temporary file renamed over it), so a reader
    /// never sees half of one.
    static func write(_ record: WriterRecord, into directory: URL) {
        writeAtomically(record.json.jsonText + "\n", to: directory.appendingPathComponent(fileName).path)
    }

    /// Writes `text` to `path` through a temporary file renamed over it (mode 0600), so a reader sees the
    /// old content or the new, never a part; `false` when it could not.
    @discardableResult
    package static func writeAtomically(_ text: String, to path: String) -> Bool {
        let temporary = path + ".\(getpid()).tmp"
        let bytes = Array(text.utf8)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        let written = bytes.withUnsafeBufferPointer { Foundation.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }

    /// Reads the sidecar of the job folder `directory`; `nil` when there is none or it cannot be read.
    package static func read(directory: URL) -> WriterRecord? {
        guard let data = readSmallFile(directory.appendingPathComponent(fileName).path, limit: 4096),
              let json = try? JSONParser.parse(data) else { return nil }
        return WriterRecord(json: json)
    }

    /// The bytes of a regular file of at most `limit` bytes; `nil` otherwise. Opened non-blocking and
    /// checked before reading, so a FIFO or device put in a job folder never blocks a reader.
    package static func readSmallFile(_ path: String, limit: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size <= limit else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        let count = bytes.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
        guard count >= 0 else { return nil }
        return Array(bytes.prefix(count))
    }

    /// The liveness of the writer of the job folder `directory` at `now`.
    package static func liveness(directory: URL, now: Double = Event.now()) -> WriterLiveness {
        guard let record = read(directory: directory) else { return .unknown }
        return record.liveness(now: now, localHost: localHost, processExists: processExists)
    }

    /// This machine's host name.
    package static let localHost: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// `true` while a process with this id exists (one we may not signal still exists).
    package static func processExists(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
