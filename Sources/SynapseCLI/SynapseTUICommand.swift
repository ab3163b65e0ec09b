import ArgumentParser

/// The `synapse-tui` command line. With no subcommand: the jobs browser (``JobsBrowser``).
package struct SynapseTUICommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "synapse-tui",
        abstract: "Run Synapse plugin actions and watch them in a terminal dashboard.",
        discussion: """
            With no subcommand, on a terminal: the jobs browser (a live list of the jobs of $SYNAPSE_HOME, or of \
            a Ray cluster with --ray URL; Enter attaches, / filters, s sorts, Space marks, C compares, c cancels, \
            D deletes a finished job's folder, m picks the key metric). Off a terminal: what `jobs` prints.
            """,
        version: SynapseTUICommand.version,
        subcommands: [RunCommand.self, AttachCommand.self, ShowCommand.self, JobsCommand.self, ActionsCommand.self,
                      ExportCommand.self, CompareCommand.self]
    )

    /// The version `--version` prints (the Python bridge's package has the same).
    package static let version = "0.1.0"

    /// The subcommands' names, for "did you mean …?".
    static var subcommandNames: [String] { configuration.subcommands.map { $0._commandName } }

    @OptionGroup var ray: RayOptions

    @OptionGroup var dashboard: DashboardOptions

    package init() {}

    /// No subcommand: the jobs browser on a terminal; off one, what `jobs` prints and how to get help.
    package func run() async throws {
        guard JobsBrowser.onTerminal else {
            if ray.isSet { return try await RayCLI.listJobs(ray, json: false, limit: nil) }
            return JobsBrowser.printJobs()
        }
        try await JobsBrowser.open(ray: ray, settings: try DashboardSettings(dashboard, debug: false))
    }
}
