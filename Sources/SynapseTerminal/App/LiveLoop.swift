#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynapseDashboard
import SynapsePlugins

/// The UI thread's loop: sleep in `poll()` on the keyboard, the event queue and the signal pipe; reduce
/// what arrived; draw at most ~30 frames a second and only when something changed.
///
/// Idle (nothing arriving, no clock on screen) it wakes every couple of seconds only to catch a resize
/// that raced with going to sleep, so it costs ~0% CPU.
package struct LiveLoop {
    /// Frames per second at most.
    package var maxFramesPerSecond: Double = 30
    /// Longest sleep when nothing moves on screen.
    package var idleWake: Double = 2
    /// Shortest time between two looks at the queue. Looking less often lets events pile up between
    /// looks, and a producer only pays for a wake-up (a `write`) when it finds the queue empty: at most
    /// this many times a second instead of once per event.
    package var drainInterval: Double = 1.0 / 60
    /// Called on the UI thread for ``LoopCommand/cancelRun``.
    package var onCancel: () -> Void = {}

    /// Events drained but not yet reduced beyond which the queue is left alone.
    static let maxBacklog = 100_000
    /// Bytes of log text drained but not yet reduced beyond which the queue is left alone: long messages are
    /// few events but much memory.
    static let maxBacklogBytes = 8 << 20

    private let terminal: Terminal
    /// Where events arrive: one queue per source (several when comparing runs), told apart by index.
    private let queues: [EventQueue]
    private let signals: SignalPipe?

    /// - Parameters:
    ///   - terminal: the driver (already started, on this thread).
    ///   - queue: where events arrive.
    ///   - signals: the signal pipe, so Ctrl-C and SIGTERM end the loop and the terminal is restored.
    package init(terminal: Terminal, queue: EventQueue, signals: SignalPipe?) {
        self.init(terminal: terminal, queues: [queue], signals: signals)
    }

    /// A loop over several sources, each with its own queue: the screen gets each queue's events and notices
    /// with the queue's index (``LiveScreen/apply(_:source:)``), so a comparison keeps its runs apart.
    package init(terminal: Terminal, queues: [EventQueue], signals: SignalPipe?) {
        self.terminal = terminal
        self.queues = queues
        self.signals = signals
    }

    /// Runs until the user quits, a signal arrives or the terminal goes away. Does not restore the
    /// terminal: the caller does, on every path (`defer`).
    package func run<S: LiveScreen>(_ screen: inout S) -> LoopExit {
        let frameInterval = 1 / maxFramesPerSecond
        var pendings = queues.indices.map { k in var p = PendingEvents(); p.source = k; return p }
        var dirty = true
        var lastFrame = -Double.infinity
        var lastTick = MonotonicClock.now()
        var themeGeneration = screen.themeGeneration
        var cadences = queues.map { _ in QueueCadence(drainInterval: drainInterval) }
        while true {
            let now = MonotonicClock.now()
            if screen.wantsClockTick, now - lastTick >= 1 {
                _ = screen.tick()
                dirty = true
                lastTick = now
            }
            var timeout: Double
            if pendings.contains(where: { !$0.isEmpty }) {
                timeout = 0
            } else if dirty {
                timeout = max(0, lastFrame + frameInterval - now)
            } else if screen.wantsClockTick {
                timeout = max(0, lastTick + 1 - now)
            } else {
                timeout = idleWake
            }
            // Between two looks at the queue (see `QueueCadence`) its wake-up is not polled: it would wake
            // us at once.
            let due = queues.indices.map {
                pendings[$0].backlogBytes < Self.maxBacklogBytes
                    && cadences[$0].isDue(now: now, backlog: pendings[$0].backlog, maxBacklog: Self.maxBacklog)
            }
            for k in queues.indices where !due[k] { timeout = min(timeout, max(0, cadences[k].nextDrain - now)) }
            var fds = [
                pollfd(fd: terminal.inputFD, events: Int16(POLLIN), revents: 0),
                pollfd(fd: signals?.fd ?? -1, events: Int16(POLLIN), revents: 0),
            ]
            for k in queues.indices { fds.append(pollfd(fd: due[k] ? queues[k].wakeFD : -1, events: Int16(POLLIN), revents: 0)) }
            _ = poll(&fds, nfds_t(fds.count), Int32((timeout * 1000).rounded(.up)))

            if let signals, fds[1].revents != 0, let signal = signals.take().first { return .signal(signal) }
            if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return .inputClosed }
            // Keys are read on every wake-up, not only when stdin is readable: a resize interrupts poll()
            // and ncurses reports it as a key only when asked.
            let size = terminal.size
            for key in terminal.readKeys() {
                dirty = true
                for command in screen.handle(key, width: size.width, height: size.height) {
                    switch command {
                    case .quit: return .quit
                    case .cancelRun: onCancel()
                    case .copy(let text): terminal.copyToClipboard(text)
                    }
                }
            }
            // Also when the wake-up was missed but events wait (a reader pausing for room never pushes again).
            for k in queues.indices where fds[2 + k].revents != 0 || (due[k] && queues[k].count > 0) {
                let before = pendings[k].backlog
                pendings[k].take(from: queues[k])
                cadences[k].took(pendings[k].backlog - before, at: MonotonicClock.now())
            }
            // Leave room for a frame and for keys: catching up never freezes the screen (the sources share it).
            let budget = frameInterval * 0.6 / Double(max(1, pendings.filter { !$0.isEmpty }.count))
            for k in pendings.indices where !pendings[k].isEmpty {
                if pendings[k].apply(to: &screen, until: MonotonicClock.now() + budget) { dirty = true }
            }
            if screen.themeGeneration != themeGeneration {
                themeGeneration = screen.themeGeneration
                terminal.resetStyles()
                dirty = true
            }
            let frameTime = MonotonicClock.now()
            if dirty, frameTime - lastFrame >= frameInterval {
                let size = terminal.size
                let canvas = screen.render(width: size.width, height: size.height)
                let mode = terminal.colorMode
                terminal.present(canvas) { screen.terminalStyle(for: $0, mode: mode) }
                lastFrame = frameTime
                dirty = false
            }
        }
    }
}
