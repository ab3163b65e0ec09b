import ArgumentParser
import Foundation
import SynapsePlugins

/// `synapse-tui jobs`: the jobs on this machine, newest first.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List jobs (id, action, status, progress, started, duration), newest first.",
        discussion: "Jobs are the folders of $SYNAPSE_HOME/jobs (default ~/.synapse/jobs). On a terminal, `synapse-tui` alone opens them in the jobs browser.",
        subcommands: [PruneCommand.self])

    @Option(help: "Show at most this many jobs.")
    var limit: Int?

    @Flag(help: "One JSON object per job instead of a table.")
    var json = false

    @Flag(help: "Full job ids, whole actions and full start dates (the table is then wider than 80 columns).")
    var wide = false

    @OptionGroup var ray: RayOptions

    func run() async throws {
        if ray.isSet { return try await RayCLI.listJobs(ray, json: json, limit: limit) }
        let store = JobStore.fromEnvironment()
        let listing = JobOverview.listing(store)
        for (id, reason) in listing.skipped { Console.error("skipped job \(id): \(reason)") }
        var jobs = listing.jobs
        if let limit { jobs = Array(jobs.prefix(max(0, limit))) }
        if json {
            for job in jobs { Console.out(Console.json(JobsTable.json(job))) }
            return
        }
        if jobs.isEmpty {
            Console.out("No jobs in \(store.jobsDirectory.path)")
            return
        }
        for line in wide ? JobsTable.lines(jobs) : JobsTable.narrowLines(jobs, width: JobsTable.terminalWidth) { Console.out(line) }
    }
}

/// Formats job summaries for `jobs`.
enum JobsTable {
    /// Columns padded to their widest cell (in terminal columns), two spaces apart, the last one unpadded:
    /// the one table layout of `jobs` and `jobs --ray`.
    static func aligned(header: [String], rows: [[String]]) -> [String] {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(cell)) } }
        return ([header] + rows).map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - DisplayWidth.of(cell))
            }.joined(separator: "  ")
        }
    }

    static func lines(_ jobs: [JobOverview], now: Double = Event.now()) -> [String] {
        let header = ["JOB ID", "ACTION", "STATUS", "PROGRESS", "STARTED", "DURATION"]
        let rows = jobs.map { job in
            [job.id, SafeText.line(job.action ?? "-"), status(job), progress(job),
             job.started.map(started) ?? "-", job.duration(now: now).map(duration) ?? "-"]
        }
        return JobsTable.aligned(header: header, rows: rows)
    }

    /// The table in `width` columns (80 when not a terminal): ids cut to their shortest unique prefix of at least
    /// 8 characters (what `show`, `attach` and `export` accept), the start without the year, and the action cut to
    /// the room left (`--wide` shows everything).
    static func narrowLines(_ jobs: [JobOverview], width: Int = 80, now: Double = Event.now()) -> [String] {
        let header = ["JOB ID", "ACTION", "STATUS", "PROGRESS", "STARTED", "DURATION"]
        let ids = shortIDs(jobs.map(\.id))
        var rows = zip(jobs, ids).map { job, id in
            [id, SafeText.line(job.action ?? "-"), status(job), progress(job),
             job.started.map { String(started($0).dropFirst(5).prefix(11)) } ?? "-", job.duration(now: now).map(duration) ?? "-"]
        }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(cell)) } }
        let others = widths.enumerated().filter { $0.offset != 1 }.reduce(0) { $0 + $1.element } + 2 * (header.count - 1)
        let room = max(10, width - others)
        for i in rows.indices where DisplayWidth.of(rows[i][1]) > room {
            rows[i][1] = truncate(rows[i][1], toWidth: room)
        }
        return aligned(header: header, rows: rows)
    }

    /// `text` cut to `width` columns, ending in `…` when cut.
    static func truncate(_ text: String, toWidth width: Int) -> String {
        var out = "", used = 0
        for ch in text {
            let w = DisplayWidth.of(ch)
            if used + w > width - 1 { break }
            out.append(ch)
            used += w
        }
        return out + "…"
    }

    /// Each id cut to the shortest prefix of at least 8 characters that no other listed id starts with.
    static func shortIDs(_ ids: [String]) -> [String] {
        ids.map { id in
            guard id.count > 8 else { return id }
            var n = 8
            while n < id.count, ids.contains(where: { $0 != id && $0.hasPrefix(id.prefix(n)) }) { n += 1 }
            return String(id.prefix(n))
        }
    }

    /// The terminal's width when standard output is one, else 80.
    static var terminalWidth: Int {
        var w = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &w) == 0, w.ws_col >= 40 { return Int(w.ws_col) }
        return 80
    }

    /// `lost (no writer since 12:03:41)` for a lost job, else the status word.
    static func status(_ job: JobOverview) -> String {
        guard let since = job.lostSince else { return job.statusWord }
        return "lost (no writer since \(clock(since)))"
    }

    /// The figure `show` shows (as a whole percent, cut down, never rounded up to 100) and the main step's counts;
    /// with no overall figure (nothing declared weights), the current step's own percent and the steps done:
    /// `training 45%, 1 done`.
    static func progress(_ job: JobOverview) -> String {
        guard let fraction = job.fraction else {
            guard let done = job.stepsDone else { return "-" }
            guard let step = job.step else { return "\(done) done" }
            var text = SafeText.line(step)
            if DisplayWidth.of(text) > 12 { text = truncate(text, toWidth: 12) }
            if let f = job.stepFraction { text += " \(Int(saturating: (f * 100).rounded(.down)))%" }
            return done > 0 ? text + ", \(done) done" : text
        }
        var text = "\(Int(saturating: (fraction * 100).rounded(.down)))%"
        if let current = job.current, let total = job.total { text += " \(current)/\(total)" }
        return text
    }

    static func clock(_ timestamp: Double) -> String {
        guard timestamp.isFinite, abs(timestamp) < 1e15 else { return "--:--:--" }
        var t = time_t(timestamp)
        var parts = tm()
        localtime_r(&t, &parts)
        return String(format: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    static func started(_ timestamp: Double) -> String {
        // A record's timestamp can be anything (1e19); past ±1e15 s no date means anything.
        guard timestamp.isFinite, abs(timestamp) < 1e15 else { return "-" }
        var t = time_t(timestamp)
        var parts = tm()
        localtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "-" }
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let s = Int(saturating: seconds)
        if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
    }

    static func json(_ job: JobOverview, now: Double = Event.now()) -> JSONValue {
        var o: JSONObject = ["id": .string(job.id)]
        o["action"] = job.action.map(JSONValue.string) ?? .null
        o["status"] = job.lostSince == nil ? job.status.map { .string($0.rawValue) } ?? .null : .string("lost")
        if let since = job.lostSince { o["lost_since"] = .double(since) }
        if let fraction = job.fraction {
            var p: JSONObject = ["percent": .double((fraction * 10_000).rounded(.down) / 100)]
            if let current = job.current, let total = job.total {
                p["current"] = .int(current)
                p["total"] = .int(total)
            }
            o["progress"] = .object(p)
        } else if let done = job.stepsDone {
            // No overall percent is known: the steps done and the current step, never a made-up figure.
            var p: JSONObject = ["steps_done": .int(done)]
            if let step = job.step { p["step"] = .string(step) }
            if let f = job.stepFraction { p["step_percent"] = .double((f * 10_000).rounded(.down) / 100) }
            o["progress"] = .object(p)
        } else {
            o["progress"] = .null
        }
        o["started"] = job.started.map(JSONValue.double) ?? .null
        o["duration"] = job.duration(now: now).map(JSONValue.double) ?? .null
        if let error = job.error { o["error"] = ["type": .string(error.type), "message": .string(error.message)] }
        return .object(o)
    }
}
