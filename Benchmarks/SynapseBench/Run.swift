import Foundation
import SynapseDashboard
import SynapsePlugins

/// One line of the report: `figure  value  ...`.
func report(_ figure: String, _ value: String) {
    // Padded to a column, never cut: a longer label (the hostile wide objects') pushes its value right.
    out("\(figure.count < 36 ? figure.padding(toLength: 36, withPad: " ", startingAt: 0) : figure) \(value)")
}

/// The log file for `events` events, generated once per (events, seed) and reused.
func logFile(events: Int, dir: String) throws -> String {
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = "\(dir)/events-\(events)-\(Options.seed)-v2.jsonl"
    if !FileManager.default.fileExists(atPath: path) {
        log("generating \(events) events -> \(path)")
        let t0 = now()
        try LogGenerator.write(events: events, seed: Options.seed, to: path)
        log("  generated in \(seconds(now() - t0))")
    }
    return path
}

func fileSize(_ path: String) -> Int {
    (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
}

func runAll() throws {
    let events = Int(option("--events", "1000000")) ?? 1_000_000
    let big = Int(option("--big", "10000000")) ?? 10_000_000
    let runs = Int(option("--runs", "5")) ?? 5
    let refRuns = Int(option("--ref-runs", "3")) ?? 3
    let dir = option("--dir", ".build/bench")
    let tui = option("--tui", "")
    let quick = flag("--quick")
    let label = events >= 1_000_000 && events % 1_000_000 == 0 ? "\(events / 1_000_000)M" : "\(events)"

    out("synapse-bench: \(ProcessInfo.processInfo.activeProcessorCount) cores (nproc), \(machine()), seed \(Options.seed), load average \(loadAverage()) at start")
    let path = try logFile(events: events, dir: dir)
    out("log: \(events) events, \(fmt(Double(fileSize(path)) / 1e6, 1)) MB, \(fmt(Double(fileSize(path)) / Double(events), 0)) bytes/event (\(path))")
    out("figures are medians of \(runs) runs (references: \(refRuns) runs); wall clock unless marked cpu")
    out("")

    // 1. ingest
    log("ingest: \(runs) runs decode-only, \(runs) runs decode + reduce")
    var decodeTimes: [Double] = [], decodeCPU: [Double] = []
    var count = 0
    for _ in 0..<runs {
        let t0 = now(), c0 = processCPU()
        count = try ingestDecodeOnly(path: path).events
        decodeTimes.append(now() - t0); decodeCPU.append(processCPU() - c0)
    }
    var reduceTimes: [Double] = [], reduceCPU: [Double] = []
    var finalState = DashboardState()
    for _ in 0..<runs {
        let t0 = now(), c0 = processCPU()
        let (r, state) = try ingestReduce(path: path)
        reduceTimes.append(now() - t0); reduceCPU.append(processCPU() - c0)
        count = r.events
        finalState = state
    }
    let eps = Double(count) / median(reduceTimes)
    report("ingest \(label): decode + reduce", "\(rate(eps)) events/s (\(seconds(median(reduceTimes)))); cpu \(rate(Double(count) / median(reduceCPU))) events/s")
    report("ingest \(label): decode only", "\(rate(Double(count) / median(decodeTimes))) events/s (\(seconds(median(decodeTimes)))); cpu \(rate(Double(count) / median(decodeCPU))) events/s")
    if !quick {
        for r in referenceRuns(path: path, runs: refRuns, log: log) {
            let refEps = Double(count) / r.mid
            out("    vs \(r.name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(seconds(r.mid)) = \(rate(refEps)) events/s: ingest is x\(fmt(eps / refEps, 2)), decode-only x\(fmt(Double(count) / median(decodeTimes) / refEps, 2))")
        }
    }

    // 4. render
    renderReport(label: label, finalState: finalState, smallState: try smallRenderState(path: path),
                 frames: Int(option("--frames", "200")) ?? 200)

    // 3. emit
    try emitFigure(calls: Int(option("--emit-calls", "1000000")) ?? 1_000_000, runs: runs, dir: dir)

    // 5. memory
    if let m = ingestChild(path) {
        report("memory: peak RSS after \(label)", "\(fmt(Double(m.rss) / 1048576, 1)) MiB (\(m.events) events decoded + reduced in a child, \(seconds(m.seconds)))")
    }
    if !quick, big > 0 {
        let bigPath = try logFile(events: big, dir: dir)
        if let m = ingestChild(bigPath) {
            let bigLabel = big % 1_000_000 == 0 ? "\(big / 1_000_000)M" : "\(big)"
            report("memory: peak RSS after \(bigLabel)", "\(fmt(Double(m.rss) / 1048576, 1)) MiB (\(m.events) events, \(fmt(Double(fileSize(bigPath)) / 1e9, 2)) GB log, \(seconds(m.seconds)) = \(rate(Double(m.events) / m.seconds)) events/s)")
        }
    }

    systemFigure(samples: 200)

    // 2 + 6. open and idle, through the real binary
    if !tui.isEmpty, FileManager.default.isExecutableFile(atPath: tui) {
        try tuiFigures(tui: tui, path: path, label: label, events: events, runs: runs, dir: dir)
    } else {
        out("open/idle: skipped (no synapse-tui binary; scripts/bench passes --tui)")
    }
    out("")
    out("load average \(loadAverage()) at end")
}

/// The emit figure: `runs` runs of `calls` context calls, medians reported on one line.
func emitFigure(calls: Int, runs: Int, dir: String) throws {
    log("emit: \(runs) runs of \(calls) calls")
    var emits: [EmitResult] = []
    for _ in 0..<runs { emits.append(try emitBench(calls: calls, dir: dir)) }
    let cps = median(emits.map { Double($0.calls) / $0.seconds })
    let cpuCps = median(emits.map { Double($0.calls) / $0.cpuSeconds })
    let p50 = median(emits.map { percentile($0.latencies, 0.50) })
    let p99 = median(emits.map { percentile($0.latencies, 0.99) })
    let p999 = median(emits.map { percentile($0.latencies, 0.999) })
    let dropped = emits.map { 2 * $0.calls - $0.queued + 2 * $0.calls - $0.lines }.max() ?? 0
    report("emit: ctx calls, JSONL + queue", "\(rate(cps)) calls/s, cpu \(rate(cpuCps)) calls/s; one call p50 \(seconds(p50)), p99 \(seconds(p99)), p99.9 \(seconds(p999)); dropped \(dropped) of \(4 * calls) (queue + file)")
    out("    vs synapse-sdk per call (issue #4's figures, not re-measured): ConsoleLogger 2.3-4.2 µs (x\(fmt(2.3e-6 * cps, 1))-\(fmt(4.2e-6 * cps, 1))), JobLogger 7-14 µs (x\(fmt(7e-6 * cps, 1))-\(fmt(14e-6 * cps, 1)))")
}

func machine() -> String {
    var u = utsname()
    uname(&u)
    return withUnsafeBytes(of: &u.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
}
