import Foundation
import SynapsePlugins
import SynapseTerminal

/// Runs the dashboard on a dedicated UI thread until the user quits, a signal arrives or the terminal
/// goes away, and always gives the terminal back before returning.
///
/// A thread of its own because the loop blocks in `poll()` and every curses call must come from one
/// thread; blocking a thread of Swift's cooperative pool would starve the in-process action.
enum LiveDashboard {
    /// - Parameters:
    ///   - screen: the initial dashboard.
    ///   - queue: where the source (an in-process run, a tailer) pushes events.
    ///   - maxColors: the most colours to use.
    ///   - onCancel: called (on the UI thread) when the user confirms cancelling the run.
    static func run(_ screen: DashboardScreen, queue: EventQueue, maxColors: ColorMode,
                    onCancel: @escaping @Sendable () -> Void = {}) async throws -> LoopExit {
        try await runScreen(screen, queue: queue, maxColors: maxColors, onCancel: onCancel).exit
    }

    /// ``run(_:queue:maxColors:onCancel:)`` for any screen, returning the screen as the loop left it too (the
    /// jobs browser reads what the user chose from it).
    static func runScreen<S: LiveScreen & Sendable>(_ screen: S, queue: EventQueue, maxColors: ColorMode,
                                                    onCancel: @escaping @Sendable () -> Void = {})
        async throws -> (exit: LoopExit, screen: S) {
        // Before curses starts: ncurses installs its own SIGINT/SIGTERM handlers only when none is set.
        let signals = try SignalPipe()
        defer { signals.uninstall() }
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                let result = Result { () throws -> (exit: LoopExit, screen: S) in
                    let terminal = try Terminal(options: Terminal.Options(maxColors: maxColors))
                    // Restored before the caller resumes, so whatever it prints lands on a sane terminal.
                    defer { terminal.restore() }
                    var loop = LiveLoop(terminal: terminal, queue: queue, signals: signals)
                    loop.onCancel = onCancel
                    var screen = screen
                    let exit = loop.run(&screen)
                    return (exit, screen)
                }
                continuation.resume(with: result)
            }
            thread.name = "synapse.ui"
            thread.start()
        }
    }
}
