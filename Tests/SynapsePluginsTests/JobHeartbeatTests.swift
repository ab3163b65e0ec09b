import Foundation
import Testing
@testable import SynapsePlugins

@Suite struct JobHeartbeatTests {
    let record = WriterRecord(pid: 4242, host: "here", started: 100, beat: 200)

    @Test func lostWhenTheProcessIsGoneOnThisHost() {
        #expect(record.liveness(now: 201, localHost: "here", processExists: { _ in false }) == .lost(since: 200))
        #expect(record.liveness(now: 201, localHost: "here", processExists: { _ in true }) == .alive)
    }

    @Test func lostAfterThirtySecondsWithoutABeatElsewhere() {
        // Another host: its pids mean nothing here.
        #expect(record.liveness(now: 229, localHost: "there", processExists: { _ in false }) == .alive)
        #expect(record.liveness(now: 231, localHost: "there", processExists: { _ in true }) == .lost(since: 200))
    }

    @Test func theSidecarRoundTripsAndRejectsNonsense() throws {
        #expect(WriterRecord(json: record.json) == record)
        for bad in [#"{"pid":"x","host":"h","started":1,"beat":1}"#, #"{"pid":0,"host":"h","started":1,"beat":1}"#,
                    #"{"host":"h","started":1,"beat":1}"#, "[]", #"{"pid":1e20,"host":"h","started":1,"beat":1}"#] {
            #expect(WriterRecord(json: try JSONParser.parse(bad)) == nil, "\(bad)")
        }
    }

    @Test func aHeartbeatWritesThisProcessAtOnce() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hb-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(JobHeartbeat.liveness(directory: folder) == .unknown)
        let heartbeat = JobHeartbeat(directory: folder)
        defer { heartbeat.stop() }
        let deadline = Date().addingTimeInterval(10)
        while JobHeartbeat.read(directory: folder) == nil, Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        let written = try #require(JobHeartbeat.read(directory: folder))
        #expect(written.pid == getpid() && written.host == JobHeartbeat.localHost)
        #expect(JobHeartbeat.liveness(directory: folder) == .alive)
    }
}
