import Foundation
import SynapseDashboard

/// Finds themes for `--theme NAME|PATH` and for `t` (which cycles through the built-in names).
struct ThemeChoice: Sendable {
    /// Where a theme name is looked up as `NAME.theme` before the built-in ones: `./themes` and
    /// `$SYNAPSE_HOME/themes`.
    var searchDirectories: [String]

    init(environment: [String: String]) {
        let home = environment["SYNAPSE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".synapse")
        searchDirectories = ["themes", (home as NSString).appendingPathComponent("themes")]
    }

    /// The starting theme: `--theme` if given, monochrome under `NO_COLOR`, else the default. A bad theme
    /// file is an error naming the file, key and problem.
    func initial(requested: String?, environment: [String: String]) throws -> Theme {
        try Theme.resolve(requested: requested, environment: environment, searchDirectories: searchDirectories)
    }

    /// A theme by name for `t`; the default when it cannot be loaded (`t` must never fail).
    func theme(named name: String) -> Theme {
        (try? Theme.load(name, searchDirectories: searchDirectories)) ?? .default
    }
}
