import Foundation
import SynapseDashboard
import SynapsePlugins

/// `synapse-bench scrub [--events N] [--moves M] [--grow G] [--dir DIR]` (issue #21): the time cursor on an
/// N-event log, as `attach` has it: the timeline reads the log and holds only checkpoints.
/// 1. Builds it (reading the whole log once) and reports the time and the peak RSS it added.
/// 2. Moves the cursor in 1 % steps of the run's time back and forth (M moves), each move = the state at
///    the cursor (a checkpoint restored + the log read again up to the cursor) plus one 200x50 frame.
/// 3. A live run: the log's first 99 % then G appends of 0.1 % each, a move after each (extend + state +
///    frame), against what the cursor did before (read the whole log into events and build again).
func scrubFigure() throws {
    let n = Int(option("--events", "1000000")) ?? 1_000_000
    let moves = Int(option("--moves", "200")) ?? 200
    let grows = Int(option("--grow", "10")) ?? 10
    let dir = option("--dir", ".build/bench")
    let path = try logFile(events: n, dir: dir)
    let rss0 = peakRSS()
    let t0 = now()
    var timeline = RunTimeline(origin: .log(path: path))
    timeline.catchUp()
    let build = now() - t0
    let rssBuilt = peakRSS()
    let final = timeline.state(after: timeline.count)
    guard let span = TimeTravel.span(of: final) else { throw BenchError("the log has no span") }
    let size = Size(width: 200, height: 50)
    var times: [Double] = []
    var sink = 0
    func time(_ percent: Int) -> Double { span.lowerBound + (span.upperBound - span.lowerBound) * Double(percent) / 100 }
    for i in 0..<moves {
        // 99 %, 98 %, ... 0 %, 1 %, ... back and forth from the end, as a user holding the key would.
        let position = abs((i + 1) % 200 - 100)
        let m0 = now()
        let state = timeline.state(at: time(position))
        sink &+= DashboardRenderer.render(state, ui: UIState(), size: size).width
        times.append(now() - m0)
    }
    times.sort()
    let rssMoved = peakRSS()
    report("scrub \(n) events", "build \(seconds(build)) (\(timeline.count) records, \(timeline.checkpointCount) checkpoints every \(timeline.interval)), peak RSS \(rssBuilt / 1_048_576) MiB (\(rss0 / 1_048_576) MiB before, \(rssMoved / 1_048_576) MiB after the moves); per 1% move incl. a 200x50 frame: median \(seconds(median(times))), p99 \(seconds(percentile(times, 0.99))), max \(seconds(times.last ?? 0)) over \(moves) moves (goal ≤ 100 ms)")

    // A live run: the log grows between moves.
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    let cuts = (0...grows).map { g -> Int in
        let target = bytes.count * (990 + g) / 1000
        guard g < grows, let nl = bytes[target...].firstIndex(of: 0x0A) else { return bytes.count }
        return nl + 1
    }
    let growing = "\(dir)/scrub-growing-\(getpid()).jsonl"
    defer { try? FileManager.default.removeItem(atPath: growing) }
    try bytes[..<cuts[0]].write(to: URL(fileURLWithPath: growing))
    var live = RunTimeline(origin: .log(path: growing))
    live.catchUp()
    var extend: [Double] = []
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: growing))
    handle.seekToEndOfFile()
    for g in 1...grows {
        handle.write(bytes[cuts[g - 1]..<cuts[g]])
        let m0 = now()
        live.catchUp()
        sink &+= DashboardRenderer.render(live.state(at: time(50)), ui: UIState(), size: size).width
        extend.append(now() - m0)
    }
    try handle.close()
    // What a move after growth cost before: the whole log read into events, and the timeline built again.
    let r0 = now()
    var events: [Event] = []
    _ = try ingest(path: growing) { events.append($0) }
    let rebuilt = RunTimeline(events: events)
    sink &+= DashboardRenderer.render(rebuilt.state(after: rebuilt.count(at: time(50))), ui: UIState(), size: size).width
    let rebuild = now() - r0
    if sink == 42 { log("") }
    extend.sort()
    report("scrub a live run", "a move after the log grew by 0.1 % (\(grows) times): extend + move + frame median \(seconds(median(extend))), max \(seconds(extend.last ?? 0)); before (read the whole log, build again): \(seconds(rebuild)), peak RSS then \(peakRSS() / 1_048_576) MiB")
}
