import SynapseCLI
import SynapsePlugins

// Your actions next to the built-in examples; `ActionRegistry()` would give yours only.
var registry = ActionRegistry.builtIn
registry.register(ResizeImagesAction.self)

// Every synapse-tui command, with your actions:
//   swift run my-plugin run resize-images --params '{"folder": "/tmp/pics"}'
//   swift run my-plugin jobs
// routeSwiftLog: swift-log `Logger` output (yours and your libraries') lands in the run it happens in.
await SynapseTUI.main(registry: registry, routeSwiftLog: true)
