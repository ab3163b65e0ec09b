import Foundation

/// Reads NVIDIA GPUs: through NVML (``NVMLLibrary``, loaded at run time) when the driver's library is there,
/// else through `nvidia-smi`'s documented CSV queries:
///
/// ```
/// nvidia-smi --query-gpu=index,uuid,name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw \
///            --format=csv,noheader,nounits
/// nvidia-smi --query-compute-apps=gpu_uuid,pid,used_memory --format=csv,noheader,nounits
/// ```
///
/// Memory comes in MiB, power in W, temperature in °C; a figure a device cannot give is `[N/A]` or
/// `[Not Supported]` and is kept as unknown. On a machine without `nvidia-smi` ``detect(environment:)``
/// gives `nil` and nothing about GPUs is read, written or shown.
package struct GPUQuery: Sendable {
    /// The `nvidia-smi` to run (when NVML is not used).
    package var executable: String
    /// The longest one query may take before it is stopped (a wedged driver must not stall sampling).
    package var timeout: Double = 2
    /// NVML, when it was loaded: asked instead of running `nvidia-smi`.
    package var nvml: NVMLLibrary?

    /// Creates a query running `executable`.
    package init(executable: String) {
        self.executable = executable
    }

    /// A query through NVML.
    package init(nvml: NVMLLibrary) {
        executable = ""
        self.nvml = nvml
    }

    /// Whether this query asks NVML (else it runs `nvidia-smi`).
    package var usesNVML: Bool { nvml != nil }

    /// NVML when its library loads and initialises (`SYNAPSE_NVML_LIBRARY` names another file than
    /// `libnvidia-ml.so.1`), else `nvidia-smi` on `PATH`, else `nil`: the machine has no NVIDIA GPU to read.
    /// `SYNAPSE_SYSTEM_GPU=off` turns GPU sampling off; `SYNAPSE_SYSTEM_GPU=nvidia-smi` skips NVML.
    package static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) -> GPUQuery? {
        if environment["SYNAPSE_SYSTEM_GPU"] == "off" { return nil }
        if environment["SYNAPSE_SYSTEM_GPU"] != "nvidia-smi",
           let library = NVMLLibrary.load(path: environment["SYNAPSE_NVML_LIBRARY"] ?? NVMLLibrary.defaultPath) {
            return GPUQuery(nvml: library)
        }
        return ChildProcessRun.resolve(executable: "nvidia-smi", environment: environment).map(GPUQuery.init(executable:))
    }

    static let deviceArguments = ["--query-gpu=index,uuid,name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw",
                                  "--format=csv,noheader,nounits"]
    static let appArguments = ["--query-compute-apps=gpu_uuid,pid,used_memory", "--format=csv,noheader,nounits"]

    /// The devices, with the memory `pids` hold on each; empty when the query fails.
    package func devices(for pids: Set<Int32>) -> [GPUDevice] {
        if let nvml { return nvml.devices(for: pids) }
        guard let deviceText = run(Self.deviceArguments) else { return [] }
        let apps = run(Self.appArguments).map(Self.parseApps) ?? []
        return Self.combine(Self.parseDevices(deviceText), apps: apps, pids: pids)
    }

    /// One device row, with the uuid the compute-apps rows name it by.
    package struct DeviceRow: Sendable, Hashable {
        package var uuid: String
        package var device: GPUDevice
    }

    /// One compute-app row.
    package struct AppRow: Sendable, Hashable {
        package var gpuUUID: String
        package var pid: Int32
        /// Bytes, `nil` when not available.
        package var memory: Int?
    }

    /// Parses `--query-gpu=index,uuid,name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw`
    /// rows; lines that do not fit are skipped. A name holding `, ` is put back together.
    package static func parseDevices(_ text: String) -> [DeviceRow] {
        var rows: [DeviceRow] = []
        for line in text.split(whereSeparator: \.isNewline).prefix(64) {
            var fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 8 else { continue }
            if fields.count > 8 {
                let extra = fields.count - 8
                fields[2] = fields[2...(2 + extra)].joined(separator: ", ")
                fields.removeSubrange(3...(2 + extra))
            }
            guard let index = Int(fields[0]) else { continue }
            let device = GPUDevice(index: index, name: SafeText.line(fields[2]),
                                   utilization: number(fields[3]),
                                   memoryUsed: number(fields[4]).map(mebibytes),
                                   memoryTotal: number(fields[5]).map(mebibytes),
                                   temperature: number(fields[6]), power: number(fields[7]))
            rows.append(DeviceRow(uuid: fields[1], device: device))
        }
        return rows
    }

    /// Parses `--query-compute-apps=gpu_uuid,pid,used_memory` rows ("No running processes found" and lines
    /// that do not fit give nothing).
    package static func parseApps(_ text: String) -> [AppRow] {
        var rows: [AppRow] = []
        for line in text.split(whereSeparator: \.isNewline).prefix(4096) {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 3, let pid = Int32(fields[1]) else { continue }
            rows.append(AppRow(gpuUUID: fields[0], pid: pid, memory: number(fields[2]).map(mebibytes)))
        }
        return rows
    }

    /// The devices with the memory held by `pids` on each (`nil` when none of them is on it).
    package static func combine(_ devices: [DeviceRow], apps: [AppRow], pids: Set<Int32>) -> [GPUDevice] {
        devices.map { row in
            var device = row.device
            let mine = apps.filter { $0.gpuUUID == row.uuid && pids.contains($0.pid) }
            if !mine.isEmpty { device.processMemory = mine.reduce(0) { $0 + ($1.memory ?? 0) } }
            return device
        }
    }

    /// A number, or `nil` for `[N/A]`, `[Not Supported]`, `N/A` and anything else that is not one.
    static func number(_ field: String) -> Double? {
        guard let value = Double(field), value.isFinite else { return nil }
        return value
    }

    static func mebibytes(_ value: Double) -> Int { Int((value * 1_048_576).rounded()) }

    /// Runs `nvidia-smi` with `arguments`; its standard output, or `nil` when it fails or takes too long.
    func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + timeout, execute: watchdog)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else { return nil }
        return String(decoding: data.prefix(1 << 20), as: UTF8.self)
    }
}
