import Foundation
import Testing
@testable import SynapsePlugins

/// NVML through `dlopen`: a stand-in `libnvidia-ml.so` built from C with nvml.h's documented signatures and
/// struct layouts (this machine has no NVIDIA driver), the decoding of `nvmlProcessInfo_t`, and what
/// happens on a machine without the library.
@Suite struct NVMLLibraryTests {
    /// The stand-in: two devices; device 0 has 40 compute processes (more than the first buffer holds, so
    /// NVML_ERROR_INSUFFICIENT_SIZE is exercised), one of them with NVML_VALUE_NOT_AVAILABLE memory; device
    /// 1 answers NVML_ERROR_NOT_SUPPORTED for utilisation, temperature and power.
    static let source = #"""
    #include <string.h>
    typedef struct { unsigned int gpu, memory; } nvmlUtilization_t;
    typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
    typedef struct { unsigned int pid; unsigned long long usedGpuMemory; unsigned int gpuInstanceId, computeInstanceId; } nvmlProcessInfo_t;
    typedef void *nvmlDevice_t;
    static long dev(nvmlDevice_t d) { return (long)d - 1; }
    int nvmlInit_v2(void) { return 0; }
    int nvmlDeviceGetCount_v2(unsigned int *n) { *n = 2; return 0; }
    int nvmlDeviceGetHandleByIndex_v2(unsigned int i, nvmlDevice_t *d) { if (i > 1) return 2; *d = (nvmlDevice_t)(long)(i + 1); return 0; }
    int nvmlDeviceGetName(nvmlDevice_t d, char *name, unsigned int len) {
        strncpy(name, dev(d) == 0 ? "NVIDIA A100-SXM4-40GB" : "Tesla K80", len); return 0; }
    int nvmlDeviceGetUUID(nvmlDevice_t d, char *u, unsigned int len) { strncpy(u, "GPU-x", len); return 0; }
    int nvmlDeviceGetUtilizationRates(nvmlDevice_t d, nvmlUtilization_t *u) {
        if (dev(d) == 1) return 3; u->gpu = 87; u->memory = 40; return 0; }
    int nvmlDeviceGetMemoryInfo(nvmlDevice_t d, nvmlMemory_t *m) {
        m->total = 40ULL << 30; m->used = dev(d) == 0 ? 10ULL << 30 : 0; m->free = m->total - m->used; return 0; }
    int nvmlDeviceGetTemperature(nvmlDevice_t d, int sensor, unsigned int *t) { if (dev(d) == 1 || sensor != 0) return 3; *t = 61; return 0; }
    int nvmlDeviceGetPowerUsage(nvmlDevice_t d, unsigned int *mw) { if (dev(d) == 1) return 3; *mw = 250530; return 0; }
    int nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t d, unsigned int *n, nvmlProcessInfo_t *p) {
        unsigned int have = dev(d) == 0 ? 40 : 0;
        if (*n < have) { *n = have; return 7; }
        for (unsigned int i = 0; i < have; i++) {
            p[i].pid = 4000 + i; p[i].usedGpuMemory = i == 3 ? ~0ULL : (1ULL << 20) * (i + 1);
            p[i].gpuInstanceId = p[i].computeInstanceId = 0xFFFFFFFF;
        }
        *n = have; return 0;
    }
    """#

    static var compiler: String? { ChildProcessRun.resolve(executable: "cc") }

    /// Builds the stand-in; its path.
    static func build() throws -> String {
        let folder = temporaryFolder()
        let c = folder + "/fake-nvml.c", library = folder + "/libnvidia-ml.so.1"
        try source.write(toFile: c, atomically: true, encoding: .utf8)
        let cc = Process()
        cc.executableURL = URL(fileURLWithPath: try #require(compiler))
        cc.arguments = ["-shared", "-fPIC", "-o", library, c]
        try cc.run()
        cc.waitUntilExit()
        #expect(cc.terminationStatus == 0, "cc could not build the stand-in")
        return library
    }

    @Test(.enabled(if: compiler != nil && SystemSampler.isSupported, "needs cc and Linux"))
    func loadsAtRunTimeAndReadsEveryDocumentedFigure() throws {
        let path = try Self.build()
        let query = try #require(GPUQuery.detect(environment: ["SYNAPSE_NVML_LIBRARY": path, "PATH": ""]))
        #expect(query.usesNVML)
        let devices = query.devices(for: [4000, 4003, 4039, 1])
        #expect(devices.count == 2)
        #expect(devices.first == GPUDevice(index: 0, name: "NVIDIA A100-SXM4-40GB", utilization: 87,
                                           memoryUsed: 10 << 30, memoryTotal: 40 << 30, temperature: 61, power: 250.53,
                                           processMemory: (1 + 40) << 20))  // pid 4003's memory is not available
        #expect(devices.last == GPUDevice(index: 1, name: "Tesla K80", utilization: nil, memoryUsed: 0,
                                          memoryTotal: 40 << 30, temperature: nil, power: nil, processMemory: nil))
        // The figures reach the sample and its record like nvidia-smi's.
        let sampler = SystemSampler(root: getpid(), gpu: query) { _ in }
        let sample = sampler.sampleNow()
        #expect(sample.gpus.count == 2 && sample.gpus[0].processMemory == nil, "this process holds no GPU memory")
        #expect(sample.json["gpus"] != nil)
        // SYNAPSE_SYSTEM_GPU=nvidia-smi skips NVML (and with no nvidia-smi on PATH there is nothing to read).
        #expect(GPUQuery.detect(environment: ["SYNAPSE_NVML_LIBRARY": path, "SYNAPSE_SYSTEM_GPU": "nvidia-smi", "PATH": ""]) == nil)
    }

    @Test func aMachineWithoutTheLibraryReadsNoGPU() throws {
        let missing = temporaryFolder() + "/libnvidia-ml.so.1"
        #expect(NVMLLibrary.load(path: missing) == nil)
        // A library that is not NVML (no nvmlInit_v2) is not taken for it.
        #expect(NVMLLibrary.load(path: "libc.so.6") == nil)
        #expect(GPUQuery.detect(environment: ["SYNAPSE_NVML_LIBRARY": missing, "PATH": ""]) == nil)
        #expect(GPUQuery.detect(environment: ["SYNAPSE_SYSTEM_GPU": "off"]) == nil)
    }

    @Test func processInfoLayoutsFromNVMLHeader() {
        // v2/v3: {unsigned int pid; unsigned long long usedGpuMemory; unsigned int gpuInstanceId, computeInstanceId;}
        var v3 = [UInt8](repeating: 0, count: 48)
        func put<T: FixedWidthInteger>(_ value: T, at offset: Int, in bytes: inout [UInt8]) {
            withUnsafeBytes(of: value.littleEndian) { for (k, b) in $0.enumerated() { bytes[offset + k] = b } }
        }
        put(UInt32(4242), at: 0, in: &v3); put(UInt64(1 << 30), at: 8, in: &v3); put(UInt32.max, at: 16, in: &v3)
        put(UInt32(7), at: 24, in: &v3); put(UInt64.max, at: 32, in: &v3)
        let decoded = v3.withUnsafeBytes { NVMLLibrary.processInfos($0, count: 2, stride: 24) }
        #expect(decoded.map(\.pid) == [4242, 7] && decoded.map(\.bytes) == [1 << 30, nil])
        // v1: {unsigned int pid; unsigned long long usedGpuMemory;}
        var v1 = [UInt8](repeating: 0, count: 16)
        put(UInt32(99), at: 0, in: &v1); put(UInt64(512), at: 8, in: &v1)
        #expect(v1.withUnsafeBytes { NVMLLibrary.processInfos($0, count: 1, stride: 16) }.map(\.bytes) == [512])
        // A count past the buffer, or a stride too small, reads nothing beyond it.
        #expect(v1.withUnsafeBytes { NVMLLibrary.processInfos($0, count: 5, stride: 16) }.count == 1)
        #expect(v1.withUnsafeBytes { NVMLLibrary.processInfos($0, count: 1, stride: 8) }.isEmpty)
    }
}
