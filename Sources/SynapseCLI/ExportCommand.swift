import ArgumentParser
import Foundation
import SynapseDashboard
import SynapsePlugins

/// `synapse-tui export`: a report of one run or a comparison of several, as HTML, Markdown, CSV or JSON.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export runs as a report: html (self-contained page with charts), md, csv (metric series) or json.",
        discussion: """
            Params whose names contain key, token, secret or password are masked; nothing is read from the \
            environment. The formats and the JSON keys are described in docs/export.md.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case html, md, csv, json
    }

    @Argument(help: "Job ids or unique prefixes of them.")
    var jobs: [String] = []

    @Option(name: .long, help: "An event-log file to export (repeatable).")
    var file: [String] = []

    @Option(name: .long, help: "The captured console output of an unmodified synapse-sdk run (repeatable).")
    var console: [String] = []

    @Option(name: .long, help: "html, md, csv or json.")
    var format: Format

    @Option(name: [.short, .customLong("output")], help: "Write to this file instead of standard output.")
    var output: String?

    func validate() throws {
        if jobs.isEmpty && file.isEmpty && console.isEmpty {
            throw ValidationError("Give at least one job id, --file PATH or --console PATH.")
        }
        if console.contains("-") && console.count + file.count + jobs.count > 1 {
            throw ValidationError("--console - (standard input) can only be exported on its own.")
        }
    }

    func run() throws {
        let sources = try EventLogReading.sources(jobs: jobs, files: file, consoles: console)
        var out = try ExportOutput(path: output)
        var recordings: [RunRecording] = []
        var summaries: [ExportSummary] = []
        if format == .csv { try out.write(CSVExport.header) }
        for (index, source) in sources.enumerated() {
            var recording = RunRecording(run: source.label)
            var rows = ""
            var failure: Error?
            try EventLogReading.forEach(source, event: { event in
                if format == .csv {
                    recording.apply(event) { rows += CSVExport.row(run: source.label, $0) }
                    if rows.utf8.count > 1 << 20 {
                        do { try out.write(rows) } catch { failure = error; return false }
                        rows = ""
                    }
                } else {
                    recording.apply(event)
                }
                return true
            }, unreadable: { recording.apply(unreadable: $0) })
            if let failure { throw failure }
            if format == .csv {
                try out.write(rows)
                continue
            }
            // What `show` knows beside the log: the writer's host, and whether it is gone (never logged).
            var host: String?, lostSince: Double?
            if source.format == .eventLog {
                let folder = URL(fileURLWithPath: source.path).deletingLastPathComponent()
                host = JobHeartbeat.read(directory: folder)?.host
                if recording.state.run.status?.isFinal != true {
                    lostSince = LivenessProbe(directory: folder).liveness().lostSince
                }
            }
            var summary = ExportSummary(recording, lostSince: lostSince, host: host)
            // A job's folder is named by its id, for a log that never said it (as `show` does).
            if summary.summary.jobID == nil, index < jobs.count { summary.summary.jobID = source.label }
            recordings.append(recording)
            summaries.append(summary)
        }
        switch format {
        case .csv: break
        case .json: try out.write(JSONExport.document(summaries))
        case .md: try out.write(MarkdownExport.document(summaries))
        case .html: try out.write(HTMLExport.document(recordings, summaries: summaries))
        }
        try out.finish()
    }
}

/// Where an export goes: standard output, or a file written beside its final name and renamed into place
/// when complete (a failed export never leaves half a report under the name asked for).
struct ExportOutput {
    private let fd: Int32
    private let path: String?
    private let temporary: String?

    init(path: String?) throws {
        self.path = path
        guard let path else {
            fd = STDOUT_FILENO
            temporary = nil
            return
        }
        let temp = path + ".tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw LogSourceError(description: "cannot write \(path): \(String(cString: strerror(errno)))") }
        self.fd = fd
        temporary = temp
    }

    mutating func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    let reason = String(cString: strerror(errno))
                    if let temporary { unlink(temporary) }
                    throw LogSourceError(description: "cannot write \(path ?? "standard output"): \(reason)")
                }
                offset += n
            }
        }
    }

    func finish() throws {
        guard let path, let temporary else { return }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw LogSourceError(description: "cannot write \(path): \(reason)")
        }
    }
}
