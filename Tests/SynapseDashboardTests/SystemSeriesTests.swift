import Foundation
import Testing
import SynapsePlugins
@testable import SynapseDashboard

@Suite struct SystemSeriesTests {
    static func line(_ t: Double, cpu: Double?, rss: Int, gpus: String = "") -> String {
        let cpuText = cpu.map { #","cpu_percent":\#($0),"read_rate":100,"write_rate":50"# } ?? ""
        return #"{"v":1,"event":"system","timestamp":\#(t),"data":{"processes":2,"cpu_cores":2\#(cpuText),"rss_bytes":\#(rss),"threads":4,"open_files":9,"host_memory_total":8589934592,"host_memory_available":4294967296,"load1":0.5\#(gpus)}}"#
    }

    static let log = [
        line(100, cpu: nil, rss: 1 << 20),
        line(101, cpu: 50, rss: 200 << 20),
        #"{"v":1,"event":"prediction","timestamp":101.5,"data":{"class":"cat"}}"#,
        line(102, cpu: 99.5, rss: 150 << 20,
             gpus: #","gpus":[{"index":0,"name":"T4","utilization":40,"memory_used":1048576},{"index":1,"name":"T4","utilization":60}]"#),
        #"{"v":1,"event":"system","timestamp":103,"data":"not an object"}"#,
    ].joined(separator: "\n") + "\n"

    @Test func reducesSamplesNotIntoTheEventsPane() throws {
        var state = DashboardState()
        var decoder = EventLogDecoder()
        state.apply(decoder.feed(Array(Self.log.utf8)))
        #expect(state.system.sampleCount == 3)
        #expect(state.system.latest?.rssBytes == 150 << 20)
        #expect(state.system.peakRSS == 200 << 20)
        #expect(state.system.peakCPU == 99.5)
        #expect(state.system.history(.cpu).sampleCount == 2)
        #expect(state.system.history(.memory).sampleCount == 3)
        #expect(state.system.history(.io).last == 150)
        #expect(state.system.history(.gpu).last == 50)
        #expect(state.system.history(.gpuMemory).last == 1_048_576)
        #expect(state.system.hasGPU)
        // Only the prediction and the unreadable-shaped system record (kept as a custom event) are events.
        #expect(state.customEvents.count == 2)
        #expect(state.customEvents.elements.map(\.name) == ["prediction", "system"])
    }

    @Test func blocksGiveTheSameStateAsEvents() throws {
        var byEvents = DashboardState()
        var decoder = EventLogDecoder()
        byEvents.apply(decoder.feed(Array(Self.log.utf8)))
        var byBlocks = DashboardState()
        Array(Self.log.utf8).withUnsafeBufferPointer { _ = byBlocks.ingest(lines: $0, firstLine: 1) }
        #expect(byBlocks == byEvents)
        #expect(byBlocks.system.sampleCount == 3)
    }

    @Test func historyStaysBoundedOverALongRun() {
        var series = SystemSeries()
        var sample = SystemSample()
        for i in 0..<100_000 {
            sample.cpuPercent = Double(i % 100)
            sample.rssBytes = i
            series.add(sample, time: Double(i))
        }
        #expect(series.sampleCount == 100_000)
        #expect(series.history(.cpu).bucketCount <= MetricSeries.bucketCapacity)
        #expect(series.history(.memory).max == 99_999)
        #expect(!series.hasGPU)
    }
}
