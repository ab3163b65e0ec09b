import Foundation
import SynapsePlugins
import SynapseDashboard

/// The same records in every layout a producer writes (issue #14): our writer's, synapse-sdk's
/// `LogEntry.to_dict()` through the real `json.dumps`, `jq -c`, data keys reversed, an extra `seq` key,
/// one file interleaving them line by line, and every float at full precision in our layout and the SDK's (the
/// same records as each other, so the pair tells the layout's cost from the longer numbers'). Each is read as
/// `show` reads it (two cores), as one core reads
/// it, optionally through the real binary (`show`), and by the simdjson On-Demand reference when
/// libsimdjson-dev is installed; layouts are alternated round by round and each figure is compared with
/// the fastest layout of the same records, round by round.
func layoutFigures(events: Int, rounds: Int, dir: String, tui: String) throws {
    let writer = try logFile(events: events, dir: dir)
    let sub = "\(dir)/layouts-\(events)-\(Options.seed)"
    try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
    let python = option("--python", FileManager.default.isExecutableFile(atPath: ".venv/bin/python") ? ".venv/bin/python" : "python3")
    func need(_ name: String) -> String { "\(sub)/\(name).jsonl" }
    if !["mixed", "sdkfloat", "ourfloat"].allSatisfy({ FileManager.default.fileExists(atPath: need($0)) }) {
        log("layouts: writing the other layouts with \(python) (Benchmarks/layouts/layouts.py) and jq")
        guard let r = run([python, "Benchmarks/layouts/layouts.py", writer, sub]), r.status == 0 else {
            throw BenchError("layouts.py failed (run from the repository root; --python PATH)")
        }
        out("layouts: synapse-sdk records written by the \(r.stdout.contains("real") ? "real LogEntry.to_dict() + json.dumps" : "EMULATED to_dict() order (synapse_sdk not importable)")")
        guard run(["sh", "-c", "jq -c . \"$0\" > \"$1\"", need("sdk"), need("jq")])?.status == 0 else {
            throw BenchError("jq -c failed (is jq installed?)")
        }
        let interleave = """
        import sys
        files = [open(p, encoding="utf-8") for p in sys.argv[2:]]
        with open(sys.argv[1], "w", encoding="utf-8") as out:
            for n, lines in enumerate(zip(*files)):
                out.write(lines[n % len(lines)])
        """
        guard run([python, "-c", interleave, need("mixed"), writer, need("sdk"), need("jq"), need("reordered"), need("seq")])?.status == 0 else {
            throw BenchError("interleaving failed")
        }
    }
    let layouts: [(String, String)] = [
        ("our writer", writer), ("synapse-sdk to_dict+json.dumps", need("sdk")), ("jq -c (sdk order)", need("jq")),
        ("data keys reversed", need("reordered")), ("extra key seq", need("seq")), ("interleaved, line by line", need("mixed")),
        ("our writer, full precision", need("ourfloat")), ("sdk, floats at full precision", need("sdkfloat")),
        // A control: the first file again, alternated as one more layout. What it differs from the first
        // row by is this machine's minutes, not the code: ratios between layouts within it are noise.
        ("our writer again (control)", writer),
    ]
    let control = layouts.count - 1
    // Full precision: the SDK's layout of the same values as our layout's row, which must give its dashboard.
    let ourFloat = layouts.count - 3, sdkFloat = layouts.count - 2
    for (name, path) in layouts.dropLast() {
        let head = firstLines(path, 3)
        out("layout \(name): \(fmt(Double(fileSize(path)) / 1e6, 1)) MB; line 2: \(head.dropFirst().first ?? "")")
    }

    // simdjson On-Demand, built here when the library is installed (a reference, not a dependency).
    var simdjson: String?
    if FileManager.default.fileExists(atPath: "/usr/include/simdjson.h") || FileManager.default.fileExists(atPath: "/opt/homebrew/include/simdjson.h") {
        let bin = "\(sub)/simdjson_ingest"
        let t0 = now()
        // On-Demand is compiled into the program, for the machine the flags name: without -march it is
        // simdjson's scalar `fallback` kernel, whatever the CPU has (round 10 measured that one).
        if run(["sh", "-c", "c++ -O2 -march=native -std=c++17 Benchmarks/layouts/simdjson_ingest.cpp -lsimdjson -lpthread -o \"$0\"", bin])?.status == 0 {
            simdjson = bin
            let kernel = run([bin, "/dev/null"])?.stdout.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? "?"
            out("simdjson: On-Demand kernel \(kernel); reference built in \(seconds(now() - t0)) (c++ -O2 -march=native, libsimdjson \(simdjsonVersion()))")
        }
    } else {
        out("simdjson: skipped (libsimdjson-dev not installed)")
    }

    // Every file into the page cache the same way: how a file was written decides the size of its cached
    // pages, and with it the kernel's copy speed (docs/benchmarks.md, round 23).
    for (_, path) in layouts { recache(path) }

    struct Row { var show: [Double] = []; var showCPU: [Double] = []; var fresh: [Double] = []; var one: [Double] = []; var simd: [Double] = []; var simdLines: [Double] = []; var simd2: [Double] = []; var tui: [Double] = []; var same = true; var events = 0; var unreadable = 0 }
    var rows = Array(repeating: Row(), count: layouts.count)
    var reference: DashboardState?, floatReference: DashboardState?
    for round in 0..<max(1, rounds) {
        for k in layouts.indices {
            let i = (round + k) % layouts.count
            let path = layouts[i].1
            var t0 = now()
            let c0 = processCPU()
            let (result, state) = try ingestReduce(path: path)
            rows[i].show.append(now() - t0)
            rows[i].showCPU.append(processCPU() - c0)
            rows[i].events = result.events
            rows[i].unreadable = result.unreadable
            // The same ingest in a process of its own, as each `show` and `attach` is: this process has read
            // every layout before, and its figure has run up to 1.4x slower than a new process's.
            if let child = ingestChild(path) { rows[i].fresh.append(child.seconds) }
            if round == 0 {
                // jq writes 0.0 as 0 (an int metric), and reordered keys reorder the metrics shown: only
                // the layouts that keep values and order must give the very same dashboard.
                if i == 0 { reference = state } else if let reference, [1, 4, control].contains(i) { rows[i].same = sameDashboard(reference, state) }
                if i == ourFloat { floatReference = state } else if i == sdkFloat, let floatReference { rows[i].same = sameDashboard(floatReference, state) }
            }
            t0 = now()
            _ = try readOneCore(path: path)
            rows[i].one.append(now() - t0)
            if let simdjson {
                // 1 thread over the whole file, 1 thread a line at a time (what a reader that may hand any
                // line to another decoder pays), 2 threads.
                for (k, args) in [["1"], ["1", "lines"], ["2"]].enumerated() {
                    guard let r = run([simdjson, path] + args) else { continue }
                    let f = r.stdout.split(separator: " ")
                    // The parse alone (field 5): its load of the whole file into one buffer is not what a
                    // streaming reader pays, and our columns read through a reused buffer.
                    guard f.count >= 5, let s = Double(f[4]) else { continue }
                    switch k {
                    case 0: rows[i].simd.append(s)
                    case 1: rows[i].simdLines.append(s)
                    default: rows[i].simd2.append(s)
                    }
                }
            }
            if !tui.isEmpty, let r = timeChild([tui, "show", "--file", path, "--size", "200x50"]), r.status == 0 {
                rows[i].tui.append(r.seconds)
            }
        }
    }
    func column(_ pick: (Row) -> [Double]) -> [Double] { rows.map { pick($0).isEmpty ? .nan : median(pick($0)) } }
    let show = column(\.show), fresh = column(\.fresh), one = column(\.one), simd = column(\.simd), simdLines = column(\.simdLines), simd2 = column(\.simd2), bin = column(\.tui)
    // The goal compares layouts of the same records: the full-precision pair holds other values (every
    // float at 17 digits), so it is a group of its own; its values' cost is printed on a line of its own.
    let group = layouts.indices.map { $0 == ourFloat || $0 == sdkFloat ? 1 : 0 }
    // Row i against row j, round by round (each round reads every layout once, a few seconds apart): the
    // median of the per-round ratios, which a slow minute moves less than a ratio of medians.
    func paired(_ pick: (Row) -> [Double], _ i: Int, _ j: Int) -> Double {
        let a = pick(rows[i]), b = pick(rows[j])
        guard !a.isEmpty, a.count == b.count else { return median(a) / median(b) }
        return median(zip(a, b).map { $0 / $1 })
    }
    // Every row against our writer's, paired; over the lowest of a group, its fastest reads x1.00.
    func toFirst(_ pick: (Row) -> [Double]) -> [Double] {
        layouts.indices.map { pick(rows[$0]).isEmpty ? Double.nan : paired(pick, $0, 0) }
    }
    func lowest(_ toFirst: [Double], group g: Int) -> Double {
        layouts.indices.filter { group[$0] == g && !toFirst[$0].isNaN }.map { toFirst[$0] }.min() ?? .nan
    }
    func ratios(_ pick: (Row) -> [Double]) -> [Double] {
        let r = toFirst(pick)
        return layouts.indices.map { r[$0] / lowest(r, group: group[$0]) }
    }
    let showX = ratios(\.show), freshX = ratios(\.fresh), oneX = ratios(\.one)
    out("")
    out("layouts: \(rounds) rounds, layouts alternated; medians; x = against the fastest layout of the same records in that column, the median of per-round ratios")
    out("layout                          events     show path (2 cores)          cpu      new process (2 cores)        1 core read        simdjson 1 core   per line          simdjson 2 cores  synapse-tui show   same state")
    for (i, (name, _)) in layouts.enumerated() {
        let r = rows[i]
        var line = name.padding(toLength: 31, withPad: " ", startingAt: 0)
        line += " \(String(r.events).padding(toLength: 9, withPad: " ", startingAt: 0))"
        line += "  \(seconds(show[i])) \(rate(Double(r.events) / show[i]))/s x\(fmt(showX[i], 2))".padding(toLength: 31, withPad: " ", startingAt: 0)
        line += " \(seconds(median(r.showCPU)))".padding(toLength: 9, withPad: " ", startingAt: 0)
        line += fresh[i].isNaN ? "  -".padding(toLength: 29, withPad: " ", startingAt: 0)
            : "  \(seconds(fresh[i])) \(rate(Double(r.events) / fresh[i]))/s x\(fmt(freshX[i], 2))".padding(toLength: 29, withPad: " ", startingAt: 0)
        line += "  \(seconds(one[i])) x\(fmt(oneX[i], 2))".padding(toLength: 19, withPad: " ", startingAt: 0)
        line += simd[i].isNaN ? "  -".padding(toLength: 18, withPad: " ", startingAt: 0) : "  \(seconds(simd[i])) (x\(fmt(one[i] / simd[i], 2)))".padding(toLength: 18, withPad: " ", startingAt: 0)
        line += simdLines[i].isNaN ? "  -".padding(toLength: 18, withPad: " ", startingAt: 0) : "  \(seconds(simdLines[i])) (x\(fmt(one[i] / simdLines[i], 2)))".padding(toLength: 18, withPad: " ", startingAt: 0)
        line += simd2[i].isNaN ? "  -".padding(toLength: 18, withPad: " ", startingAt: 0) : "  \(seconds(simd2[i])) (x\(fmt(show[i] / simd2[i], 2)))".padding(toLength: 18, withPad: " ", startingAt: 0)
        line += bin[i].isNaN ? "  -                " : "  \(seconds(bin[i]))".padding(toLength: 19, withPad: " ", startingAt: 0)
        line += i == 0 || i == ourFloat ? "  (reference)" : ![1, 4, sdkFloat, control].contains(i) ? "  n/a" : r.same ? "  yes" : "  NO"
        if r.unreadable > 0 { line += "  \(r.unreadable) unreadable" }
        out(line)
    }
    func againstShort(_ pick: (Row) -> [Double], _ i: Int) -> String {
        let r = toFirst(pick), low = lowest(r, group: 0)
        return r[i].isNaN || low.isNaN ? "-" : "x" + fmt(r[i] / low, 2)
    }
    func controlRatio(_ pick: (Row) -> [Double]) -> String {
        pick(rows[0]).isEmpty || pick(rows[control]).isEmpty ? "-" : "x" + fmt(paired(pick, control, 0), 2)
    }
    func pairRatio(_ pick: (Row) -> [Double]) -> String { pick(rows[sdkFloat]).isEmpty ? "-" : "x" + fmt(paired(pick, sdkFloat, ourFloat), 2) }
    // The goal's figures: the slowest layout against the fastest of the same records, and the lowest rate.
    let short = layouts.indices.filter { group[$0] == 0 }
    let worstShow = short.max { showX[$0] < showX[$1] } ?? 0, worstFresh = short.max { freshX[$0] < freshX[$1] } ?? 0
    let lowestRate = layouts.indices.map { Double(rows[$0].events) / max(show[$0], fresh[$0].isNaN ? 0 : fresh[$0]) }.min() ?? .nan
    out("goal (issue #14): the slowest layout of the same records x\(fmt(showX[worstShow], 2)) (\(layouts[worstShow].0)) on the show path, x\(fmt(freshX[worstFresh], 2)) (\(layouts[worstFresh].0)) in a new process; the lowest rate of any row \(rate(lowestRate))/s")
    out("full precision, the SDK's layout against ours with the same values: \(pairRatio(\.show)) on the show path, \(pairRatio(\.fresh)) in a new process, \(pairRatio(\.one)) on one core (the layout's cost alone)")
    out("full precision against the fastest layout of the short values (their 17-digit numbers' cost, and the layout's): ours \(againstShort(\.show, ourFloat)) / \(againstShort(\.fresh, ourFloat)) / \(againstShort(\.one, ourFloat)), the SDK's \(againstShort(\.show, sdkFloat)) / \(againstShort(\.fresh, sdkFloat)) / \(againstShort(\.one, sdkFloat)) (show path / new process / one core)")
    out("control: the first file read again as a layout of its own differs from the first row by \(controlRatio(\.show)) on the show path, \(controlRatio(\.fresh)) in a new process, \(controlRatio(\.one)) on one core: this run's noise between rows")
    out("(show path: ingest and reduce in this process; new process: the same in `synapse-bench ingest-child`, a process of its own as `show` is, its start not counted;")
    out(" 1 core read: the file read and every line decoded by one LogBlockReader, no reduce; simdjson: its parse of the file already in memory, every key and every number of data visited (per line: one document a line), '(xN)' = ours / simdjson (1 core: our 1 core read; 2 cores: our show path, which also reduces);")
    out(" same state: the final dashboard equals the writer layout's (the SDK's full-precision file: our layout's full-precision one's); n/a where the layout changes number forms (jq: 0.0 -> 0), key order, or values (full precision: every float one double up))")
}

/// `path` dropped from the page cache and read through once in order, so it is cached in readahead's pages.
func recache(_ path: String) {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return }
    defer { close(fd) }
    #if os(Linux)
    _ = fsync(fd)  // only clean pages can be dropped
    _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_DONTNEED))
    #endif
    let size = 1 << 20
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
    defer { buffer.deallocate() }
    while read(fd, buffer, size) > 0 {}
}

/// What the one-core column does: the file read in 1 MiB chunks and its lines read by one
/// ``LogBlockReader`` into blocks (as one reader thread of `show` does), without reducing them.
func readOneCore(path: String) throws -> Int {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw BenchError("cannot open \(path)") }
    defer { close(fd) }
    let size = 1 << 20
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
    defer { buffer.deallocate() }
    var reader = LogBlockReader()
    var decoder = EventLogDecoder()
    var lines = 0
    while true {
        let n = read(fd, buffer, size)
        if n <= 0 { break }
        decoder.feedLines(UnsafeBufferPointer(start: buffer, count: n), onLines: { lines += reader.read($0).lines.count },
                          onLongLine: { lines += reader.read($0).lines.count }, onOversized: {})
    }
    decoder.finishLines(onLines: { lines += reader.read($0).lines.count }, onLongLine: { lines += reader.read($0).lines.count },
                        onOversized: {})
    return lines
}

/// The dashboards of two layouts of the same records agree on what a reader sees.
func sameDashboard(_ a: DashboardState, _ b: DashboardState) -> Bool {
    a.eventCount == b.eventCount && a.unreadableCount == b.unreadableCount && a == b
}

func firstLines(_ path: String, _ n: Int) -> [String] {
    guard let f = fopen(path, "r") else { return [] }
    defer { fclose(f) }
    var out: [String] = []
    var line: UnsafeMutablePointer<CChar>?
    var cap = 0
    while out.count < n, getline(&line, &cap, f) > 0, let line {
        out.append(String(String(cString: line).prefix(160)).trimmingCharacters(in: .newlines))
    }
    free(line)
    return out
}

func simdjsonVersion() -> String {
    run(["sh", "-c", "dpkg-query -W -f '${Version}' libsimdjson-dev 2>/dev/null || brew list --versions simdjson 2>/dev/null"])?.stdout ?? "?"
}
