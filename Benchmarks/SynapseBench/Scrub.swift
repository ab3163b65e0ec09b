import Foundation
import SynapseDashboard
import SynapsePlugins

/// `synapse-bench scrub [--events N] [--moves M] [--dir DIR]` (issue #21): the time cursor on an N-event log.
/// Builds the checkpointed timeline once, then moves the cursor in 1 % steps back and forth (M moves),
/// each move = the state at the cursor plus one 200x50 frame of it, and reports the time per move.
func scrubFigure() throws {
    let n = Int(option("--events", "1000000")) ?? 1_000_000
    let moves = Int(option("--moves", "200")) ?? 200
    let path = try logFile(events: n, dir: option("--dir", ".build/bench"))
    var events: [Event] = []
    events.reserveCapacity(n)
    _ = try ingest(path: path) { events.append($0) }
    let rss0 = peakRSS()
    let t0 = now()
    let timeline = RunTimeline(events: events)
    let build = now() - t0
    let size = Size(width: 200, height: 50)
    var times: [Double] = []
    var sink = 0
    for i in 0..<moves {
        // 99 %, 98 %, ... 0 %, 1 %, ... back and forth from the end, as a user holding the key would.
        let position = abs((i + 1) % 200 - 100)
        let target = events.count * position / 100
        let m0 = now()
        let state = timeline.state(after: target)
        sink &+= DashboardRenderer.render(state, ui: UIState(), size: size).width
        times.append(now() - m0)
    }
    if sink == 42 { log("") }
    times.sort()
    report("scrub \(n) events", "build \(seconds(build)) (\(events.count / timeline.interval + 1) checkpoints, peak RSS \(peakRSS() / 1_048_576) MiB, \(rss0 / 1_048_576) MiB before); per 1% move incl. a 200x50 frame: median \(seconds(median(times))), p99 \(seconds(percentile(times, 0.99))), max \(seconds(times.last ?? 0)) over \(moves) moves (goal ≤ 100 ms)")
}
