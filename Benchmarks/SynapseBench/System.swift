import Foundation
import SynapsePlugins

/// What sampling a run's process tree costs (issue #22's goal: at most 0.5 % of one core at one sample a
/// second). Two figures over a tree of this process and four `sleep` children:
/// - one sample's CPU time on the calling thread (median of `samples`), times one per second;
/// - the sampler running on its own thread at 20 samples a second for 3 s, the process's CPU per sample
///   while the main thread sleeps (thread start-up, timer and delivery included), times one per second.
func systemFigure(samples: Int) {
    guard SystemSampler.isSupported else {
        out("system sampler: skipped (not Linux)")
        return
    }
    let children = (0..<4).compactMap { _ in spawnQuietly(["sleep", "60"]) }
    defer {
        for pid in children {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }
    let hostProcesses = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.filter { Int($0) != nil }.count ?? 0
    let sampler = SystemSampler(root: getpid(), gpu: nil) { _ in }
    var costs: [Double] = []
    var tree = 0
    for _ in 0..<samples {
        let c0 = threadCPU()
        tree = sampler.sampleNow().processes
        costs.append(threadCPU() - c0)
    }
    let perSample = median(costs)

    let delivered = SampleCounter()
    let live = SystemSampler(root: getpid(), interval: 0.05, gpu: nil) { _ in delivered.add() }
    let c0 = processCPU()
    live.start()
    Thread.sleep(forTimeInterval: 3)
    live.stop()
    let liveCost = (processCPU() - c0) / Double(max(1, delivered.value))
    report("system sampler: one sample", "\(seconds(perSample)) cpu (tree of \(tree) processes, \(hostProcesses) on the host) = \(fmt(perSample * 100, 3)) % of a core at 1/s")
    report("system sampler: on its thread", "\(seconds(liveCost)) cpu per sample (\(delivered.value) samples in 3 s) = \(fmt(liveCost * 100, 3)) % of a core at 1/s; goal <= 0.5 %")
}

final class SampleCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
