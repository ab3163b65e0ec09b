import ArgumentParser
import Foundation
import SynapseDashboard
import SynapsePlugins
import SynapseTerminal

/// `synapse-tui attach`: follow a job's event log live in the dashboard.
struct AttachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "Follow a job live in the dashboard (catch up on its history, then follow).",
        discussion: """
            The log may not exist yet (the dashboard says "waiting"), grow, be truncated or replaced; a \
            finished job shows its final state. Press q to leave (the job goes on), ? for every key. \
            Without a job, on a terminal, it opens the jobs browser (as `synapse-tui` does) to pick one.
            """
    )

    @Argument(help: "A job id or a unique prefix of one (see `synapse-tui jobs`); none: pick one in the jobs browser.")
    var job: String?

    @Option(name: .long, help: "Follow this event-log file instead of a job of SYNAPSE_HOME.")
    var file: String?

    @Option(name: .long, help: "Follow the captured console output of an unmodified synapse-sdk run.")
    var console: String?

    @Flag(name: .long, help: "Show the dev-event pane from the start (also SYNAPSE_DEBUG=1).")
    var debug = false

    @OptionGroup var dashboard: DashboardOptions

    @OptionGroup var ray: RayOptions

    func validate() throws {
        try validateLogSource(job: job, file: file, console: console, ray: ray, allowNone: JobsBrowser.onTerminal)
    }

    func run() async throws {
        if job == nil, file == nil, console == nil {
            return try await JobsBrowser.open(ray: ray, settings: try DashboardSettings(dashboard, debug: debug))
        }
        if ray.isSet {
            return try await RayCLI.attachCommand(ray, job: job!, settings: try DashboardSettings(dashboard, debug: debug),
                                                  debug: debug)
        }
        let source = try EventLogSource.resolve(job: job, file: file, console: console)
        try checkLogFile(source.path, mustExist: false)
        try await Self.follow(source, settings: try DashboardSettings(dashboard, debug: debug))
    }

    /// The dashboard on `source` until the user leaves it (a signal ends the process with 128 + its number).
    static func follow(_ source: EventLogSource, settings: DashboardSettings) async throws {
        let queue = try EventQueue()
        let eventSource = try source.makeSource()
        eventSource.start(into: queue)
        defer { eventSource.stop() }
        var screen = DashboardScreen(settings: settings, isInProcess: false, sourceLabel: eventSource.label)
        if source.format == .eventLog {
            screen.liveness = LivenessProbe(eventLog: source.path)
            screen.ui.logPath = source.path
            screen.timeTravel(log: source.path)
        }
        let exit = try await LiveDashboard.run(screen, queue: queue, maxColors: settings.maxColors)
        if case .signal(let number) = exit { throw ExitCode(128 + number) }
    }
}
