import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// NVIDIA's NVML (`libnvidia-ml.so.1`, installed with the driver), loaded at run time with `dlopen`, so the
/// binary links nothing of NVIDIA's and a machine without the library simply has none (``load(path:)`` is
/// `nil`; the sampler then tries `nvidia-smi`, and without that reads no GPU at all).
///
/// Only functions and structs documented in `nvml.h` (NVML API Reference) are used: `nvmlInit_v2`,
/// `nvmlDeviceGetCount_v2`, `nvmlDeviceGetHandleByIndex_v2`, `nvmlDeviceGetName`, `nvmlDeviceGetUUID`,
/// `nvmlDeviceGetUtilizationRates` (`nvmlUtilization_t {gpu, memory}`, %), `nvmlDeviceGetMemoryInfo`
/// (`nvmlMemory_t {total, free, used}`, bytes), `nvmlDeviceGetTemperature` (`NVML_TEMPERATURE_GPU`, °C),
/// `nvmlDeviceGetPowerUsage` (mW) and `nvmlDeviceGetComputeRunningProcesses_v3` (or the unversioned one:
/// `nvmlProcessInfo_t`, `usedGpuMemory` `NVML_VALUE_NOT_AVAILABLE` when the driver cannot tell). A call
/// that fails leaves its figure unknown.
package final class NVMLLibrary: @unchecked Sendable {
    typealias Device = OpaquePointer
    private typealias Init = @convention(c) () -> Int32
    private typealias Count = @convention(c) (UnsafeMutablePointer<UInt32>) -> Int32
    private typealias Handle = @convention(c) (UInt32, UnsafeMutablePointer<Device?>) -> Int32
    private typealias Text = @convention(c) (Device, UnsafeMutablePointer<CChar>, UInt32) -> Int32
    private typealias Pair32 = @convention(c) (Device, UnsafeMutablePointer<UInt32>) -> Int32
    private typealias Memory = @convention(c) (Device, UnsafeMutablePointer<UInt64>) -> Int32
    private typealias Temperature = @convention(c) (Device, Int32, UnsafeMutablePointer<UInt32>) -> Int32
    private typealias Processes = @convention(c) (Device, UnsafeMutablePointer<UInt32>, UnsafeMutableRawPointer?) -> Int32

    static let success: Int32 = 0
    static let insufficientSize: Int32 = 7
    static let valueNotAvailable = UInt64.max

    private let handle: UnsafeMutableRawPointer
    private let count: Count
    private let deviceAt: Handle
    private let name: Text?
    private let uuid: Text?
    private let utilization: Pair32?
    private let memory: Memory?
    private let temperature: Temperature?
    private let power: Pair32?
    /// The process query and the size of one `nvmlProcessInfo_t` it fills (24 bytes for v2/v3, 16 for v1).
    private let processes: (call: Processes, stride: Int)?
    // NVML is thread-safe, but one query at a time keeps the buffers simple.
    private let lock = NSLock()

    /// The library's file name when nothing else is asked for.
    package static let defaultPath = "libnvidia-ml.so.1"

    /// Opens NVML at `path` and initialises it; `nil` when the library is absent, lacks a function every
    /// query needs, or `nvmlInit_v2` fails (no driver loaded, no device).
    package static func load(path: String = defaultPath) -> NVMLLibrary? {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else { return nil }
        func symbol<T>(_ name: String, as type: T.Type) -> T? {
            dlsym(handle, name).map { unsafeBitCast($0, to: type) }
        }
        guard let initialise = symbol("nvmlInit_v2", as: Init.self),
              let count = symbol("nvmlDeviceGetCount_v2", as: Count.self),
              let deviceAt = symbol("nvmlDeviceGetHandleByIndex_v2", as: Handle.self),
              initialise() == success else {
            dlclose(handle)
            return nil
        }
        var processes: (Processes, Int)?
        if let v3 = symbol("nvmlDeviceGetComputeRunningProcesses_v3", as: Processes.self) {
            processes = (v3, 24)
        } else if let v1 = symbol("nvmlDeviceGetComputeRunningProcesses", as: Processes.self) {
            processes = (v1, 16)
        }
        return NVMLLibrary(handle: handle, count: count, deviceAt: deviceAt,
                           name: symbol("nvmlDeviceGetName", as: Text.self),
                           uuid: symbol("nvmlDeviceGetUUID", as: Text.self),
                           utilization: symbol("nvmlDeviceGetUtilizationRates", as: Pair32.self),
                           memory: symbol("nvmlDeviceGetMemoryInfo", as: Memory.self),
                           temperature: symbol("nvmlDeviceGetTemperature", as: Temperature.self),
                           power: symbol("nvmlDeviceGetPowerUsage", as: Pair32.self),
                           processes: processes)
    }

    private init(handle: UnsafeMutableRawPointer, count: Count, deviceAt: Handle, name: Text?, uuid: Text?,
                 utilization: Pair32?, memory: Memory?, temperature: Temperature?, power: Pair32?,
                 processes: (Processes, Int)?) {
        self.handle = handle
        self.count = count
        self.deviceAt = deviceAt
        self.name = name
        self.uuid = uuid
        self.utilization = utilization
        self.memory = memory
        self.temperature = temperature
        self.power = power
        self.processes = processes.map { (call: $0.0, stride: $0.1) }
    }

    /// The devices, with the memory `pids` hold on each.
    package func devices(for pids: Set<Int32>) -> [GPUDevice] {
        lock.withLock {
            var n: UInt32 = 0
            guard count(&n) == Self.success else { return [] }
            var out: [GPUDevice] = []
            for index in 0..<min(n, 64) {
                var device: Device?
                guard deviceAt(index, &device) == Self.success, let device else { continue }
                out.append(read(device, index: Int(index), pids: pids))
            }
            return out
        }
    }

    private func read(_ device: Device, index: Int, pids: Set<Int32>) -> GPUDevice {
        var gpu = GPUDevice(index: index, name: text(name, device) ?? "GPU \(index)")
        if let utilization {
            var rates = (UInt32(0), UInt32(0))  // nvmlUtilization_t {gpu, memory}
            let ok = withUnsafeMutableBytes(of: &rates) { utilization(device, $0.baseAddress!.assumingMemoryBound(to: UInt32.self)) }
            if ok == Self.success { gpu.utilization = Double(rates.0) }
        }
        if let memory {
            var info = (UInt64(0), UInt64(0), UInt64(0))  // nvmlMemory_t {total, free, used}
            let ok = withUnsafeMutableBytes(of: &info) { memory(device, $0.baseAddress!.assumingMemoryBound(to: UInt64.self)) }
            if ok == Self.success {
                gpu.memoryTotal = Self.bytes(info.0)
                gpu.memoryUsed = Self.bytes(info.2)
            }
        }
        var value: UInt32 = 0
        if let temperature, temperature(device, 0, &value) == Self.success { gpu.temperature = Double(value) }
        if let power, power(device, &value) == Self.success { gpu.power = Double(value) / 1000 }
        if let processes {
            let mine = runningProcesses(device, processes).filter { pids.contains($0.pid) }
            if !mine.isEmpty { gpu.processMemory = mine.reduce(0) { $0 + ($1.bytes ?? 0) } }
        }
        return gpu
    }

    private func text(_ call: Text?, _ device: Device) -> String? {
        guard let call else { return nil }
        var buffer = [CChar](repeating: 0, count: 96)  // NVML_DEVICE_NAME_V2_BUFFER_SIZE
        guard call(device, &buffer, UInt32(buffer.count)) == Self.success else { return nil }
        return SafeText.line(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// The compute processes on a device, growing the buffer while NVML says it is too small.
    private func runningProcesses(_ device: Device, _ query: (call: Processes, stride: Int)) -> [(pid: Int32, bytes: Int?)] {
        var capacity: UInt32 = 32
        for _ in 0..<4 {
            var n = capacity
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(capacity) * query.stride, alignment: 8)
            defer { buffer.deallocate() }
            let result = query.call(device, &n, buffer.baseAddress)
            if result == Self.success {
                return Self.processInfos(UnsafeRawBufferPointer(buffer), count: Int(min(n, capacity)), stride: query.stride)
            }
            guard result == Self.insufficientSize, n > capacity, n <= 65_536 else { return [] }
            capacity = n
        }
        return []
    }

    /// Decodes `count` `nvmlProcessInfo_t` of `stride` bytes (`unsigned int pid` at 0, `unsigned long long
    /// usedGpuMemory` at 8): the layout nvml.h documents for v1 (16 bytes) and v2/v3 (24 bytes).
    package static func processInfos(_ raw: UnsafeRawBufferPointer, count: Int, stride: Int) -> [(pid: Int32, bytes: Int?)] {
        guard stride >= 16, count >= 0 else { return [] }
        var out: [(pid: Int32, bytes: Int?)] = []
        for i in 0..<min(count, raw.count / stride) {
            let base = i * stride
            let pid = raw.loadUnaligned(fromByteOffset: base, as: UInt32.self)
            let used = raw.loadUnaligned(fromByteOffset: base + 8, as: UInt64.self)
            out.append((Int32(bitPattern: pid), bytes(used)))
        }
        return out
    }

    /// Bytes as NVML reports them; `nil` for `NVML_VALUE_NOT_AVAILABLE` or a value past `Int`.
    static func bytes(_ value: UInt64) -> Int? {
        value == valueNotAvailable || value > UInt64(Int.max) ? nil : Int(value)
    }
}
