// swift-tools-version: 6.1
import PackageDescription
#if canImport(Glibc)
import Glibc
#endif

// The release binary on Linux exports none of its symbols (the static stdlib's link exports them all and
// nothing looks them up), and where this machine's glibc reads packed relative relocations (2.36 and
// later; an older loader refuses such a binary) it is linked by the toolchain's lld with them: the loader
// does less at every start and `show` maps less (docs/benchmarks.md, round 13).
let releaseLink: [LinkerSetting] = {
    let noExports = LinkerSetting.unsafeFlags(["-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux], configuration: .release))
    #if canImport(Glibc)
    // "glibc 2.36"; empty where the C library is not glibc.
    var name = [CChar](repeating: 0, count: 64)
    _ = confstr(Int32(_CS_GNU_LIBC_VERSION), &name, name.count)
    let version = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let parts = version.hasPrefix("glibc ") ? version.dropFirst(6).split(separator: ".").compactMap { Int($0) } : []
    if parts.count >= 2, parts[0] > 2 || (parts[0] == 2 && parts[1] >= 36) {
        return [noExports, .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"],
                                        .when(platforms: [.linux], configuration: .release))]
    }
    #endif
    return [noExports]
}()

// The folder tree is the architecture:
//   SynapsePlugins   — the SDK: events, context, actions, runner, loggers, jobs (no UI)
//   SynapseDashboard — pure dashboard: state + reduce, layout, panes rendered into a Canvas, themes
//   SynapseTerminal  — the only module that talks to ncurses
//   SynapseCLI       — the command line as a library, so users can register their own actions
//   synapse-tui      — the executable: two lines that call SynapseCLI
let package = Package(
    name: "synapse-tui",
    // macOS 15: the code uses UInt128 (FixedDecimal) and Synchronization's Mutex (SynapseCLI, tests).
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SynapsePlugins", targets: ["SynapsePlugins"]),
        .library(name: "SynapseDashboard", targets: ["SynapseDashboard"]),
        .library(name: "SynapseCLI", targets: ["SynapseCLI"]),
        .executable(name: "synapse-tui", targets: ["synapse-tui"]),
    ],
    dependencies: [
        // Commands, options and --help everywhere.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // The field's logging API: a LogHandler routes existing Swift code's logs into a run.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Ray's Jobs API over http(s) and its log tail over ws(s), on SwiftNIO: no libcurl, TLS included.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/websocket-kit", from: "2.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(
            name: "CNcurses",
            // No pkgConfig: SwiftPM would drop ncursesw.pc's -D_XOPEN_SOURCE=600 with a build warning on
            // every build; shim.h defines what is needed and Debian's libncursesw.so already links tinfo.
            providers: [.apt(["libncurses-dev"])]
        ),
        .target(
            name: "SynapsePlugins",
            dependencies: [.product(name: "Logging", package: "swift-log")]
        ),
        // Jobs on a Ray cluster, through Ray's Jobs REST API (AsyncHTTPClient) and its log tail (websocket-kit).
        .target(
            name: "SynapseRay",
            dependencies: [
                "SynapsePlugins",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "WebSocketKit", package: "websocket-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "SynapseDashboard",
            dependencies: ["SynapsePlugins"]
        ),
        .target(
            name: "SynapseTerminal",
            dependencies: ["CNcurses", "SynapsePlugins", "SynapseDashboard"]
        ),
        .target(
            name: "SynapseCLI",
            dependencies: [
                "SynapsePlugins",
                "SynapseRay",
                "SynapseDashboard",
                "SynapseTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "synapse-tui",
            dependencies: ["SynapseCLI"],
            linkerSettings: releaseLink
        ),
        // The performance harness (scripts/bench, docs/benchmarks.md).
        .executableTarget(
            name: "synapse-bench",
            dependencies: ["SynapsePlugins", "SynapseDashboard", "SynapseCLI"],
            path: "Benchmarks/SynapseBench"
        ),
        // Helpers shared by test targets (a tmpfs for the disk-full tests, payload cases for #require);
        // no product, so never shipped.
        .target(
            name: "SynapseTestSupport",
            dependencies: ["SynapsePlugins"],
            path: "Tests/SynapseTestSupport"
        ),
        .testTarget(
            name: "SynapsePluginsTests",
            dependencies: ["SynapsePlugins", "SynapseTestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            // Drives the built binary; depending on it makes `swift test` build it.
            name: "SynapseCLITests",
            dependencies: ["SynapseCLI", "synapse-tui", "SynapseTestSupport"]
        ),
        .testTarget(
            name: "SynapseRayTests",
            dependencies: ["SynapseRay", "SynapsePlugins", "SynapseTestSupport"]
        ),
        .testTarget(
            name: "SynapseTerminalTests",
            dependencies: ["SynapseTerminal", "SynapseDashboard", "CNcurses"]
        ),
        .testTarget(
            // Drives the real binary in tmux; depends on the executable only so `swift test` builds it.
            name: "EndToEndTests",
            dependencies: ["SynapsePlugins", "synapse-tui"]
        ),
        .testTarget(
            name: "SynapseDashboardTests",
            dependencies: ["SynapseDashboard"],
            exclude: ["Golden"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
