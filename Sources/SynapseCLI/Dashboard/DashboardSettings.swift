import ArgumentParser
import Foundation
import SynapseDashboard
import SynapseTerminal

/// How the dashboard looks, for every command that shows it (`run`, `attach`, `show`). `--debug` is each
/// command's own flag (for `run` it also puts the action in debug mode).
public struct DashboardOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: "Theme: a built-in name (dark, light, high-contrast, monochrome) or a theme file.")
    public var theme: String?

    @Flag(name: .long, help: "Draw with ASCII only (terminals without Unicode).")
    public var ascii = false

    public init() {}
}

/// Dashboard options resolved against the environment: what a dashboard command actually uses.
struct DashboardSettings: Sendable {
    var showDev: Bool
    var ascii: Bool
    var theme: Theme
    var themeChoice: ThemeChoice
    /// The most colours to use (`NO_COLOR` means none).
    var maxColors: ColorMode

    init(_ options: DashboardOptions, debug: Bool,
         environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        showDev = debug || ["1", "true", "yes"].contains(environment["SYNAPSE_DEBUG"]?.lowercased() ?? "")
        ascii = options.ascii
        // https://no-color.org: present and not empty.
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        maxColors = noColor ? .none : .palette256
        themeChoice = ThemeChoice(environment: environment)
        theme = try themeChoice.initial(requested: options.theme, environment: environment)
    }

    /// Seconds east of UTC here, for message timestamps.
    static var localUTCOffset: Int { TimeZone.current.secondsFromGMT() }
}
