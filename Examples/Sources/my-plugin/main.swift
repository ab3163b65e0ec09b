import SynapseCLI
import SynapsePlugins

// Your actions next to the built-in examples; `ActionRegistry()` would give yours only.
var registry = ActionRegistry.builtIn
registry.register(ResizeImagesAction.self)

// Every synapse-tui command, with your actions:
//   swift run my-plugin run resize-images --params '{"folder": "/tmp/pics"}'
//   swift run my-plugin jobs
await SynapseTUI.main(registry: registry)
