import Foundation
import SynapseDashboard
import SynapsePlugins

/// Figure 4: one full dashboard frame, 200x50, dev pane shown, timed over `frames` frames.
/// Shared by `run` and `render` so the quick iteration loop measures exactly what the report says.
func renderFrameTimes(_ state: DashboardState, frames: Int) -> [Double] {
    let size = Size(width: 200, height: 50)
    let ui = UIState(showDev: true)
    var sink = 0
    let t = timeRuns(frames) { sink &+= DashboardRenderer.render(state, ui: ui, size: size).width }
    if sink == 42 { log("") }
    return t
}

/// The state of the log's first 10k events (the history-independence comparison).
func smallRenderState(path: String) throws -> DashboardState {
    var smallState = DashboardState()
    _ = try ingest(path: path) { e in if smallState.eventCount < 10_000 { smallState.apply(e) } }
    return smallState
}

/// The render report line: the state after the whole log, and the state of its first 10k events.
func renderReport(label: String, finalState: DashboardState, smallState: DashboardState, frames: Int) {
    let bigFrames = renderFrameTimes(finalState, frames: frames)
    let smallFrames = renderFrameTimes(smallState, frames: frames)
    report("render 200x50, \(label)-event history", "\(seconds(median(bigFrames))) per frame (median of \(frames)), p99 \(seconds(percentile(bigFrames, 0.99))); with a 10k history \(seconds(median(smallFrames))) (x\(fmt(median(bigFrames) / median(smallFrames), 2)))")
}

/// `synapse-bench render [--events N] [--frames F] [--repeat K] [--dir DIR]`: only the render figure
/// (ingest once, then time frames), for fast iteration on the view code. `--repeat` prints the line K
/// times so noise on a shared machine shows.
func renderOnly() throws {
    let events = Int(option("--events", "1000000")) ?? 1_000_000
    let dir = option("--dir", ".build/bench")
    let frames = Int(option("--frames", "1000")) ?? 1000
    let repeats = Int(option("--repeat", "3")) ?? 3
    let label = events >= 1_000_000 && events % 1_000_000 == 0 ? "\(events / 1_000_000)M" : "\(events)"
    let path = try logFile(events: events, dir: dir)
    let (_, state) = try ingestReduce(path: path)
    let smallState = try smallRenderState(path: path)
    if let dump = Options.all.firstIndex(of: "--dump").map({ Options.all[$0 + 1] }) {
        try (renderDump(state) + renderDump(smallState)).write(toFile: dump, atomically: true, encoding: .utf8)
    }
    if let only = Options.all.firstIndex(of: "--profile").map({ Options.all[$0 + 1] }) {
        // Frames of one history only, for a profiler: `--profile big` or `--profile small`.
        let times = renderFrameTimes(only == "small" ? smallState : state, frames: frames)
        out("\(only): \(seconds(median(times))) per frame (median of \(frames))")
        return
    }
    out("load average \(loadAverage())")
    for _ in 0..<repeats {
        // Thread CPU time next to the wall-clock line: on a busy machine it is the steadier figure.
        let c0 = threadCPU()
        renderReport(label: label, finalState: state, smallState: smallState, frames: frames)
        out("    cpu \(seconds((threadCPU() - c0) / Double(2 * frames))) per frame (mean over both histories)")
    }
}

/// The frame as text plus every cell's style, to check that a change to the view code draws exactly the
/// same thing on the benchmark's states (`render --dump FILE`, then diff two dumps).
func renderDump(_ state: DashboardState) -> String {
    let canvas = DashboardRenderer.render(state, ui: UIState(showDev: true), size: Size(width: 200, height: 50))
    var s = PlainTextRenderer.text(canvas)
    for y in 0..<canvas.height {
        for x in 0..<canvas.width {
            let c = canvas[x, y]
            s += "\(c.style.role.rawValue).\(c.style.attributes.rawValue)\(c.isContinuation ? "+" : "") "
        }
        s += "\n"
    }
    return s
}
