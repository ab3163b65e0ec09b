/// What a run costs the machine at one moment: one `system` record of the event log (`docs/event-log.md`).
///
/// The writer of a local run (the in-process runner, `run --plugin`, `run -- CMD`) takes one about once a
/// second with ``SystemSampler``: the job's process tree (its root process and every descendant), the
/// host, the container's limits when there are any, and the GPUs when there are any.
///
/// A `system` record travels as a custom event (``EventPayload/custom(name:data:)`` named
/// ``eventName``): older readers show it as an unknown event, and the codec needs no case of its own.
/// ``init(event:)`` reads it back.
package struct SystemSample: Sendable, Hashable {
    /// The record's `event` name.
    package static let eventName = "system"

    /// Processes in the job's tree (the root and its descendants alive at the sample).
    package var processes: Int = 0
    /// CPU used by the tree since the previous sample, in percent of one core (200 = two cores busy).
    /// `nil` in the first sample (a rate needs two).
    package var cpuPercent: Double?
    /// Cores the job may use: the container's CPU quota when there is one, else the online cores.
    package var cpuCores: Double = 1
    /// Resident memory of the tree, in bytes.
    package var rssBytes: Int = 0
    /// Threads in the tree.
    package var threads: Int = 0
    /// Bytes the tree's live processes have read from and written to storage (cumulative, `/proc/PID/io`).
    package var readBytes: Int = 0
    /// See ``readBytes``.
    package var writeBytes: Int = 0
    /// Storage reads since the previous sample, in bytes per second (`nil` in the first sample).
    package var readRate: Double?
    /// Storage writes since the previous sample, in bytes per second (`nil` in the first sample).
    package var writeRate: Double?
    /// Open file descriptors of the tree.
    package var openFiles: Int = 0
    /// The host's memory, in bytes (`MemTotal`).
    package var hostMemoryTotal: Int = 0
    /// Memory the host can still give, in bytes (`MemAvailable`).
    package var hostMemoryAvailable: Int = 0
    /// The host's one-minute load average.
    package var load1: Double = 0
    /// The container's memory limit in bytes, when it has one below the host's memory.
    package var memoryLimit: Int?
    /// The container's memory in use (all its processes, page cache included), when it has a limit.
    package var memoryLimitUsed: Int?
    /// GPUs, when the machine has any (empty otherwise: nothing about GPUs is written or shown).
    package var gpus: [GPUDevice] = []

    /// Creates an empty sample.
    package init() {}

    /// CPU in percent of the cores the job may use (100 = all of them).
    package var cpuMachinePercent: Double? { cpuPercent.map { $0 / Swift.max(cpuCores, 0.01) } }

    /// The memory the job's tree is measured against: the container's limit, else the host's memory.
    package var memoryTotal: Int { memoryLimit ?? hostMemoryTotal }

    /// The sample as a `system` event.
    package func event(timestamp: Double = Event.now()) -> Event {
        Event(timestamp: timestamp, payload: .custom(name: Self.eventName, data: .object(json)))
    }

    /// The record's `data`.
    package var json: JSONObject {
        var o: JSONObject = ["processes": .int(processes)]
        if let cpuPercent {
            o["cpu_percent"] = .double(Self.rounded(cpuPercent))
            o["cpu_machine_percent"] = .double(Self.rounded(cpuMachinePercent ?? 0))
        }
        o["cpu_cores"] = .double(Self.rounded(cpuCores))
        o["rss_bytes"] = .int(rssBytes)
        o["threads"] = .int(threads)
        o["read_bytes"] = .int(readBytes)
        o["write_bytes"] = .int(writeBytes)
        if let readRate { o["read_rate"] = .double(readRate.rounded()) }
        if let writeRate { o["write_rate"] = .double(writeRate.rounded()) }
        o["open_files"] = .int(openFiles)
        o["host_memory_total"] = .int(hostMemoryTotal)
        o["host_memory_available"] = .int(hostMemoryAvailable)
        o["load1"] = .double(load1)
        if let memoryLimit { o["memory_limit"] = .int(memoryLimit) }
        if let memoryLimitUsed { o["memory_limit_used"] = .int(memoryLimitUsed) }
        if !gpus.isEmpty { o["gpus"] = .array(gpus.map { .object($0.json) }) }
        return o
    }

    /// Reads a `system` record back; `nil` for any other event or a `data` that is not an object.
    /// Missing or mistyped fields keep their defaults: a reader never fails on a record it half knows.
    package init?(event: Event) {
        guard case .custom(let name, let data) = event.payload, name == Self.eventName,
              let o = data.objectValue else { return nil }
        self.init(json: o)
    }

    /// Reads a record's `data`.
    package init(json o: JSONObject) {
        processes = o["processes"]?.intValue ?? 0
        cpuPercent = o["cpu_percent"]?.doubleValue.flatMap(Self.finite)
        cpuCores = o["cpu_cores"]?.doubleValue.flatMap(Self.finite).map { Swift.max($0, 0.01) } ?? 1
        rssBytes = o["rss_bytes"]?.intValue ?? 0
        threads = o["threads"]?.intValue ?? 0
        readBytes = o["read_bytes"]?.intValue ?? 0
        writeBytes = o["write_bytes"]?.intValue ?? 0
        readRate = o["read_rate"]?.doubleValue.flatMap(Self.finite)
        writeRate = o["write_rate"]?.doubleValue.flatMap(Self.finite)
        openFiles = o["open_files"]?.intValue ?? 0
        hostMemoryTotal = o["host_memory_total"]?.intValue ?? 0
        hostMemoryAvailable = o["host_memory_available"]?.intValue ?? 0
        load1 = o["load1"]?.doubleValue.flatMap(Self.finite) ?? 0
        memoryLimit = o["memory_limit"]?.intValue
        memoryLimitUsed = o["memory_limit_used"]?.intValue
        // Bounded like everything read from a log: a machine has a handful of GPUs, not thousands.
        gpus = (o["gpus"]?.arrayValue ?? []).prefix(64).compactMap { $0.objectValue.map(GPUDevice.init(json:)) }
    }

    static func finite(_ d: Double) -> Double? { d.isFinite ? d : nil }
    /// Two decimals are all a percentage needs; shorter records.
    static func rounded(_ d: Double) -> Double { (d * 100).rounded() / 100 }
}

/// One GPU as `nvidia-smi` or NVML reports it. Every figure is optional: drivers answer `[N/A]` or
/// `[Not Supported]` for what a device cannot measure.
package struct GPUDevice: Sendable, Hashable {
    /// The device's index.
    package var index: Int
    /// Its product name.
    package var name: String
    /// Utilisation in percent.
    package var utilization: Double?
    /// Memory in use on the device, in bytes (all processes).
    package var memoryUsed: Int?
    /// The device's memory, in bytes.
    package var memoryTotal: Int?
    /// Temperature in °C.
    package var temperature: Double?
    /// Power draw in watts.
    package var power: Double?
    /// Memory the job's processes hold on this device, in bytes (`nil` when not known).
    package var processMemory: Int?

    /// Creates a device.
    package init(index: Int, name: String, utilization: Double? = nil, memoryUsed: Int? = nil,
                memoryTotal: Int? = nil, temperature: Double? = nil, power: Double? = nil, processMemory: Int? = nil) {
        self.index = index
        self.name = name
        self.utilization = utilization
        self.memoryUsed = memoryUsed
        self.memoryTotal = memoryTotal
        self.temperature = temperature
        self.power = power
        self.processMemory = processMemory
    }

    var json: JSONObject {
        var o: JSONObject = ["index": .int(index), "name": .string(name)]
        if let utilization { o["utilization"] = .double(utilization) }
        if let memoryUsed { o["memory_used"] = .int(memoryUsed) }
        if let memoryTotal { o["memory_total"] = .int(memoryTotal) }
        if let temperature { o["temperature"] = .double(temperature) }
        if let power { o["power"] = .double(power) }
        if let processMemory { o["process_memory"] = .int(processMemory) }
        return o
    }

    init(json o: JSONObject) {
        index = o["index"]?.intValue ?? 0
        name = o["name"]?.stringValue ?? ""
        utilization = o["utilization"]?.doubleValue.flatMap(SystemSample.finite)
        memoryUsed = o["memory_used"]?.intValue
        memoryTotal = o["memory_total"]?.intValue
        temperature = o["temperature"]?.doubleValue.flatMap(SystemSample.finite)
        power = o["power"]?.doubleValue.flatMap(SystemSample.finite)
        processMemory = o["process_memory"]?.intValue
    }
}
