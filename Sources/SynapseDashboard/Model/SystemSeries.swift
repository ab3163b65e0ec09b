import SynapsePlugins

/// The run's `system` records (``SystemSample``) reduced for the screen: the newest sample, the peaks, and
/// a down-sampled history of each figure the strip and the System pane draw (bounded like every
/// ``MetricSeries``: at most ``MetricSeries/bucketCapacity`` buckets each, whatever the run's length).
package struct SystemSeries: Sendable, Hashable {
    /// One figure with a history.
    package enum Figure: String, Sendable, Hashable, CaseIterable {
        /// CPU of the job's tree, % of one core.
        case cpu
        /// Resident memory of the tree, bytes.
        case memory
        /// Storage reads + writes, bytes per second.
        case io
        /// GPU utilisation, % (mean over the devices).
        case gpu
        /// GPU memory in use, bytes (all devices).
        case gpuMemory = "gpu_memory"

        /// The figure's name on the chart and in `m`'s cycle (`system/cpu_percent`), with its unit in it.
        package var chartName: String {
            switch self {
            case .cpu: return "cpu_percent"
            case .memory: return "rss_bytes"
            case .io: return "io_rate"
            case .gpu: return "gpu_utilization"
            case .gpuMemory: return "gpu_memory_used"
            }
        }
    }

    /// The newest sample.
    package private(set) var latest: SystemSample?
    /// `system` records seen.
    package private(set) var sampleCount = 0
    /// The largest resident memory seen, bytes.
    package private(set) var peakRSS = 0
    /// The largest CPU seen, % of one core.
    package private(set) var peakCPU = 0.0
    /// Timestamp of the newest sample.
    package private(set) var lastTime: Double?
    private var histories: [MetricSeries] = Array(repeating: MetricSeries(), count: Figure.allCases.count)

    /// Creates an empty reduction.
    package init() {}

    /// The history of one figure (x: the samples' timestamps).
    package func history(_ figure: Figure) -> MetricSeries {
        histories[Figure.allCases.firstIndex(of: figure)!]
    }

    /// Whether any sample reported a GPU.
    package var hasGPU: Bool { history(.gpu).sampleCount > 0 || history(.gpuMemory).sampleCount > 0 }

    /// Adds one sample taken at `time`.
    package mutating func add(_ sample: SystemSample, time: Double) {
        sampleCount += 1
        latest = sample
        lastTime = time
        peakRSS = max(peakRSS, sample.rssBytes)
        if let cpu = sample.cpuPercent {
            peakCPU = max(peakCPU, cpu)
            append(.cpu, cpu, time)
        }
        append(.memory, Double(sample.rssBytes), time)
        if let read = sample.readRate, let write = sample.writeRate { append(.io, read + write, time) }
        let utilisations = sample.gpus.compactMap(\.utilization)
        if !utilisations.isEmpty { append(.gpu, utilisations.reduce(0, +) / Double(utilisations.count), time) }
        let used = sample.gpus.compactMap(\.memoryUsed)
        if !used.isEmpty { append(.gpuMemory, Double(used.reduce(0, +)), time) }
    }

    private mutating func append(_ figure: Figure, _ value: Double, _ time: Double) {
        histories[Figure.allCases.firstIndex(of: figure)!].append(value, counter: time, time: time)
    }
}
