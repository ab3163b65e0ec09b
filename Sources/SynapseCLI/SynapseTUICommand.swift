import ArgumentParser

/// The `synapse-tui` command line. (Subcommands are added as they land.)
public struct SynapseTUICommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "synapse-tui",
        abstract: "Run Synapse plugin actions and watch them in a terminal dashboard.",
        subcommands: [RunCommand.self, AttachCommand.self, ShowCommand.self, JobsCommand.self, ActionsCommand.self,
                      ExportCommand.self]
    )

    public init() {}
}
