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
            finished job shows its final state. Press q to leave (the job goes on), ? for every key.
            """
    )

    @Argument(help: "A job id or a unique prefix of one (see `synapse-tui jobs`).")
    var job: String?

    @Option(name: .long, help: "Follow this event-log file instead of a job of SYNAPSE_HOME.")
    var file: String?

    @Flag(name: .long, help: "Show the dev-event pane from the start (also SYNAPSE_DEBUG=1).")
    var debug = false

    @OptionGroup var dashboard: DashboardOptions

    func validate() throws {
        if (job == nil) == (file == nil) { throw ValidationError("Give a job id or --file PATH (one of them).") }
    }

    func run() async throws {
        let source = try EventLogSource.resolve(job: job, file: file)
        let settings = try DashboardSettings(dashboard, debug: debug)
        let queue = try EventQueue()
        let tailer = try EventLogTailer(path: source.path, queue: queue)
        tailer.start()
        defer { tailer.stop() }
        let screen = DashboardScreen(settings: settings, isInProcess: false, sourceLabel: source.label)
        let exit = try await LiveDashboard.run(screen, queue: queue, maxColors: settings.maxColors)
        if case .signal(let number) = exit { throw ExitCode(128 + number) }
    }
}
