// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for the readers (issue #13): a package of its own, so the main package's build never
// links libFuzzer or the sanitizers. Build and run them with scripts/fuzz (CI: a short fixed budget each).
let package = Package(
    name: "synapse-fuzz",
    dependencies: [.package(name: "synapse-tui", path: "..")],
    targets: [
        // libFuzzer's driver, shared: SwiftPM gives each executable its own entry point.
        .target(name: "FuzzDriver"),
        .executableTarget(name: "FuzzDecoder", dependencies: [
            "FuzzDriver", .product(name: "SynapsePlugins", package: "synapse-tui"),
        ]),
        .executableTarget(name: "FuzzConsole", dependencies: [
            "FuzzDriver", .product(name: "SynapsePlugins", package: "synapse-tui"),
        ]),
        .executableTarget(name: "FuzzPythonRepr", dependencies: [
            "FuzzDriver", .product(name: "SynapsePlugins", package: "synapse-tui"),
        ]),
        .executableTarget(name: "FuzzReduceRender", dependencies: [
            "FuzzDriver", .product(name: "SynapsePlugins", package: "synapse-tui"),
            .product(name: "SynapseDashboard", package: "synapse-tui"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
