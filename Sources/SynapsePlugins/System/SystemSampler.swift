import Foundation

/// Samples a job's process tree about once a second on a thread of its own and hands each
/// ``SystemSample`` to a closure (which writes it to the job's log and the dashboard).
///
/// The action's thread never waits for it: the sampler only reads `/proc` (and asks NVML or `nvidia-smi` when the
/// machine has one) on its own thread. After ``stop()`` returns no further sample is delivered, so a run
/// can close its log right after. Memory is bounded: it keeps one entry per live process of the tree.
package final class SystemSampler: @unchecked Sendable {
    /// The process whose tree is sampled.
    package let root: Int32
    /// Seconds between samples.
    package let interval: Double

    private let onSample: @Sendable (SystemSample) -> Void
    private let gpu: GPUQuery?
    private let lock = NSLock()
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private var stopped = false
    private var started = false
    // Only the sampling thread touches these (and `sampleNow()` callers, who do not run the thread).
    private var reader = ProcessTreeReader()
    private var previous: [Int32: ProcessTreeReader.ProcessFigures] = [:]
    private var previousTime: Double?
    private var limits: ProcessTreeReader.Limits?

    /// Whether this system can be sampled (Linux); elsewhere ``start()`` does nothing.
    package static var isSupported: Bool { ProcessTreeReader.isSupported }

    /// The interval `SYNAPSE_SYSTEM_INTERVAL` asks for (seconds; default 1; `0` or `off` turns sampling
    /// off and gives `nil`). Values below 0.1 s are raised to 0.1 s.
    package static func interval(environment: [String: String] = ProcessInfo.processInfo.environment) -> Double? {
        guard let text = environment["SYNAPSE_SYSTEM_INTERVAL"]?.trimmingCharacters(in: .whitespaces),
              !text.isEmpty else { return 1 }
        if text == "off" { return nil }
        guard let value = Double(text), value.isFinite else { return 1 }
        return value <= 0 ? nil : max(0.1, value)
    }

    /// - Parameters:
    ///   - root: the job's root process (`getpid()` for an in-process run, the child's pid otherwise).
    ///   - gpu: how GPUs are read; `GPUQuery.detect()` finds NVML or `nvidia-smi`, `nil` reads none.
    ///   - onSample: called on the sampler's thread with each sample.
    package init(root: Int32, interval: Double = 1, gpu: GPUQuery? = GPUQuery.detect(),
                onSample: @escaping @Sendable (SystemSample) -> Void) {
        self.root = root
        self.interval = max(0.05, interval)
        self.gpu = gpu
        self.onSample = onSample
    }

    /// Starts sampling: one sample at once (memory only: CPU and I/O rates need two), then one per interval.
    package func start() {
        guard Self.isSupported else { return }
        let go = lock.withLock { () -> Bool in
            guard !started, !stopped else { return false }
            started = true
            return true
        }
        guard go else { return }
        let thread = Thread { [self] in
            var next = Event.now()
            while true {
                let sample = sampleNow()
                let delivered = lock.withLock { () -> Bool in
                    guard !stopped else { return false }
                    onSample(sample)
                    return true
                }
                if !delivered { break }
                next += interval
                let wait = next - Event.now()
                if wait < 0 { next = Event.now() }
                if wake.wait(timeout: .now() + max(0, wait)) == .success { break }
            }
            finished.signal()
        }
        thread.name = "synapse.system"
        thread.qualityOfService = .utility
        thread.start()
    }

    /// Stops sampling; no sample is delivered after this returns. Safe to call more than once.
    package func stop() {
        let wasRunning = lock.withLock { () -> Bool in
            defer { stopped = true }
            return started && !stopped
        }
        guard wasRunning else { return }
        wake.signal()
        finished.wait()
    }

    /// Takes one sample now, on the caller's thread (what the sampling thread does each interval; also the
    /// harness's unit of cost). Not to be called while the thread runs.
    package func sampleNow() -> SystemSample {
        let now = Event.now()
        var sample = SystemSample()
        let host = reader.host()
        sample.hostMemoryTotal = host.memoryTotal
        sample.hostMemoryAvailable = host.memoryAvailable
        sample.load1 = host.load1
        if limits == nil { limits = reader.limits(hostMemory: host.memoryTotal) }
        let limits = limits ?? .init()
        sample.cpuCores = min(Double(ProcessTreeReader.onlineCores), limits.cpuCores ?? .infinity)
        sample.memoryLimit = limits.memoryMax
        if let path = limits.memoryCurrentPath { sample.memoryLimitUsed = reader.number(path) }

        var current: [Int32: ProcessTreeReader.ProcessFigures] = [:]
        var ticks: UInt64 = 0, read = 0, written = 0
        for pid in reader.tree(of: root) {
            guard let f = reader.figures(of: pid) else { continue }  // exited between the two reads
            current[pid] = f
            sample.rssBytes += f.rssBytes
            sample.threads += f.threads
            sample.openFiles += f.openFiles
            sample.readBytes += f.readBytes
            sample.writeBytes += f.writeBytes
            // Rates compare a process with itself last time (same pid and start time); a process that exited
            // simply drops out.
            if let before = previous[pid], before.startTime == f.startTime {
                ticks += f.cpuTicks &- min(before.cpuTicks, f.cpuTicks)
                read += max(0, f.readBytes - before.readBytes)
                written += max(0, f.writeBytes - before.writeBytes)
            } else if previousTime != nil {
                // Born since the last sample: all it did, it did within this interval.
                ticks += f.cpuTicks
                read += f.readBytes
                written += f.writeBytes
            }
        }
        sample.processes = current.count
        if let previousTime, now > previousTime {
            let seconds = now - previousTime
            sample.cpuPercent = Double(ticks) / reader.ticksPerSecond / seconds * 100
            sample.readRate = Double(read) / seconds
            sample.writeRate = Double(written) / seconds
        }
        previous = current
        previousTime = now
        if let gpu {
            sample.gpus = gpu.devices(for: Set(current.keys))
        }
        return sample
    }
}
