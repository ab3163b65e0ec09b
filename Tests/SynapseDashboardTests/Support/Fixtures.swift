import Foundation
import Testing
import SynapsePlugins
@testable import SynapseDashboard

/// Paths of the repository, found from this file's location.
enum Repo {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = root.appendingPathComponent("Tests/Fixtures")
    static let golden = root.appendingPathComponent("Tests/SynapseDashboardTests/Golden")
    static let themes = root.appendingPathComponent("themes")
}

/// The fixture event logs, decoded into a dashboard state the way `show` does.
enum Fixture: String, CaseIterable {
    case training = "training-completed"
    case failed = "export-failed"
    case pipeline = "pipeline-running"

    /// The log's bytes; a missing or unreadable fixture fails the test that asked (not an empty log).
    var bytes: [UInt8] {
        let url = Repo.fixtures.appendingPathComponent(rawValue + ".jsonl")
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            Issue.record("fixture \(url.path) cannot be read: \(error)")
            return []
        }
    }

    var state: DashboardState {
        var decoder = EventLogDecoder()
        var state = DashboardState()
        state.apply(decoder.feed(bytes))
        state.apply(decoder.finish())
        return state
    }
}

/// Compares text with a golden file; `SYNAPSE_UPDATE_GOLDEN=1` rewrites the file instead.
enum Golden {
    static var updating: Bool { ProcessInfo.processInfo.environment["SYNAPSE_UPDATE_GOLDEN"] == "1" }

    /// `nil` when equal (or updated); otherwise a description of the first difference.
    static func check(_ name: String, _ text: String) -> String? {
        let url = Repo.golden.appendingPathComponent(name + ".txt")
        let actual = text + "\n"
        if updating {
            try? FileManager.default.createDirectory(at: Repo.golden, withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return nil
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            return "missing golden file \(url.path) (run with SYNAPSE_UPDATE_GOLDEN=1)"
        }
        if expected == actual { return nil }
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(e.count, a.count) {
            let el = i < e.count ? String(e[i]) : "<none>", al = i < a.count ? String(a[i]) : "<none>"
            if el != al { return "\(name): line \(i + 1) differs\nexpected: \(el)\nactual:   \(al)\n\nactual screen:\n\(actual)" }
        }
        return "\(name): differs"
    }
}
