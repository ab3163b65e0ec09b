import ArgumentParser
import Foundation
import SynapseDashboard
import SynapsePlugins
import SynapseRay
import SynapseTerminal

/// `show --ray` and `attach --ray`: the dashboard of a job on a Ray cluster.
extension RayCLI {
    /// `show --ray`: the job's current (or final) dashboard as text, from its status and its whole log so far.
    static func show(_ options: RayOptions, job: String, size: Size, color: Bool, settings: DashboardSettings,
                     summary: Bool = true) async throws
    {
        let client = try options.client()
        let snapshot: (info: RayJobInfo, events: [Event])
        do { snapshot = try await RayEventSource.snapshot(client: client, submissionID: job) } catch { throw fail(error) }
        let label = RayEventSource(client: client, submissionID: job).label
        var screen = DashboardScreen(settings: settings, isInProcess: false, sourceLabel: label, interactive: false)
        screen.apply(snapshot.events[...])
        var renderOptions = screen.options
        renderOptions.now = snapshot.info.status.isTerminal ? nil : Event.now()
        if summary {
            // What happened first, as `show` of a local job prints it (Ray's status is the truth here).
            var runSummary = RunSummary(state: screen.state, now: renderOptions.now)
            if runSummary.jobID == nil { runSummary.jobID = job }
            print(runSummary.lines(utcOffset: renderOptions.utcOffset, ascii: renderOptions.ascii).joined(separator: "\n") + "\n")
        }
        let canvas = DashboardRenderer.render(screen.state, ui: screen.ui, size: size, options: renderOptions)
        if color && settings.maxColors != .none {
            print(PlainTextRenderer.ansi(canvas, theme: screen.theme), terminator: "")
        } else {
            print(PlainTextRenderer.text(canvas), terminator: "")
        }
    }

    /// `attach --ray`: the live dashboard on a terminal; elsewhere (a pipe, CI) console lines until the job
    /// ends, exiting with the run's outcome (0 completed, 1 failed, 130 cancelled).
    static func attachCommand(_ options: RayOptions, job: String, settings: DashboardSettings, debug: Bool) async throws {
        let client = try options.client()
        do { _ = try await client.job(job) } catch { throw fail(error) }  // a wrong id or address: say so now
        if isatty(STDOUT_FILENO) == 1 {
            _ = try await liveDashboard(client: client, submissionID: job, settings: settings)
            return
        }
        let status = await followHeadless(client: client, submissionID: job, debug: debug, stopOnInterrupt: false)
        throw ExitCode(exitCode(for: status))
    }

    /// Follows the job in the live dashboard until the user leaves (`q`: the job goes on) or a signal comes.
    /// `c`, after the dashboard's confirmation, asks Ray to stop the job; its `cancelled` status then arrives
    /// through the log stream. Returns the job's run status when it has ended, `nil` while it goes on.
    static func liveDashboard(client: RayJobsClient, submissionID: String, settings: DashboardSettings)
        async throws -> RunStatus?
    {
        let queue = try EventQueue()
        let source = RayEventSource(client: client, submissionID: submissionID)
        source.start(into: queue)
        var screen = DashboardScreen(settings: settings, isInProcess: false, sourceLabel: source.label)
        screen.canCancel = true
        let exit = try await LiveDashboard.run(screen, queue: queue, maxColors: settings.maxColors,
                                               onCancel: source.cancelHook(reportingTo: queue) ?? {})
        source.stop()
        await source.wait()
        if case .signal(let number) = exit { throw ExitCode(128 + number) }
        guard let info = try? await client.job(submissionID), info.status.isTerminal else {
            Console.error("Left the dashboard; Ray job \(submissionID) goes on (synapse-tui attach --ray \(client.endpoint) \(submissionID))")
            return nil
        }
        Console.out("Status: \(info.status.runStatus.rawValue)")
        return info.status.runStatus
    }
}
