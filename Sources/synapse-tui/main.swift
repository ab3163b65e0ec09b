import SynapseCLI

// The built-in example actions; a user's package calls SynapseTUI.main(registry:) with its own.
await SynapseTUI.main()
