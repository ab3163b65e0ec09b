import Foundation
import Testing
@testable import SynapsePlugins

@Suite struct JobStoreTests {
    @Test func jobIDRules() {
        for good in ["3f0c1a2b-aaaa-bbbb-cccc-0123456789ab", "job_1", "a.b", "A-Z", String(repeating: "x", count: 128)] {
            #expect(JobID.isValid(good), "\(good) should be valid")
        }
        let bad = ["", "..", ".", ".hidden", "a/b", "a\\b", "../etc", "a..b", "a b", "a\u{0}b", "é", "a:b",
                   String(repeating: "x", count: 129), "~root", "$HOME"]
        for id in bad {
            #expect(!JobID.isValid(id), "\(id) should be refused")
        }
        #expect(JobID.isValid(JobID.generate()))
        do { try JobID.validate("a/b"); Issue.record("expected an error") } catch {
            #expect(error.description == "'a/b' is not a valid job id: it contains a path separator")
        }
    }

    @Test func createMakesPrivateFoldersAndTheLogIsPrivate() throws {
        let home = RT.temporaryFolder("store").appendingPathComponent("home")
        let store = JobStore(home: home)
        let log = try store.openLog(for: "job-1")
        log.record(Event(payload: .end))
        log.close()
        for path in [home.path, store.jobsDirectory.path, try store.directory(of: "job-1").path] {
            #expect(try mode(path) == 0o700, "\(path)")
        }
        #expect(try mode(try store.eventLog(of: "job-1").path) == 0o600)
        #expect(throws: JobStoreError.exists("job-1")) { try store.create("job-1") }
        #expect(throws: JobStoreError.self) { try store.create("../escape") }
    }

    func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as! NSNumber).intValue & 0o777
    }

    @Test func resolveByUniquePrefix() throws {
        let store = JobStore(home: RT.temporaryFolder("resolve"))
        for id in ["abc123", "abd456", "abc"] { _ = try store.create(id) }
        #expect(try store.resolve("abd") == "abd456")
        #expect(try store.resolve("abc") == "abc")  // exact wins over longer ids sharing the prefix
        #expect(try store.resolve("abc1") == "abc123")
        #expect(throws: JobStoreError.ambiguous("ab", matches: ["abc", "abc123", "abd456"])) { try store.resolve("ab") }
        #expect(throws: JobStoreError.unknown("zzz")) { try store.resolve("zzz") }
        #expect(throws: JobStoreError.unsafeID("../abc", reason: "it contains a path separator")) { try store.resolve("../abc") }
        do { _ = try store.resolve("ab"); Issue.record("expected an error") } catch {
            #expect(error.description.contains("matches 3 jobs"))
        }
    }

    @Test func defaultHomeIsDotSynapseUnlessSynapseHomeIsSet() {
        #expect(JobStore.fromEnvironment(["HOME": "/home/u"]).home.path == "/home/u/.synapse")
        #expect(JobStore.fromEnvironment(["HOME": "/home/u", "SYNAPSE_HOME": "/srv/s"]).jobsDirectory.path == "/srv/s/jobs")
    }

    @Test func listSummarizesJobsNewestFirst() throws {
        let store = JobStore(home: RT.temporaryFolder("list"))
        func write(_ id: String, _ events: [Event]) throws {
            let log = try store.openLog(for: id, flushInterval: 0)
            for e in events { log.record(e) }
            log.close()
        }
        try write("old", [
            Event(timestamp: 100, payload: .runStatus(RunStatusUpdate(status: .pending, action: "train", jobID: "old"))),
            Event(timestamp: 101, step: "training", payload: .progress(ProgressData(current: 50, total: 50, step: "training"))),
            Event(timestamp: 101.5, step: "validation", payload: .progress(ProgressData(current: 3, total: 3, step: "validation"))),
            Event(timestamp: 110, payload: .runStatus(RunStatusUpdate(status: .completed, action: "train"))),
        ])
        try write("new", [
            Event(timestamp: 200, payload: .runStatus(RunStatusUpdate(status: .running, action: "evaluate"))),
            Event(timestamp: 201, payload: .runStatus(RunStatusUpdate(status: .failed, action: "evaluate",
                                                                       error: RunError(type: "E", message: "m")))),
        ])
        _ = try store.create("empty")
        try FileManager.default.createDirectory(at: store.jobsDirectory.appendingPathComponent(".not-a-job"),
                                                withIntermediateDirectories: true)
        let jobs = store.list()
        #expect(jobs.map(\.id) == ["new", "old", "empty"])
        #expect(jobs[0].status == .failed && jobs[0].action == "evaluate" && jobs[0].error?.message == "m")
        #expect(jobs[0].duration() == 1)
        #expect(jobs[1].status == .completed && jobs[1].duration() == 10)
        #expect(jobs[1].progress?.step == "training")  // the main step, not the last one reported
        #expect(jobs[2].status == nil && jobs[2].started == nil)
    }

    @Test func summaryOfAHugeLogReadsHeadAndTail() throws {
        let store = JobStore(home: RT.temporaryFolder("huge"))
        let log = try store.openLog(for: "big")
        log.record(Event(timestamp: 1, payload: .runStatus(RunStatusUpdate(status: .running, action: "train"))))
        let filler = Event(timestamp: 2, step: "s", payload: .metrics(["x": .string(String(repeating: "y", count: 1000))]))
        for _ in 0..<6000 { log.record(filler) }  // ~6 MB, over the whole-file limit
        log.record(Event(timestamp: 3, step: "s", payload: .progress(ProgressData(current: 9, total: 10, step: "s"))))
        log.record(Event(timestamp: 4, payload: .runStatus(RunStatusUpdate(status: .completed, action: "train"))))
        log.close()
        let summary = try store.summary(of: "big")
        #expect(summary.action == "train" && summary.status == .completed && summary.progress?.current == 9)
        #expect(summary.duration() == 3)
    }
}
