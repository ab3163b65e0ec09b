import ArgumentParser
import Foundation
import SynapseDashboard
import SynapseTerminal

/// How the dashboard looks, for every command that shows it (`run`, `attach`, `show`). `--debug` is each
/// command's own flag (for `run` it also puts the action in debug mode).
package struct DashboardOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: "Theme: a built-in name (dark, light, high-contrast, monochrome) or a theme file.")
    package var theme: String?

    @Flag(name: .long, help: "Draw with ASCII only (terminals without Unicode).")
    package var ascii = false

    package init() {}
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
        // ASCII also when the locale or the terminal cannot show Unicode (LANG=C leaves box drawing blank,
        // TERM=vt100 shows it as letters); SYNAPSE_UNICODE=1 insists on Unicode.
        ascii = options.ascii || (!Self.canShowUnicode(environment) && environment["SYNAPSE_UNICODE"] != "1")
        // https://no-color.org: present and not empty.
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        maxColors = noColor ? .none : .palette256
        themeChoice = ThemeChoice(environment: environment)
        theme = try themeChoice.initial(requested: options.theme, environment: environment)
    }

    /// `true` when the locale's character set is UTF-8 (LC_ALL, else LC_CTYPE, else LANG) and `$TERM` is not
    /// one of the terminals that predate Unicode (vt52...vt320, dumb, ansi).
    static func canShowUnicode(_ environment: [String: String]) -> Bool {
        let locale = [environment["LC_ALL"], environment["LC_CTYPE"], environment["LANG"]]
            .compactMap { $0 }.first { !$0.isEmpty } ?? "C"
        let utf8 = locale.lowercased().replacingOccurrences(of: "-", with: "").contains("utf8")
        let term = (environment["TERM"] ?? "").lowercased()
        let oldTerminal = term.hasPrefix("vt") || ["dumb", "ansi", "vt100"].contains(term)
        return utf8 && !oldTerminal
    }

    /// Seconds east of UTC here, for message timestamps.
    static var localUTCOffset: Int { TimeZone.current.secondsFromGMT() }
}
