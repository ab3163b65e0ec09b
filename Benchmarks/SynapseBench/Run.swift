import Foundation
import SynapsePlugins



/// One line of the report: `figure  value  (median of N)  | ratio vs reference ...`.
func report(_ figure: String, _ value: String, _ extra: String = "") {
    out("\(figure.padding(toLength: 34, withPad: " ", startingAt: 0)) \(value)\(extra.isEmpty ? "" : "  " + extra)")
}

/// The log file for `events` events, generated once per (events, seed) and reused.
func logFile(events: Int, dir: String) throws -> String {
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = "\(dir)/events-\(events)-\(Options.seed).jsonl"
    if !FileManager.default.fileExists(atPath: path) {
        log("generating \(events) events -> \(path)")
        let t0 = now()
        try LogGenerator.write(events: events, seed: Options.seed, to: path)
        log("  generated in \(seconds(now() - t0))")
    }
    return path
}

/// Full headless ingest: decode + reduce when the reducer exists.
func ingestFull(path: String) throws -> IngestResult {
    try ingestDecodeOnly(path: path)
}

func runAll() throws {
    let events = Int(option("--events", "1000000")) ?? 1_000_000
    _ = Int(option("--big", "10000000")) ?? 10_000_000
    let runs = Int(option("--runs", "5")) ?? 5
    let refRuns = Int(option("--ref-runs", "3")) ?? 3
    let dir = option("--dir", ".build/bench")
    let quick = flag("--quick")

    out("synapse-bench — \(ProcessInfo.processInfo.activeProcessorCount) cores, \(machine()), seed \(Options.seed)")
    let path = try logFile(events: events, dir: dir)
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    out("log: \(events) events, \(fmt(Double(size) / 1e6, 1)) MB (\(path))")

    // 1. ingest
    log("ingest: \(runs) runs")
    var lastResult = IngestResult()
    let times = try timeRuns(runs) { lastResult = try ingestFull(path: path) }
    let eps = Double(lastResult.events) / median(times)
    let refs = quick ? [] : referenceRuns(path: path, runs: refRuns, log: log)
    var ratios: [String] = []
    for r in refs {
        let refEps = Double(lastResult.events) / r.mid
        ratios.append("\(r.name) \(seconds(r.mid)) = \(rate(refEps)) (x\(fmt(eps / refEps, 1)))")
    }
    report("ingest (decode only) 1M", "\(rate(eps)) events/s, \(seconds(median(times))) median of \(runs)")
    for r in ratios { out("    vs " + r) }

    // 3. emit
    let emitCalls = Int(option("--emit-calls", "1000000")) ?? 1_000_000
    log("emit: \(runs) runs of \(emitCalls) calls")
    var emits: [EmitResult] = []
    for _ in 0..<runs { emits.append(try emitBench(calls: emitCalls, dir: dir)) }
    let cps = emits.map { Double($0.calls) / $0.seconds }
    let p50 = median(emits.map { percentile($0.latencies, 0.50) })
    let p99 = median(emits.map { percentile($0.latencies, 0.99) })
    let p999 = median(emits.map { percentile($0.latencies, 0.999) })
    let dropped = emits.map { 2 * $0.calls - $0.queued + 2 * $0.calls - $0.lines }.max() ?? 0
    report("emit (JSONL + dashboard queue)", "\(rate(median(cps))) calls/s median of \(runs); p50 \(seconds(p50)), p99 \(seconds(p99)), p99.9 \(seconds(p999)); dropped \(dropped)")
    out("    vs synapse-sdk (issue #4 figures, not re-measured here): ConsoleLogger 2.3-4.2 µs/call (x\(fmt(2.3e-6 * median(cps), 1))-x\(fmt(4.2e-6 * median(cps), 1))), JobLogger 7-14 µs/call (x\(fmt(7e-6 * median(cps), 0))-x\(fmt(14e-6 * median(cps), 0)))")
}

func machine() -> String {
    var u = utsname()
    uname(&u)
    return withUnsafeBytes(of: &u.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
}
