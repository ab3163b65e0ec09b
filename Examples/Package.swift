// swift-tools-version: 6.1
import PackageDescription

// A user's package: it depends on synapse-tui's libraries, registers its own action and gets every
// `synapse-tui` command for it. Here the dependency is by path so CI builds it against this checkout;
// a real package would name the repository's URL instead.
let package = Package(
    name: "MyPlugin",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "synapse-tui", path: ".."),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "my-plugin",
            dependencies: [
                .product(name: "SynapsePlugins", package: "synapse-tui"),
                .product(name: "SynapseCLI", package: "synapse-tui"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
