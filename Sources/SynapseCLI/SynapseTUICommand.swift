import ArgumentParser

/// The `synapse-tui` command line. (Subcommands are added as they land.)
package struct SynapseTUICommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "synapse-tui",
        abstract: "Run Synapse plugin actions and watch them in a terminal dashboard.",
        version: SynapseTUICommand.version,
        subcommands: [RunCommand.self, AttachCommand.self, ShowCommand.self, JobsCommand.self, ActionsCommand.self,
                      ExportCommand.self, CompareCommand.self]
    )

    /// The version `--version` prints (the Python bridge's package has the same).
    package static let version = "0.1.0"

    /// The subcommands' names, for "did you mean …?".
    static var subcommandNames: [String] { configuration.subcommands.map { $0._commandName } }

    package init() {}
}
