import ArgumentParser
import Foundation
import SynapseDashboard
import SynapsePlugins
import SynapseTerminal

/// `synapse-tui run` on a terminal: the action runs in-process while the dashboard shows it.
///
/// The job's event log is written exactly as in headless mode, so another terminal can `attach` to the
/// same run meanwhile. `c` (confirmed) cancels the run and the screen shows its final state; `q` during
/// the run asks whether to cancel; Ctrl-C or SIGTERM cancel it, restore the terminal and exit 130 once the
/// run has recorded `cancelled`.
enum RunDashboard {
    static func run(_ request: RunRequest, registry: ActionRegistry, look: DashboardOptions, debug: Bool) async throws
        -> RunOutcome {
        let settings = try DashboardSettings(look, debug: debug)
        let queue = try EventQueue()
        // The action's own print()/stderr would land on the dashboard's screen: it becomes output records.
        let output = try? OutputCapture.start()
        let handle: RunHandle
        do {
            handle = try ActionRunner(registry: registry)
                .startJob(request, in: JobStore.fromEnvironment(), alsoLoggingTo: [QueueLogger(queue: queue)],
                          systemInterval: SystemSampler.interval(), output: output)
        } catch {
            output?.stop()
            Console.error("cannot create job: \(error)")
            throw ExitCode(RunExitCode.jobNotCreated)
        }
        let began = Event.now()
        // When the run itself ended (the user may look at the final screen for a while before quitting).
        let ended = Task { () -> Double in _ = await handle.outcome; return Event.now() }
        var screen = DashboardScreen(settings: settings, isInProcess: true, sourceLabel: handle.jobID)
        // Where a message cut in memory can be read whole (the detail view names it).
        screen.ui.logPath = try? JobStore.fromEnvironment().eventLog(of: handle.jobID).path
        if let path = screen.ui.logPath {
            screen.timeTravel(log: path)
        }
        let exit: LoopExit
        do {
            exit = try await LiveDashboard.run(screen, queue: queue, maxColors: settings.maxColors,
                                               onCancel: { handle.cancel(reason: userCancel) })
        } catch {
            output?.stop()
            throw error
        }
        output?.stop()
        // Whatever ended the dashboard, a run still going is cancelled (q was confirmed, or a signal came);
        // cancelling a finished run does nothing.
        handle.cancel(reason: reason(for: exit))
        if case .signal = exit { Console.error("Cancelling job \(handle.jobID)…") }
        let outcome = await handle.outcome
        // The dashboard is gone: leave the outcome (the whole error) on the terminal.
        for line in ExitSummary.lines(action: request.steps.map(\.action).joined(separator: ","), jobID: handle.jobID,
                                     status: outcome.status, duration: await ended.value - began, error: outcome.error,
                                     result: nil) {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        Console.out("Job: \(handle.jobID)")
        switch outcome.status {
        case .completed: Console.out("Result: \(outcome.result.map(Console.json) ?? "null")")
        default: Console.out("Status: \(outcome.status.rawValue)")
        }
        try RunExitCode.checkLog(of: handle)
        return outcome
    }

    /// `c` (confirmed) on the dashboard; a confirmed `q` ends the dashboard first, so it reads `(q)`.
    static let userCancel = "cancelled by user (c)"

    /// Why the run is cancelled when the dashboard ended with it still going.
    static func reason(for exit: LoopExit) -> String {
        switch exit {
        case .signal(let number): return SignalCancellation.reason(for: number)
        case .quit: return "cancelled by user (q)"
        case .inputClosed: return "cancelled: the terminal closed"
        }
    }
}
