import Foundation
import SynapsePlugins

/// What the emit benchmark measured.
struct EmitResult {
    var calls: Int
    var seconds: Double
    var cpuSeconds: Double
    var latencies: [Double]  // sorted, seconds, one per call of the latency pass
    var queued: Int
    var lines: Int
}

/// RuntimeContext calls on this thread with the JSON-lines sink plus an in-process dashboard queue,
/// drained by a consumer thread (the UI's role). Returns the throughput pass and the latency pass.
func emitBench(calls: Int, dir: String, consume: (@Sendable ([Event]) -> Void)? = nil) throws -> EmitResult {
    let path = "\(dir)/emit-\(getpid()).jsonl"
    unlink(path)
    defer { unlink(path) }
    let jsonl = try JSONLinesLogger(path: path)
    let queue = try EventQueue()
    let context = RuntimeContext(logger: FanOutLogger([jsonl, QueueLogger(queue: queue)]))
    let expected = 2 * calls
    let counter = Counter()
    let consumer = Thread {
        var events: [Event] = []
        var notices: [QueuedNotice] = []
        var seen = 0
        var fds = [pollfd(fd: queue.wakeFD, events: Int16(POLLIN), revents: 0)]
        // Like the UI loop: sleep until woken, take everything, then not again before the next frame
        // (30 fps), so a fast producer pays for one wake-up per frame, not one per event.
        var lastDrain = 0.0
        while seen < expected {
            _ = poll(&fds, 1, 100)
            let wait = lastDrain + 1.0 / 30 - now()
            if wait > 0 { usleep(UInt32(wait * 1e6)) }
            lastDrain = now()
            queue.drain(events: &events, notices: &notices)
            seen += events.count
            consume?(events)
            events.removeAll(keepingCapacity: true)
            notices.removeAll(keepingCapacity: true)
        }
        counter.set(seen)
    }
    consumer.start()

    // One "step" of a training loop: progress, metrics, and a message every tenth step.
    @inline(__always) func call(_ i: Int) {
        switch i % 3 {
        case 0: context.setProgress(i / 3 + 1, calls, step: "training")
        case 1: context.setMetrics(["loss": .double(1.0 / Double(i + 1)), "accuracy": .double(Double(i % 1000) / 1000)], step: "training")
        default:
            if i % 30 == 2 { context.logMessage("checkpoint saved", context: .info) }
            else { context.log("prediction", ["class": "cat", "confidence": .double(0.95)]) }
        }
    }
    // Throughput pass.
    let t0 = now(), c0 = threadCPU()
    for i in 0..<calls { call(i) }
    let seconds = now() - t0, cpu = threadCPU() - c0
    // Latency pass: each call timed on its own.
    var latencies = [Double](repeating: 0, count: calls)
    for i in 0..<calls {
        let a = now()
        call(i)
        latencies[i] = now() - a
    }
    jsonl.flush()
    let deadline = now() + 30
    while counter.get() < 0, now() < deadline { usleep(1000) }
    jsonl.close()
    let lines = (try? lineCount(path: path)) ?? -1
    return EmitResult(calls: calls, seconds: seconds, cpuSeconds: cpu, latencies: latencies.sorted(), queued: max(0, counter.get()), lines: lines)
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = -1
    func set(_ v: Int) { lock.lock(); value = v; lock.unlock() }
    func get() -> Int { lock.lock(); defer { lock.unlock() }; return value }
}

func lineCount(path: String) throws -> Int {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw BenchError("cannot open \(path)") }
    defer { close(fd) }
    let size = 1 << 20
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
    defer { buffer.deallocate() }
    var count = 0
    while true {
        let n = read(fd, buffer.baseAddress, size)
        if n <= 0 { break }
        var p = buffer.baseAddress!
        let end = p + n
        while p < end, let hit = memchr(p, 0x0A, end - p) {
            count += 1
            p = UnsafeMutableRawPointer(hit) + 1
        }
    }
    return count
}
