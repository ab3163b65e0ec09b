import Foundation
import SynapsePlugins
import SynapseDashboard

// synapse-bench: the performance harness (see docs/benchmarks.md and scripts/bench).
//
//   synapse-bench run [--events N] [--big N] [--runs R] [--ref-runs R] [--dir DIR] [--tui PATH] [--quick]
//   synapse-bench render [--events N] [--frames F] [--repeat K] [--dir DIR]   (the render figure only)
//   synapse-bench emit [--emit-calls N] [--runs R] [--dir DIR]   (only the emit figure)
//   synapse-bench ingest [--events N] [--runs R] [--fast-only]   (ingest as show does it vs event by event)
//   synapse-bench split [--events N] [--runs R]   (ingest's stages timed apart, on one thread)
//   synapse-bench ingest-ab [--events N] [--rounds R] [--settings KIB:BACKLOG[:INFLIGHT[:WORKERS]],...]   (reading settings, paired)
//   synapse-bench layouts [--events N] [--rounds R] [--dir DIR] [--tui PATH] [--python PATH]   (every producer's layout, issue #14)
//   synapse-bench hostile [--records N] [--runs R] [--dir DIR]   (wide objects, distinct names: issue #13's figures)
//   synapse-bench system [--samples N]   (what sampling a run's process tree costs, issue #22)
//   synapse-bench scrub [--events N] [--moves M]   (the time cursor: per-move time on an N-event log, issue #21)
//   synapse-bench browser [--jobs 1000,5000] [--live N] [--refreshes R]   (the jobs browser: first paint, refresh, issue #20)
//   synapse-bench gen --events N [--seed S] --out FILE
//   synapse-bench ingest-child FILE [--kept M:D:C]   (prints "events unreadable peak_rss_bytes seconds cpu_seconds";
//                                          --kept: messages, dev and custom events kept, default the dashboard's)

do {
    switch Options.command {
    case "gen":
        let n = Int(option("--events", "1000000")) ?? 1_000_000
        try LogGenerator.write(events: n, seed: Options.seed, to: option("--out", "events.jsonl"))
    case "ingest-child":
        let path = Options.rest.first ?? "events.jsonl"
        // --kept M:D:C: the messages, dev and custom events the dashboard keeps (default: its own), to
        // measure what keeping them costs (docs/benchmarks.md, round 19).
        var kept = DashboardState.Capacities()
        if flag("--kept") {
            let given = option("--kept", "")
            let counts = given.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
            guard counts.count == 3, let m = counts[0], let d = counts[1], let c = counts[2], m > 0, d > 0, c > 0 else {
                throw BenchError("--kept takes MESSAGES:DEV:CUSTOM, three counts above 0 (got \"\(given)\")")
            }
            kept = .init(messages: m, devEvents: d, customEvents: c)
        }
        let t0 = now(), c0 = processCPU()
        // The state lives past the clock, as in `ingest`: tearing it down is not ingest.
        let (r, state) = try ingestReduce(path: path, kept: kept)
        let t = now() - t0, c = processCPU() - c0
        withExtendedLifetime(state) {}
        out("\(r.events) \(r.unreadable) \(peakRSS()) \(t) \(c)")
    case "emit":
        // Only the emit figure, as `run` reports it (for iterating on the producer side).
        out("synapse-bench emit: load average \(loadAverage()) at start")
        try emitFigure(calls: Int(option("--emit-calls", "1000000")) ?? 1_000_000,
                       runs: Int(option("--runs", "5")) ?? 5, dir: option("--dir", "/tmp"))
        out("load average \(loadAverage()) at end")
    case "ingest":
        // Quick look at ingest alone: the fast path (lines) and the general one (events), alternating.
        let path = try logFile(events: Int(option("--events", "1000000")) ?? 1_000_000, dir: option("--dir", ".build/bench"))
        var fast: [Double] = [], general: [Double] = [], fastCPU: [Double] = []
        var events = 0
        for _ in 0..<(Int(option("--runs", "5")) ?? 5) {
            var t0 = now()
            let c0 = processCPU()
            // The state lives past the clock: tearing it down is not ingest.
            let (result, state) = try ingestReduce(path: path)
            fast.append(now() - t0)
            fastCPU.append(processCPU() - c0)
            events = result.events
            withExtendedLifetime(state) {}
            if flag("--fast-only") { general.append(0); continue }
            t0 = now()
            _ = try ingestReduceEvents(path: path)
            general.append(now() - t0)
        }
        out("lines: \(rate(Double(events) / median(fast))) events/s (\(seconds(median(fast))), cpu \(seconds(median(fastCPU)))); events: \(rate(Double(events) / median(general))) events/s (\(seconds(median(general)))); x\(fmt(median(general) / median(fast), 2))")
    case "split":
        // Where ingest's CPU goes, on one thread: reading lines into blocks, reducing them, freeing them.
        let path = try fileOrLog()
        try ingestSplit(path: path, runs: Int(option("--runs", "3")) ?? 3)
    case "ingest-ab":
        // Reading settings compared in one process, round by round (the first is the reference).
        let path = try fileOrLog()
        let settings = option("--settings", "256:8000,1024:32000").split(separator: ",").map { pair in
            let parts = pair.split(separator: ":").compactMap { Int($0) }
            var reading = EventLogTailer.Reading.standard
            if parts.count > 0 { reading.chunkBytes = parts[0] << 10 }
            if parts.count > 1 { reading.maxBacklog = parts[1] }
            if parts.count > 2 { reading.maxInFlight = parts[2] }
            if parts.count > 3 { reading.workers = parts[3] }
            return reading
        }
        try ingestAB(path: path, settings: settings, rounds: Int(option("--rounds", "10")) ?? 10)
    case "browser":
        try browserFigure()
    case "system":
        systemFigure(samples: Int(option("--samples", "200")) ?? 200)
    case "run":
        try runAll()
    case "layouts":
        try layoutFigures(events: Int(option("--events", "1000000")) ?? 1_000_000, rounds: Int(option("--rounds", "5")) ?? 5,
                          dir: option("--dir", ".build/bench"), tui: option("--tui", ""))
    case "hostile":
        try hostileFigures(runs: Int(option("--runs", "3")) ?? 3, dir: option("--dir", ".build/bench"),
                           records: Int(option("--records", "1000000")) ?? 1_000_000)
    case "render":
        try renderOnly()
    case "scrub":
        try scrubFigure()
    default:
        log("unknown command \(Options.command)")
        exit(2)
    }
} catch {
    log("synapse-bench: \(error)")
    exit(1)
}

/// `--file PATH`, else the generated log of `--events` records in `--dir` (written when missing).
func fileOrLog() throws -> String {
    let file = option("--file", "")
    return file.isEmpty ? try logFile(events: Int(option("--events", "1000000")) ?? 1_000_000, dir: option("--dir", ".build/bench")) : file
}
