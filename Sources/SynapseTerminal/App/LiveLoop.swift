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

    private let terminal: Terminal
    private let queue: EventQueue
    private let signals: SignalPipe?

    /// - Parameters:
    ///   - terminal: the driver (already started, on this thread).
    ///   - queue: where events arrive.
    ///   - signals: the signal pipe, so Ctrl-C and SIGTERM end the loop and the terminal is restored.
    package init(terminal: Terminal, queue: EventQueue, signals: SignalPipe?) {
        self.terminal = terminal
        self.queue = queue
        self.signals = signals
    }

    /// Runs until the user quits, a signal arrives or the terminal goes away. Does not restore the
    /// terminal: the caller does, on every path (`defer`).
    package func run<S: LiveScreen>(_ screen: inout S) -> LoopExit {
        let frameInterval = 1 / maxFramesPerSecond
        var pending = PendingEvents()
        var dirty = true
        var lastFrame = -Double.infinity
        var lastTick = MonotonicClock.now()
        var themeGeneration = screen.themeGeneration
        var cadence = QueueCadence(drainInterval: drainInterval)
        while true {
            let now = MonotonicClock.now()
            if screen.wantsClockTick, now - lastTick >= 1 {
                dirty = true
                lastTick = now
            }
            var timeout: Double
            if !pending.isEmpty {
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
            let queueDue = cadence.isDue(now: now, backlog: pending.backlog, maxBacklog: Self.maxBacklog)
            if !queueDue { timeout = min(timeout, max(0, cadence.nextDrain - now)) }
            var fds = [
                pollfd(fd: terminal.inputFD, events: Int16(POLLIN), revents: 0),
                pollfd(fd: queueDue ? queue.wakeFD : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: signals?.fd ?? -1, events: Int16(POLLIN), revents: 0),
            ]
            _ = poll(&fds, nfds_t(fds.count), Int32((timeout * 1000).rounded(.up)))

            if let signals, fds[2].revents != 0, let signal = signals.take().first { return .signal(signal) }
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
            if fds[1].revents != 0 || (queueDue && queue.count > 0) {
                let before = pending.backlog
                pending.take(from: queue)
                cadence.took(pending.backlog - before, at: MonotonicClock.now())
            }
            if !pending.isEmpty {
                // Leave room for a frame and for keys: catching up never freezes the screen.
                if pending.apply(to: &screen, until: MonotonicClock.now() + frameInterval * 0.6) { dirty = true }
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
