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
    ///
    /// - Parameters:
    ///   - registry: the actions `run` can run.
    ///   - arguments: the command line (default: the process's).
    ///   - routeSwiftLog: bootstrap swift-log with ``SynapseLogHandler`` so `Logger` output of your code and
    ///     its libraries shows up in the run it happens in. Leave it off if you bootstrap swift-log yourself
    ///     (swift-log allows one bootstrap per process).
    public static func main(registry: ActionRegistry = .builtIn, arguments: [String]? = nil,
                            routeSwiftLog: Bool = false) async {
        if routeSwiftLog { SynapseLogHandler.bootstrap() }
        CommandSetup.registry = registry
        CommandSetup.arguments = arguments ?? Array(CommandLine.arguments.dropFirst())
        await run(arguments)
    }

    /// ArgumentParser's `main`, except that what it prints (an error quoting the arguments, help) has its
    /// control characters shown as stand-ins: an argument holding ESC must not reach the terminal raw.
    private static func run(_ arguments: [String]?) async {
        do {
            var command = try SynapseTUICommand.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = SynapseTUICommand.exitCode(for: error)
            var message = SynapseTUICommand.fullMessage(for: error)
            // A mistyped subcommand (`synapse-tui atach`): name the closest one.
            if code != .success, let first = (arguments ?? CommandSetup.arguments).first, !first.hasPrefix("-"),
               !SynapseTUICommand.subcommandNames.contains(first),
               let near = Suggestion.closest(to: first, in: SynapseTUICommand.subcommandNames) {
                message = "Error: unknown command '\(first)'. Did you mean '\(near)'?\n"
                    + "Run 'synapse-tui --help' for the commands."
            }
            if !message.isEmpty {
                let text = Console.safe(message) + "\n"
                FileHandle(fileDescriptor: code == .success ? STDOUT_FILENO : STDERR_FILENO).write(Data(text.utf8))
            }
            exit(code.rawValue)
        }
    }
}

/// What the commands share that cannot travel through argument parsing: the registry given to
/// ``SynapseTUI/main(registry:arguments:routeSwiftLog:)``. Set once before parsing, read by the commands.
enum CommandSetup {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var storedRegistry = ActionRegistry.builtIn
    nonisolated(unsafe) private static var storedArguments: [String] = []

    /// The raw arguments (argument parsing folds what follows `--` into positional arrays; `run -- CMD`
    /// needs to know where the terminator was).
    static var arguments: [String] {
        get { lock.withLock { storedArguments } }
        set { lock.withLock { storedArguments = newValue } }
    }

    static var registry: ActionRegistry {
        get { lock.withLock { storedRegistry } }
        set { lock.withLock { storedRegistry = newValue } }
    }
}
