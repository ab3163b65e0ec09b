import ArgumentParser
import Foundation
import SynapsePlugins

/// The command line as a library entry point: your package registers its actions and gets every
/// `synapse-tui` command for them.
///
/// ```swift
/// // Sources/my-tool/main.swift
/// import SynapseCLI
/// import SynapsePlugins
///
/// var registry = ActionRegistry.builtIn   // or ActionRegistry() for yours only
/// registry.register(GreetAction.self)
/// await SynapseTUI.main(registry: registry)
/// ```
public enum SynapseTUI {
    /// Runs the `synapse-tui` command line with `registry`'s actions and exits.
    public static func main(registry: ActionRegistry = .builtIn, arguments: [String]? = nil) async {
        CommandSetup.registry = registry
        await SynapseTUICommand.main(arguments)
    }
}

/// What the commands share that cannot travel through argument parsing: the registry given to
/// ``SynapseTUI/main(registry:arguments:)``. Set once before parsing, read by the commands.
enum CommandSetup {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var storedRegistry = ActionRegistry.builtIn

    static var registry: ActionRegistry {
        get { lock.withLock { storedRegistry } }
        set { lock.withLock { storedRegistry = newValue } }
    }
}
