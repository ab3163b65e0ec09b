import ArgumentParser
import SynapsePlugins

/// `synapse-tui actions`: the actions this command line can run, with their default params.
struct ActionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actions",
        abstract: "List the registered actions with their default params.")

    @Flag(help: "One JSON object per action instead of text.")
    var json = false

    func run() async throws {
        for action in CommandSetup.registry.actions {
            if json {
                Console.out(JSONValue.object(["name": .string(action.name), "summary": .string(action.summary),
                                              "params": action.defaultParams]).jsonText)
            } else {
                Console.out("\(action.name)\(action.summary.isEmpty ? "" : "  \(action.summary)")")
                Console.out("    defaults: \(action.defaultParams.jsonText)")
            }
        }
    }
}
