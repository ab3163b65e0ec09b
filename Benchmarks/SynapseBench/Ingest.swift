import Foundation
import SynapsePlugins
import SynapseDashboard

/// What one headless ingest pass saw.
struct IngestResult {
    var events = 0
    var unreadable = 0
    var bytes = 0
}

/// Reads `path` with read(2) into one reusable buffer and decodes every line, handing each event to `consume`.
func ingest(path: String, chunkSize: Int = 1 << 20, _ consume: (Event) -> Void) throws -> IngestResult {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw BenchError("cannot open \(path)") }
    defer { close(fd) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 64)
    defer { buffer.deallocate() }
    var decoder = EventLogDecoder()
    var result = IngestResult()
    while true {
        let n = read(fd, buffer.baseAddress, chunkSize)
        if n < 0 { if errno == EINTR { continue }; throw BenchError("read failed: \(errno)") }
        if n == 0 { break }
        result.bytes += n
        decoder.feed(UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count: n),
                     onEvent: { result.events += 1; consume($0) }, onUnreadable: { _ in result.unreadable += 1 })
    }
    let last = decoder.finish()
    result.events += last.events.count
    result.unreadable += last.unreadable.count
    last.events.forEach(consume)
    return result
}

/// Decode-only ingest: the decoder's share of the work.
func ingestDecodeOnly(path: String) throws -> IngestResult {
    var sink = 0.0
    let r = try ingest(path: path) { e in sink += e.timestamp }
    if sink == 42 { log("") }
    return r
}

/// Headless ingest as `show` does it: an ``EventLogTailer`` that reads the log once (its lines read into
/// blocks on one thread per core, in order) and this thread reducing what arrives.
func ingestReduce(path: String, reading: EventLogTailer.Reading = .standard,
                  kept: DashboardState.Capacities = .init()) throws -> (IngestResult, DashboardState) {
    let queue = try EventQueue()
    let tailer = try EventLogTailer(path: path, follow: false, reading: reading)
    var state = DashboardState(capacities: kept)
    tailer.start(into: queue)
    defer { tailer.stop() }
    queue.consumeUntilFinished(events: { state.apply($0) }, notice: { state.apply($0) })
    var result = IngestResult()
    result.events = state.eventCount
    result.unreadable = state.unreadableCount
    result.bytes = fileSize(path)
    return (result, state)
}

/// Headless ingest the general way: every line decoded into an ``Event``, then applied (the reference the
/// fast path is checked against).
func ingestReduceEvents(path: String) throws -> (IngestResult, DashboardState) {
    var state = DashboardState()
    let r = try ingest(path: path) { state.apply($0) }
    return (r, state)
}

/// Ingest's stages timed apart on this thread: the log read into memory first, then split into 256 KiB
/// blocks of whole lines and read by one ``LogBlockReader`` (what each reader thread does), the blocks
/// reduced into a ``DashboardState`` (the UI thread's share), and the blocks freed. Prints one line per run.
func ingestSplit(path: String, runs: Int) throws {
    let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    for _ in 0..<max(1, runs) {
        var reader = LogBlockReader()
        var blocks: [LogBlock] = []
        var t0 = now()
        data.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < buffer.count {
                var end = min(buffer.count, start + 256 * 1024)
                while end < buffer.count, buffer[end - 1] != 0x0A { end += 1 }
                blocks.append(reader.read(UnsafeBufferPointer(rebasing: buffer[start..<end])))
                start = end
            }
        }
        let read = now() - t0
        // The decoder alone, every line scanned in place (no blocks): what another decoder would replace.
        var scanner = RecordScanner(compact: true)
        var hot = 0
        t0 = now()
        data.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < buffer.count {
                let base = buffer.baseAddress!
                var end = buffer.count
                if let nl = memchr(base + start, 0x0A, buffer.count - start) {
                    end = UnsafeRawPointer(nl) - UnsafeRawPointer(base)
                }
                if end > start, scanner.scan(UnsafeBufferPointer(rebasing: buffer[start..<end]), readable: buffer.count - start), scanner.kind != .other { hot += 1 }
                start = end + 1
            }
        }
        let scan = now() - t0
        t0 = now()
        var state = DashboardState()
        for block in blocks { state.apply(block) }
        let reduce = now() - t0
        t0 = now()
        blocks = []
        let free = now() - t0
        let n = Double(max(1, state.eventCount))
        out("split: read \(seconds(read)) (\(fmt(read / n * 1e9, 0)) ns/event), reduce \(seconds(reduce)) (\(fmt(reduce / n * 1e9, 0)) ns/event), free \(seconds(free)); \(state.eventCount) events; scan alone \(seconds(scan)) (\(hot) progress, metrics and message lines)")
    }
}

/// Ingest as `show` does it with other reading settings, in this one process: each round runs every
/// setting once (in a rotating order) and each is compared with the first in the same round, so the VM's
/// slow and fast minutes cancel out. Prints each setting's median wall and CPU time and its median ratios.
func ingestAB(path: String, settings: [EventLogTailer.Reading], rounds: Int) throws {
    var wall: [[Double]] = Array(repeating: [], count: settings.count)
    var cpu: [[Double]] = Array(repeating: [], count: settings.count)
    var wallRatio: [[Double]] = Array(repeating: [], count: settings.count)
    var cpuRatio: [[Double]] = Array(repeating: [], count: settings.count)
    var events = 0
    for round in 0..<max(1, rounds) {
        var w = Array(repeating: 0.0, count: settings.count), c = w
        for k in settings.indices {
            let i = (round + k) % settings.count
            let t0 = now(), c0 = processCPU()
            let (result, state) = try ingestReduce(path: path, reading: settings[i])
            w[i] = now() - t0
            c[i] = processCPU() - c0
            events = result.events
            withExtendedLifetime(state) {}
        }
        for i in settings.indices {
            wall[i].append(w[i]); cpu[i].append(c[i])
            wallRatio[i].append(w[i] / w[0]); cpuRatio[i].append(c[i] / c[0])
        }
    }
    for (i, s) in settings.enumerated() {
        let name = "\(s.chunkBytes >> 10) KiB, backlog \(s.maxBacklog), \(s.maxInFlight) ahead, \(s.workers) readers"
        out("ingest-ab: \(name.padding(toLength: 44, withPad: " ", startingAt: 0)) \(rate(Double(events) / median(wall[i]))) events/s (\(seconds(median(wall[i]))), cpu \(seconds(median(cpu[i])))); vs first: wall x\(fmt(median(wallRatio[i]), 3)), cpu x\(fmt(median(cpuRatio[i]), 3))")
    }
}

/// `synapse-bench ingest-child` on `log` in a process of its own: events read, peak RSS in bytes, and the
/// ingest's seconds (the process's start not counted); nil when it failed.
func ingestChild(_ log: String) -> (events: Int, rss: Int, seconds: Double)? {
    guard let r = run([CommandLine.arguments[0], "ingest-child", log]), r.status == 0 else { return nil }
    let f = r.stdout.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
    guard f.count >= 4, let e = Int(f[0]), let rss = Int(f[2]), let s = Double(f[3]) else { return nil }
    return (e, rss, s)
}
