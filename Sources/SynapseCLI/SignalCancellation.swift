import Foundation
import SynapsePlugins

/// Turns SIGINT and SIGTERM into a cancelled run while a run is in progress.
///
/// The first signal cancels the run (the action's task is cancelled, the runner records `cancelled`,
/// flushes, and `run` exits 130). A second signal means the action ignores cancellation: the process
/// exits 130 at once, after flushing what the log has buffered.
final class SignalCancellation: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []
    private let lock = NSLock()
    private var received = 0  // guarded by lock

    /// Starts watching; `onSignal` runs once, on the first signal; `beforeForcedExit` on the second.
    init(onSignal: @escaping @Sendable () -> Void, beforeForcedExit: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)  // let the dispatch source see it instead of the default handler
            let source = DispatchSource.makeSignalSource(signal: number, queue: DispatchQueue.global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                let count = self.lock.withLock { () -> Int in self.received += 1; return self.received }
                if count == 1 {
                    onSignal()
                } else {
                    beforeForcedExit()
                    exit(RunExitCode.cancelled)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Stops watching and restores the default signal handlers.
    func stop() {
        for source in sources { source.cancel() }
        sources.removeAll()
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
