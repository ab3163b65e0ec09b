import Foundation
import Testing
@testable import SynapsePlugins

/// The sampler on real processes: a tree of a shell, a child that holds 200 MB and one that burns a core.
@Suite(.serialized) struct SystemSamplerTests {
    /// Polls `sampler` (one sample every 0.5 s) until `done` holds for a sample, for at most `timeout` s;
    /// returns the samples taken.
    func poll(_ sampler: SystemSampler, timeout: Double = 25,
              until done: (SystemSample) -> Bool) -> (found: SystemSample?, seen: [SystemSample]) {
        var seen: [SystemSample] = []
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 0.5)
            let sample = sampler.sampleNow()
            seen.append(sample)
            if done(sample) { return (sample, seen) }
        }
        return (nil, seen)
    }

    static func spawn(_ arguments: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    static var python: String? { ChildProcessRun.resolve(executable: "python3") }

    @Test(.enabled(if: SystemSampler.isSupported && python != nil, "needs Linux /proc and python3"))
    func countsTheWholeTreeAndDropsWhatExits() throws {
        let folder = temporaryFolder()
        let release = folder + "/release"
        // Touching every page: a zero-filled bytearray would be calloc'd and never become resident.
        let hold = "import os,time; b=bytearray(b'x')*(200*1024*1024)\nwhile not os.path.exists('\(release)'): time.sleep(0.05)"
        // The burner writes its own CPU time (process_time, from the kernel's per-process clock) to a file
        // ten times a second: what the sampler reads from /proc is compared with what the process says.
        let clock = folder + "/burner-cpu"
        let burn = "import time\nn=0\nwhile True:\n  n+=1\n  if n % 200000 == 0: open('\(clock).tmp','w').write(repr(time.process_time())); __import__('os').replace('\(clock).tmp','\(clock)')"
        let root = try Self.spawn(["-c", "python3 -c \"\(hold)\" & python3 -c \"\(burn)\" & wait"])
        defer {
            var reader = ProcessTreeReader()
            for pid in reader.tree(of: root.processIdentifier) { kill(pid, SIGKILL) }
            root.waitUntilExit()
        }
        let sampler = SystemSampler(root: root.processIdentifier, gpu: nil) { _ in }
        let mb = 1_048_576
        func burnerSeconds() -> Double? {
            (try? String(contentsOfFile: clock, encoding: .utf8)).flatMap { Double($0) }
        }

        let full = poll(sampler) { s in s.processes == 3 && s.rssBytes >= 200 * mb && burnerSeconds() != nil }
        let s = try #require(full.found, "never saw 3 processes and >= 200 MB: \(String(describing: full.seen.last))")
        #expect(s.rssBytes < 300 * mb, "resident \(s.rssBytes / mb) MB for a tree holding 200 MB")
        #expect(s.threads >= 3)
        #expect(s.openFiles >= 3)
        #expect(s.hostMemoryTotal > 0 && s.hostMemoryAvailable > 0)

        // CPU over two seconds: the sampler's figure against the burner's own clock. On an idle machine both
        // are ~100 % of a core; on a busy one (several builds sharing two cores) both are lower, and equal.
        let t0 = try #require(burnerSeconds()), w0 = Date()
        _ = sampler.sampleNow()
        Thread.sleep(forTimeInterval: 2)
        let measured = sampler.sampleNow()
        let t1 = try #require(burnerSeconds()), w1 = Date()
        let own = (t1 - t0) / w1.timeIntervalSince(w0) * 100
        let cpu = try #require(measured.cpuPercent)
        print("system sampler: tree CPU \(cpu) % of a core, the burner's own clock \(own) %")
        // Under a full test run on two shared cores the burner got 4.7 % once: it must have run, not at a rate.
        #expect(own > 0.5, "the burner did not run")
        #expect(abs(cpu - own) < 20, "sampler says \(cpu) % of a core, the burner's clock \(own) %")
        #expect(cpu < 140)

        // The child holding memory exits: it drops out.
        #expect(FileManager.default.createFile(atPath: release, contents: Data()))
        let after = poll(sampler) { s in s.processes == 2 && s.rssBytes < 100 * mb }
        #expect(after.found != nil, "the exited child is still counted: \(String(describing: after.seen.last))")
    }

    @Test(.enabled(if: SystemSampler.isSupported, "needs Linux /proc"))
    func aGoneRootGivesAnEmptySample() throws {
        let p = try Self.spawn(["-c", "exit 0"])
        p.waitUntilExit()
        let sample = SystemSampler(root: p.processIdentifier, gpu: nil) { _ in }.sampleNow()
        #expect(sample.processes == 0)
        #expect(sample.rssBytes == 0)
    }

    @Test(.enabled(if: SystemSampler.isSupported, "needs Linux /proc"))
    func deliversOnItsOwnThreadAndNothingAfterStop() throws {
        let box = SampleBox()
        let sampler = SystemSampler(root: getpid(), interval: 0.1, gpu: nil) { sample in
            box.add(sample, onMainThread: Thread.isMainThread)
        }
        sampler.start()
        let deadline = Date().addingTimeInterval(20)
        while box.count < 3, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        sampler.stop()
        let stopped = box.count
        #expect(stopped >= 3)
        #expect(!box.anyOnMain)
        #expect(box.samples.first?.cpuPercent == nil, "the first sample has no rate")
        #expect(box.samples.dropFirst().allSatisfy { $0.cpuPercent != nil })
        #expect(box.samples.allSatisfy { $0.processes >= 1 && $0.rssBytes > 0 })
        Thread.sleep(forTimeInterval: 0.3)
        #expect(box.count == stopped)
        sampler.stop()
    }

    @Test func intervalFromTheEnvironment() {
        #expect(SystemSampler.interval(environment: [:]) == 1)
        #expect(SystemSampler.interval(environment: ["SYNAPSE_SYSTEM_INTERVAL": "2.5"]) == 2.5)
        #expect(SystemSampler.interval(environment: ["SYNAPSE_SYSTEM_INTERVAL": "0"]) == nil)
        #expect(SystemSampler.interval(environment: ["SYNAPSE_SYSTEM_INTERVAL": "off"]) == nil)
        #expect(SystemSampler.interval(environment: ["SYNAPSE_SYSTEM_INTERVAL": "0.001"]) == 0.1)
        #expect(SystemSampler.interval(environment: ["SYNAPSE_SYSTEM_INTERVAL": "nan"]) == 1)
    }

    @Test func cgroupLimitsV2AndV1() throws {
        let root = temporaryFolder()
        let fm = FileManager.default
        // v2: a 512 MiB memory limit and 1.5 cores.
        try fm.createDirectory(atPath: root + "/v2/job", withIntermediateDirectories: true)
        try "0::/job\n".write(toFile: root + "/cgroup-v2", atomically: true, encoding: .utf8)
        try "536870912\n".write(toFile: root + "/v2/job/memory.max", atomically: true, encoding: .utf8)
        try "1000\n".write(toFile: root + "/v2/job/memory.current", atomically: true, encoding: .utf8)
        try "150000 100000\n".write(toFile: root + "/v2/job/cpu.max", atomically: true, encoding: .utf8)
        var reader = ProcessTreeReader()
        let v2 = reader.limits(hostMemory: 8 << 30, cgroupRoot: root + "/v2", cgroupFile: root + "/cgroup-v2")
        #expect(v2.memoryMax == 536_870_912)
        #expect(v2.cpuCores == 1.5)
        #expect(v2.memoryCurrentPath.flatMap { reader.number($0) } == 1000)

        // v2 without limits ("max").
        try "max\n".write(toFile: root + "/v2/job/memory.max", atomically: true, encoding: .utf8)
        try "max 100000\n".write(toFile: root + "/v2/job/cpu.max", atomically: true, encoding: .utf8)
        let none = reader.limits(hostMemory: 8 << 30, cgroupRoot: root + "/v2", cgroupFile: root + "/cgroup-v2")
        #expect(none == ProcessTreeReader.Limits())

        // v1: memory and cpu controllers; a limit above the host's memory is no limit.
        try fm.createDirectory(atPath: root + "/v1/memory/a", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/v1/cpu,cpuacct/a", withIntermediateDirectories: true)
        try "4:memory:/a\n2:cpu,cpuacct:/a\n0::/\n".write(toFile: root + "/cgroup-v1", atomically: true, encoding: .utf8)
        try "9223372036854771712\n".write(toFile: root + "/v1/memory/a/memory.limit_in_bytes", atomically: true, encoding: .utf8)
        try "200000\n".write(toFile: root + "/v1/cpu,cpuacct/a/cpu.cfs_quota_us", atomically: true, encoding: .utf8)
        try "100000\n".write(toFile: root + "/v1/cpu,cpuacct/a/cpu.cfs_period_us", atomically: true, encoding: .utf8)
        let v1 = reader.limits(hostMemory: 8 << 30, cgroupRoot: root + "/v1", cgroupFile: root + "/cgroup-v1")
        #expect(v1.memoryMax == nil)
        #expect(v1.cpuCores == 2)
    }
}

final class SampleBox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [SystemSample] = []
    private var onMain = false
    func add(_ sample: SystemSample, onMainThread: Bool) {
        lock.withLock {
            items.append(sample)
            onMain = onMain || onMainThread
        }
    }
    var count: Int { lock.withLock { items.count } }
    var samples: [SystemSample] { lock.withLock { items } }
    var anyOnMain: Bool { lock.withLock { onMain } }
}

@Suite struct SystemRecordTests {
    @Test func roundTripsThroughTheLog() throws {
        var sample = SystemSample()
        sample.processes = 3
        sample.cpuPercent = 98.765
        sample.cpuCores = 2
        sample.rssBytes = 209_715_200
        sample.threads = 7
        sample.readBytes = 4096
        sample.writeBytes = 8192
        sample.readRate = 10.4
        sample.writeRate = 0
        sample.openFiles = 12
        sample.hostMemoryTotal = 8 << 30
        sample.hostMemoryAvailable = 4 << 30
        sample.load1 = 1.25
        sample.memoryLimit = 1 << 30
        sample.memoryLimitUsed = 1 << 29
        sample.gpus = [GPUDevice(index: 0, name: "NVIDIA A100-SXM4-40GB", utilization: 87, memoryUsed: 1 << 30,
                                 memoryTotal: 40 << 30, temperature: 61, power: 250.5, processMemory: 1 << 29)]
        let line = EventCodec.encodeString(sample.event(timestamp: 1_764_076_800.5))
        #expect(line.hasPrefix("{\"v\":1,\"event\":\"system\",\"timestamp\":1764076800.5,\"data\":{\"processes\":3,\"cpu_percent\":98.77,\"cpu_machine_percent\":49.38,"))
        let event = try #require(try EventCodec.decodeLine(line))
        var expected = sample
        expected.cpuPercent = 98.77
        expected.readRate = 10
        #expect(SystemSample(event: event) == expected)
    }

    @Test func halfKnownRecordsKeepDefaults() throws {
        let event = try #require(try EventCodec.decodeLine(
            #"{"v":1,"event":"system","timestamp":1,"data":{"rss_bytes":"many","cpu_percent":NaN,"cpu_cores":0,"gpus":[1,{"name":"x"}]}}"#))
        let sample = try #require(SystemSample(event: event))
        #expect(sample.rssBytes == 0)
        #expect(sample.cpuPercent == nil)
        #expect(sample.cpuCores == 0.01)
        #expect(sample.gpus == [GPUDevice(index: 0, name: "x")])
        #expect(SystemSample(event: Event(payload: .custom(name: "system", data: .int(3)))) == nil)
        #expect(SystemSample(event: Event(payload: .end)) == nil)
    }
}

/// `nvidia-smi` output in the documented CSV forms (`--format=csv,noheader,nounits`).
@Suite struct GPUQueryParsingTests {
    @Test func devicesWithAndWithoutFigures() {
        let text = """
            0, GPU-2f1c3a4e-1111-2222-3333-444455556666, NVIDIA A100-SXM4-40GB, 87, 10240, 40960, 61, 250.53
            1, GPU-9a8b7c6d-1111-2222-3333-444455556666, Tesla K80, [N/A], 0, 11441, 34, [Not Supported]
            2, GPU-abc, NVIDIA GeForce RTX 3090, Founders, 5, 24, 24576, [N/A], N/A
            garbage line
            x, GPU-bad, name, 1, 2, 3, 4, 5
            """
        let rows = GPUQuery.parseDevices(text)
        #expect(rows.count == 3)
        #expect(rows[0] == GPUQuery.DeviceRow(uuid: "GPU-2f1c3a4e-1111-2222-3333-444455556666", device: GPUDevice(
            index: 0, name: "NVIDIA A100-SXM4-40GB", utilization: 87, memoryUsed: 10240 * 1_048_576,
            memoryTotal: 40960 * 1_048_576, temperature: 61, power: 250.53)))
        #expect(rows[1].device == GPUDevice(index: 1, name: "Tesla K80", utilization: nil, memoryUsed: 0,
                                            memoryTotal: 11441 * 1_048_576, temperature: 34, power: nil))
        // A name with ", " in it is put back together.
        #expect(rows[2].device.name == "NVIDIA GeForce RTX 3090, Founders")
        #expect(rows[2].device.utilization == 5)
        #expect(rows[2].device.temperature == nil && rows[2].device.power == nil)
    }

    @Test func computeAppsAttributeMemoryToTheJob() {
        let devices = GPUQuery.parseDevices("""
            0, GPU-a, NVIDIA T4, 50, 3000, 15360, 55, 70.1
            1, GPU-b, NVIDIA T4, 0, 0, 15360, 40, 20.0
            """)
        let apps = GPUQuery.parseApps("""
            GPU-a, 4242, 1024
            GPU-a, 4243, 512
            GPU-a, 999, 1464
            GPU-b, 999, [N/A]
            No running processes found
            """)
        #expect(apps.count == 4)
        #expect(apps[3] == GPUQuery.AppRow(gpuUUID: "GPU-b", pid: 999, memory: nil))
        let combined = GPUQuery.combine(devices, apps: apps, pids: [4242, 4243])
        #expect(combined[0].processMemory == 1536 * 1_048_576)
        #expect(combined[1].processMemory == nil)
        #expect(GPUQuery.parseApps("No running processes found\n").isEmpty)
    }

    @Test func controlCharactersInANameAreMadeVisible() {
        let rows = GPUQuery.parseDevices("0, GPU-a, evil\u{1B}[2Jname, 1, 2, 3, 4, 5\n")
        #expect(rows.count == 1)
        #expect(!rows[0].device.name.contains("\u{1B}"))
    }

    @Test func noNvidiaSmiMeansNoGPUs() {
        #expect(GPUQuery.detect(environment: ["PATH": "/nonexistent", "SYNAPSE_NVML_LIBRARY": "/nonexistent/libnvidia-ml.so.1"]) == nil)
        #expect(GPUQuery.detect(environment: ["PATH": "/usr/bin:/bin", "SYNAPSE_SYSTEM_GPU": "off"]) == nil)
    }

    @Test func aFailingQueryGivesNoDevices() {
        #expect(GPUQuery(executable: "/bin/false").devices(for: []) == [])
    }
}
