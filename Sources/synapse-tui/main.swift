import SynapseCLI

await SynapseTUICommand.main()
