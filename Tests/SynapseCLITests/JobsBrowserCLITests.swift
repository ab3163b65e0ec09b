import Foundation
import Testing
import SynapseDashboard
import SynapsePlugins
@testable import SynapseCLI

/// The jobs browser's shell: the catalog reads each log once and then only what was appended, remembers key
/// metrics, masks secrets; `jobs prune` is a dry run unless told; `synapse-tui` off a terminal prints `jobs`.
@Suite struct JobsBrowserCLITests {
    let cli = CLIProcess()

    func record(_ event: String, _ data: String, step: String? = nil, t: Double) -> String {
        #"{"v":1,"event":"\#(event)","timestamp":\#(t),"step":\#(step.map { "\"\($0)\"" } ?? "null"),"data":\#(data)}"# + "\n"
    }

    func append(_ text: String, to path: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    func makeJob(_ store: JobStore, _ id: String, _ text: String) throws -> String {
        let log = try store.create(id).path
        try text.write(toFile: log, atomically: false, encoding: .utf8)
        return log
    }

    @Test func aRefreshReadsOnlyWhatWasAppendedAndAFinishedJobComesFromItsSummary() throws {
        let store = JobStore(home: cli.home.appendingPathComponent("catalog"))
        let t = Event.now() - 10
        let head = record("run_status", #"{"status":"running","action":"train","job_id":"live","params":{"epochs":3,"api_key":"hunter2"}}"#, t: t)
            + record("metrics", #"{"epoch":1,"loss":0.9,"accuracy":0.5}"#, step: "training", t: t + 1)
        let log = try makeJob(store, "live", head)
        _ = try makeJob(store, "done", record("run_status", #"{"status":"running","action":"evaluate"}"#, t: t)
                        + record("metrics", #"{"mAP":0.7}"#, step: "evaluation", t: t + 1)
                        + record("run_status", #"{"status":"completed","action":"evaluate"}"#, t: t + 2))
        let catalog = JobCatalog(store: store)
        var rows = catalog.refresh()
        #expect(catalog.logsRead == 2)
        let live = try #require(rows.first { $0.id == "live" })
        #expect(live.metrics.map(\.name) == ["training/loss", "training/accuracy"])
        #expect(live.params?.contains("api_key=********") == true && live.params?.contains("hunter2") == false)

        // Nothing changed: no log is read.
        rows = catalog.refresh()
        #expect(catalog.logsRead == 0 && catalog.bytesRead == 0)

        // Appended records (one split mid-line): only those bytes are read.
        let more = record("metrics", #"{"epoch":2,"loss":0.4,"accuracy":0.8}"#, step: "training", t: t + 2)
        let cut = more.utf8.count / 2
        try append(String(more.prefix(cut)), to: log)
        rows = catalog.refresh()
        #expect(catalog.logsRead == 1 && catalog.bytesRead == cut)
        try append(String(more.dropFirst(cut)), to: log)
        rows = catalog.refresh()
        #expect(catalog.logsRead == 1 && catalog.bytesRead == more.utf8.count - cut)
        let loss = try #require(rows.first { $0.id == "live" }?.metrics.first)
        #expect(loss.last == 0.4 && loss.best == 0.4)
        let accuracy = try #require(rows.first { $0.id == "live" }?.metrics.last)
        #expect(accuracy.best == 0.8)

        try append(record("run_status", #"{"status":"completed","action":"train"}"#, t: t + 3), to: log)
        rows = catalog.refresh()
        #expect(rows.first { $0.id == "live" }?.status == "completed")

        // A new catalog (a new browser) reads the finished jobs' summary.json, not their logs.
        let fresh = JobCatalog(store: store)
        let again = fresh.refresh()
        #expect(fresh.logsRead == 1)  // "live" finished after its summary could be written; now written
        #expect(JobCatalog(store: store).refresh() == again)
        let third = JobCatalog(store: store)
        _ = third.refresh()
        #expect(third.logsRead == 0)
        #expect(again.first { $0.id == "done" }?.metrics == [JobRow.Metric(name: "evaluation/mAP", last: 0.7, best: 0.7)])

        // A truncated (rewritten) log is read again from its start.
        try (record("run_status", #"{"status":"running","action":"other"}"#, t: t + 5)).write(toFile: log, atomically: false, encoding: .utf8)
        rows = catalog.refresh()
        #expect(rows.first { $0.id == "live" }?.action == "other")

        // A deleted folder leaves the list.
        #expect(LocalJobLister(store: store).delete("done") == "Deleted job done")
        #expect(!catalog.refresh().contains { $0.id == "done" })
    }

    @Test func keyMetricsAreRememberedInSynapseHome() {
        let store = JobStore(home: cli.home.appendingPathComponent("prefs"))
        #expect(BrowserPreferences.keyMetrics(store).isEmpty)
        BrowserPreferences.save(["train": "training/accuracy", "evaluate": "evaluation/mAP"], store)
        #expect(BrowserPreferences.keyMetrics(store) == ["train": "training/accuracy", "evaluate": "evaluation/mAP"])
    }

    @Test func durationsForPrune() {
        #expect(PruneCommand.seconds("90s") == 90)
        #expect(PruneCommand.seconds("1d12h") == 129_600)
        #expect(PruneCommand.seconds("2w") == 1_209_600)
        for bad in ["", "7", "d", "1x", "-1d", "1e400d", "1d7"] { #expect(PruneCommand.seconds(bad) == nil, "\(bad)") }
    }

    @Test func pruneIsADryRunUnlessToldAndNeverTouchesARunningJob() async throws {
        let store = JobStore(home: cli.home)
        let old = Event.now() - 10 * 86_400
        _ = try makeJob(store, "old-done", record("run_status", #"{"status":"running","action":"train"}"#, t: old)
                        + record("run_status", #"{"status":"completed","action":"train"}"#, t: old + 5))
        _ = try makeJob(store, "old-running", record("run_status", #"{"status":"running","action":"train"}"#, t: old))
        try #"{"pid":\#(getpid()),"host":"\#(JobHeartbeat.localHost)","started":\#(old),"beat":\#(Event.now())}"#
            .write(to: try store.directory(of: "old-running").appendingPathComponent("writer.json"), atomically: true, encoding: .utf8)
        _ = try makeJob(store, "new-done", record("run_status", #"{"status":"running","action":"train"}"#, t: Event.now() - 60)
                        + record("run_status", #"{"status":"failed","action":"train"}"#, t: Event.now() - 50))
        let dry = try await cli.run(["jobs", "prune", "--older-than", "7d"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("would delete  old-done  train  completed"), "\(dry.stdout)")
        #expect(!dry.stdout.contains("old-running") && !dry.stdout.contains("new-done"))
        #expect(dry.stdout.contains("Nothing was deleted: add --delete"))
        #expect(FileManager.default.fileExists(atPath: try store.directory(of: "old-done").path))
        let real = try await cli.run(["jobs", "prune", "--older-than", "7d", "--delete"])
        #expect(real.status == 0 && real.stdout.contains("deleted  old-done"), "\(real.stdout)\(real.stderr)")
        #expect(!FileManager.default.fileExists(atPath: try store.directory(of: "old-done").path))
        #expect(Set(store.ids()) == ["old-running", "new-done"])
        let bad = try await cli.run(["jobs", "prune", "--older-than", "soon"])
        #expect(bad.status == 64 && bad.stderr.contains("not a duration"), "\(bad.status) \(bad.stderr)")
    }

    @Test func offATerminalNoArgumentsPrintsJobsAndTheHelpHint() async throws {
        let store = JobStore(home: cli.home)
        _ = try makeJob(store, "listed-job", record("run_status", #"{"status":"completed","action":"train"}"#, t: Event.now()))
        let plain = try await cli.run([])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.hasPrefix("JOB ID"), "\(plain.stdout)")
        #expect(plain.stdout.contains("listed-j"))
        #expect(plain.stdout.contains("Run 'synapse-tui --help' for the commands"))
        // attach without a job off a terminal still asks for one.
        let attach = try await cli.run(["attach"])
        #expect(attach.status != 0 && attach.stderr.contains("Give one of: a job id"), "\(attach.stderr)")
    }
}
