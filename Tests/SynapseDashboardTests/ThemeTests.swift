import Foundation
import Testing
@testable import SynapseDashboard

@Suite struct ThemeTests {
    @Test(arguments: Theme.builtinNames)
    func builtinThemeFilesParseAndDefineEveryRole(name: String) throws {
        let theme = try Theme.loadFile(Repo.themes.appendingPathComponent(name + ".theme").path)
        #expect(theme.name == name)
        for role in Role.allCases { #expect(theme.styles[role] != nil, "\(name) lacks \(role.themeKey)") }
    }

    @Test(arguments: Theme.builtinNames)
    func embeddedCopiesEqualTheFiles(name: String) throws {
        let file = try String(contentsOf: Repo.themes.appendingPathComponent(name + ".theme"), encoding: .utf8)
        #expect(BuiltinThemes.sources[name].map { $0 + "\n" } == file,
                "themes/\(name).theme changed: run scripts/embed-themes.sh")
        #expect(Theme.builtin(named: name) == (try Theme.loadFile(Repo.themes.appendingPathComponent(name + ".theme").path)))
    }

    @Test func everyThemeFileIsBuiltIn() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Repo.themes.path).filter { $0.hasSuffix(".theme") }
        #expect(Set(files.map { String($0.dropLast(6)) }) == Set(Theme.builtinNames))
    }

    @Test func parsesColoursBackgroundsAttributesAndFallbacks() throws {
        let theme = try ThemeParser.parse("""
        # comment
        info = #5fafff bold underline | bright-blue
        danger = 196 on black +reverse
        muted = bright-black
        highlight = default on #ffd75f | black on yellow
        """, name: "t", source: "t.theme")
        let info = theme.style(for: .info)
        #expect(info.foreground == .indexed(75) && info.foreground16 == .indexed(12))
        #expect(info.attributes == [.bold, .underline])
        let danger = theme.style(for: .danger)
        #expect(danger.foreground == .indexed(196) && danger.background == .indexed(0) && danger.attributes == [.reverse])
        #expect(danger.foreground16 == .indexed(9))  // nearest basic colour of 196 is bright red
        #expect(theme.style(for: .muted).foreground == .indexed(8))
        #expect(theme.style(for: .highlight).background16 == .indexed(3))
        // Keys left out look like normal.
        #expect(theme.style(for: .chart) == theme.style(for: .normal))
    }

    /// Each kind of mistake is reported with the file, the line, the key and the problem.
    @Test(arguments: [
        ("info: blue", "bad.theme:1: expected \"key = value\""),
        ("inf = blue", "bad.theme:1: key \"inf\": unknown key"),
        ("info = blu", "bad.theme:1: key \"info\": unknown colour \"blu\""),
        ("info = #12345", "bad.theme:1: key \"info\": bad hex colour"),
        ("info = 256", "bad.theme:1: key \"info\": palette index 256 is outside 0-255"),
        ("info = blue blink", "bad.theme:1: key \"info\": unknown attribute \"blink\""),
        ("info = blue on", "bad.theme:1: key \"info\": missing background colour"),
        ("info = blue | #0000ff", "bad.theme:1: key \"info\": \"#0000ff\" is not a basic colour"),
        ("info = blue | blue bold", "bad.theme:1: key \"info\": unexpected \"bold\""),
        ("info = blue | ", "bad.theme:1: key \"info\": missing 16-colour fallback"),
        ("info =", "bad.theme:1: key \"info\": missing colour"),
        ("\n\ninfo = blue\ninfo = red", "bad.theme:4: key \"info\": set twice"),
        (" = blue", "bad.theme:1: missing key"),
    ])
    func badFilesAreClearErrors(text: String, expected: String) {
        do {
            _ = try ThemeParser.parse(text, name: "bad", source: "bad.theme")
            Issue.record("parsed: \(text)")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }

    @Test func loadByNamePathAndSearchDirectory() throws {
        #expect(try Theme.load("light").name == "light")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("synapse-theme-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "info = red\n".write(to: dir.appendingPathComponent("mine.theme"), atomically: true, encoding: .utf8)
        try "info = nope\n".write(to: dir.appendingPathComponent("broken.theme"), atomically: true, encoding: .utf8)
        #expect(try Theme.load("mine", searchDirectories: [dir.path]).style(for: .info).foreground == .indexed(1))
        #expect(try Theme.load(dir.appendingPathComponent("mine.theme").path).name == "mine")
        #expect(throws: ThemeError.self) { try Theme.load("nonexistent") }
        do {
            _ = try Theme.load("broken", searchDirectories: [dir.path])
        } catch {
            #expect(error.description.contains("broken.theme:1: key \"info\": unknown colour \"nope\""))
        }
        do {
            _ = try Theme.load("/no/such/file.theme")
        } catch {
            #expect(error.description == "/no/such/file.theme: cannot read the file")
        }
    }

    @Test func noColorMeansMonochromeUnlessAThemeIsAsked() throws {
        #expect(try Theme.resolve(requested: nil, environment: ["NO_COLOR": "1"]).name == "monochrome")
        #expect(try Theme.resolve(requested: nil, environment: [:]).name == "dark")
        #expect(try Theme.resolve(requested: "light", environment: ["NO_COLOR": "1"]).name == "light")
        let mono = Theme.builtin(named: "monochrome")!
        #expect(mono.styles.values.allSatisfy { $0.foreground == .default && $0.background == .default })
    }

    @Test func themesCycle() {
        #expect(Theme.nextBuiltinName(after: "dark") == "light")
        #expect(Theme.nextBuiltinName(after: "monochrome") == "dark")
        #expect(Theme.nextBuiltinName(after: "/path/mine.theme") == "dark")
    }
}
