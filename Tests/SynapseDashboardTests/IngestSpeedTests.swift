import Foundation
import Testing
import SynapsePlugins
@testable import SynapseDashboard

/// Reducer throughput, for a release build: `SYNAPSE_PERF=1 swift test -c release --filter IngestSpeedTests`.
/// (The benchmark harness measures the whole ingest path; this isolates `apply`.)
/// CPU time of this thread: the machine may be busy, and wall time would measure the neighbours.
func cpuNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

@Suite(.enabled(if: ProcessInfo.processInfo.environment["SYNAPSE_PERF"] == "1"))
struct IngestSpeedTests {
    @Test func applyThroughput() {
        var events: [Event] = []
        for i in 0..<1_000_000 {
            let t = 1_764_000_000 + Double(i) / 1000
            switch i % 10 {
            case 0, 1, 2: events.append(Event(timestamp: t, step: "training", payload: .progress(ProgressData(current: i, total: 1_000_000, elapsed: 1))))
            case 3, 4: events.append(Event(timestamp: t, step: "training", payload: .metrics(["loss": .double(1 / Double(i + 1)), "accuracy": 0.5])))
            case 5, 6: events.append(Event(timestamp: t, level: .info, payload: .message(Message(content: "message number"))))
            case 7: events.append(Event(timestamp: t, payload: .devEvent(DevEvent(message: "dev", data: ["k": 1]))))
            case 8: events.append(Event(timestamp: t, file: "/f", payload: .custom(name: "checkpoint", data: ["e": 1])))
            default: events.append(Event(timestamp: t, payload: .output(OutputLine(text: "line"))))
            }
        }
        var state = DashboardState()
        let start = cpuNow()
        for _ in 0..<5 { for e in events { state.apply(e) } }
        let seconds = cpuNow() - start
        let rate = 5_000_000 / seconds
        print("apply: \(Int(rate)) events/s (thread CPU time)")
        // Per kind, to see which one is slow.
        for kind in 0..<10 {
            let subset = events.enumerated().filter { $0.offset % 10 == kind }.map(\.element)
            var s = DashboardState()
            let t0 = cpuNow()
            for _ in 0..<5 { for e in subset { s.apply(e) } }
            print("  \(subset[0].name): \(Int(Double(subset.count * 5) / (cpuNow() - t0))) events/s")
        }
        #expect(rate > 5_000_000)
    }
}
