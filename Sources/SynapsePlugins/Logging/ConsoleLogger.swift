import Foundation

/// Prints a run as readable lines, for headless runs, CI and pipes.
///
/// ```text
/// 12:00:01 ── train running  job 3f0c1a2b-…
/// 12:00:01 INFO Starting training...
/// 12:00:02 training  [#########-----------]  45%  45/100  eta 1.2s
/// 12:00:02 training  epoch=45 loss=0.41 learning_rate=0.001
/// 12:00:04 OK   Training completed!
/// 12:00:04 ✔ train completed
/// ```
///
/// Coloured on a terminal, plain when piped, never coloured under `NO_COLOR`. All event text passes
/// through ``SafeText`` so an escape sequence in a message cannot drive the terminal. Progress and metrics
/// lines are throttled per step (at most one a second, plus the first and the last), so a run that
/// reports thousands of updates prints a readable log; the latest metrics of each step are printed at
/// ``flush()`` (the end of the run). Dev events are shown only when ``showDevEvents`` is on (`--debug`).
public final class ConsoleLogger: PluginLogger, @unchecked Sendable {
    /// The file descriptor lines are written to.
    public let fd: Int32
    /// Whether dev events are printed.
    public let showDevEvents: Bool
    /// Minimum seconds between two progress (or metrics) lines of one step.
    public let throttle: Double

    private let style: ConsoleStyle
    private let lock = NSLock()
    // Guarded by lock.
    private var lastProgress: [String: UInt64] = [:]
    private var lastMetrics: [String: UInt64] = [:]
    private var pendingMetrics: [String: Event] = [:]
    private var pendingOrder: [String] = []
    private var pendingProgress: [String: Event] = [:]
    private var pendingProgressOrder: [String] = []
    private var failedWrites = 0  // guarded by lock

    /// - Parameters:
    ///   - fd: where to write (standard error by default, keeping standard output for the result).
    ///   - colors: `.auto` colours only a terminal without `NO_COLOR`.
    ///   - showDevEvents: print dev events too.
    ///   - throttle: seconds between progress/metrics lines of one step.
    public init(fd: Int32 = STDERR_FILENO, colors: ConsoleColors = .auto, showDevEvents: Bool = false,
                throttle: Double = 1.0) {
        self.fd = fd
        self.showDevEvents = showDevEvents
        self.throttle = throttle
        self.style = ConsoleStyle(colored: colors.enabled(fd: fd))
    }

    /// Records one event.
    public func record(_ event: Event) {
        lock.lock()
        defer { lock.unlock() }
        guard let line = lineLocked(for: event) else { return }
        emitLocked(line, timestamp: event.timestamp)
    }

    /// Writes out whatever is buffered.
    public func flush() {
        lock.lock()
        defer { lock.unlock() }
        printPendingLocked()
    }

    /// Prints the latest throttled progress and metrics of every step (at the end of the run).
    private func printPendingLocked() {
        for step in pendingProgressOrder {
            if let event = pendingProgress[step], case .progress(let p) = event.payload {
                emitLocked(progressLine(p, step: event.step), timestamp: event.timestamp)
            }
        }
        pendingProgress.removeAll()
        pendingProgressOrder.removeAll()
        for step in pendingOrder {
            if let event = pendingMetrics[step] { emitLocked(metricsLine(event), timestamp: event.timestamp) }
        }
        pendingMetrics.removeAll()
        pendingOrder.removeAll()
    }

    // MARK: Formatting

    private func lineLocked(for event: Event) -> String? {
        let s = style
        switch event.payload {
        case .runStatus(let u):
            let name = safe(u.action ?? "run")
            switch u.status {
            case .pending: return nil
            case .running: return "\(s.dim)──\(s.reset) \(s.bold)\(name)\(s.reset) running  \(s.dim)job \(safe(u.jobID ?? "?"))\(s.reset)"
            case .completed: return "\(s.green)✔ \(name) completed\(s.reset)"
            case .failed: return "\(s.red)✘ \(name) failed\(s.reset)"
            case .cancelled: return "\(s.yellow)■ \(name) cancelled\(s.reset)"
            }
        case .actionStatus(let u):
            guard u.status != .pending else { return nil }
            if u.status.isFinal { printPendingLocked() }
            let position = "[\(u.index + 1)/\(u.total.map(String.init) ?? "?")]"
            let colour = u.status == .completed ? s.green : u.status == .failed ? s.red : u.status == .skipped ? s.dim : s.cyan
            let error = u.error.map { ": " + safe($0.description) } ?? ""
            return "\(s.dim)──\(s.reset) \(position) \(safe(u.action)) \(colour)\(u.status.rawValue)\(error)\(s.reset)"
        case .progress(let p):
            let key = event.step ?? ""
            let now = MonotonicClock.nanoseconds()
            if let last = lastProgress[key], Double(now &- last) / 1e9 < throttle {
                // Keep the latest; it is printed at the end if nothing newer was.
                if pendingProgress[key] == nil { pendingProgressOrder.append(key) }
                pendingProgress[key] = event
                return nil
            }
            lastProgress[key] = now
            if pendingProgress.removeValue(forKey: key) != nil { pendingProgressOrder.removeAll { $0 == key } }
            return progressLine(p, step: event.step)
        case .metrics:
            let key = event.step ?? ""
            let now = MonotonicClock.nanoseconds()
            if let last = lastMetrics[key], Double(now &- last) / 1e9 < throttle {
                if pendingMetrics[key] == nil { pendingOrder.append(key) }
                pendingMetrics[key] = event
                return nil
            }
            lastMetrics[key] = now
            if pendingMetrics.removeValue(forKey: key) != nil { pendingOrder.removeAll { $0 == key } }
            return metricsLine(event)
        case .message(let m):
            let level = event.level ?? .info
            return "\(s.level(level))\(level.tag)\(s.reset) \(block(m.content))"
        case .devEvent(let d):
            guard showDevEvents else { return nil }
            let data = d.data.map { " " + safe($0.jsonText) } ?? ""
            return "\(s.dim)\(LogLevel.debug.tag) \(safe(d.message))\(data)\(s.reset)"
        case .metric(let m):
            let key = m.key.map { " key=\(safe($0))" } ?? ""
            return "\(s.magenta)[metric]\(s.reset) category=\(safe(m.category))\(key) value=\(safe(m.value.jsonText)) \(safe(JSONValue.object(m.metrics).jsonText))"
        case .output(let o):
            return "\(o.stream == .stderr ? s.yellow : s.dim)│\(s.reset) \(safe(o.text))"
        case .end:
            // The action is done: show where every step ended before the final status line.
            printPendingLocked()
            return nil
        case .custom(let name, _) where name == SystemSample.eventName:
            // Once a second, for the dashboard and the log; a console line each time would bury the run's own.
            return nil
        case .custom(let name, let data):
            let file = event.file.map { " \(s.dim)file=\(safe($0))\(s.reset)" } ?? ""
            return "\(s.cyan)\(safe(name))\(s.reset) \(safe(data.jsonText))\(file)"
        }
    }

    private func progressLine(_ p: ProgressData, step: String?) -> String {
        let width = 20
        let filled = Int((p.fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let percent = String(format: "%3.0f%%", p.percent)
        let eta = p.current >= p.total ? "" : p.timeRemaining.map { "  eta \(Self.duration($0))" } ?? ""
        let counts = p.percentOnly ? "" : "  \(p.current)/\(p.total)"  // a percentage has no counts
        return "\(style.cyan)\(safe(step ?? "progress"))\(style.reset)  [\(bar)] \(percent)\(counts)\(eta)"
    }

    private func metricsLine(_ event: Event) -> String {
        guard case .metrics(let m) = event.payload else { return "" }
        let pairs = m.map { key, value in "\(safe(key))=\(safe(Self.compact(value)))" }.joined(separator: " ")
        return "\(style.magenta)\(safe(event.step ?? "metrics"))\(style.reset)  \(pairs)"
    }

    private func emitLocked(_ line: String, timestamp: Double) {
        var text = "\(style.dim)\(Self.clock(timestamp))\(style.reset) \(line)\n"
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failedWrites += 1
                    return
                }
                offset += n
            }
        }
    }

    /// `true` when a line could not be written (`/dev/full`, EIO, a closed pipe): what the run printed
    /// is lost, and the command's exit status says so.
    public var writeFailed: Bool { lock.withLock { failedWrites > 0 } }

    private func safe(_ text: String) -> String { SafeText.line(text) }

    /// Multi-line text (a validation error) as safe lines, continuation lines indented under the first.
    private func block(_ text: String) -> String {
        SafeText.lines(text).joined(separator: "\n" + String(repeating: " ", count: 14))
    }

    /// Numbers shortened for reading (`0.41234567` -> `0.4123`); other values as JSON.
    static func compact(_ value: JSONValue) -> String {
        if case .double(let d) = value, d.isFinite, d != d.rounded() {
            return String(format: "%.4g", d)
        }
        return value.stringValue ?? value.jsonText
    }

    /// `HH:MM:SS` in local time.
    static func clock(_ timestamp: Double) -> String {
        var t = time_t(timestamp)
        var parts = tm()
        localtime_r(&t, &parts)
        return String(format: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    /// `1.2s`, `3m04s`, `2h05m`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let s = Int(seconds)
        if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
    }
}
