import Foundation
import Testing
@testable import SynapseCLI

/// The command line helps: "did you mean …?", file errors that say why, --version, a printed screen without
/// interactive chrome, ASCII where the locale cannot show Unicode.
@Suite struct CLIHelpsTests {
    let cli = CLIProcess()

    @Test func suggestionsNameTheClosest() {
        #expect(Suggestion.closest(to: "trian", in: ["train", "evaluate", "greet"]) == "train")
        #expect(Suggestion.closest(to: "atach", in: ["run", "attach", "show", "jobs"]) == "attach")
        #expect(Suggestion.closest(to: "zzzzzz", in: ["run", "attach"]) == nil)
    }

    @Test func mistypedActionAndSubcommandGetADidYouMean() async throws {
        let action = try await cli.run(["run", "trian"])
        #expect(action.status == 2 && action.stderr.contains("Did you mean 'train'?"), "\(action.stderr)")
        let command = try await cli.run(["atach", "x"])
        #expect(command.status != 0 && command.stderr.contains("Did you mean 'attach'?"), "\(command.stderr)")
    }

    @Test func paramsFileErrorsSayWhy() async throws {
        let missing = try await cli.run(["run", "train", "--params-file", cli.path("nope.json")])
        #expect(missing.status == 2 && missing.stderr.contains("no such file"), "\(missing.stderr)")
        let directory = try await cli.run(["run", "train", "--params-file", cli.home.path])
        #expect(directory.status == 2 && directory.stderr.contains("is a directory"), "\(directory.stderr)")
    }

    @Test func versionIsPrinted() async throws {
        let result = try await cli.run(["--version"])
        #expect(result.status == 0 && result.stdout.contains(SynapseTUICommand.version))
    }

    @Test func showPrintsNoChromeAndDrawsASCIIUnderTheCLocale() async throws {
        let log = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/training-completed.jsonl").path
        let utf8 = try await cli.run(["show", "--file", log, "--size", "80x24", "--no-summary"])
        #expect(utf8.status == 0 && utf8.stdout.contains("─ Progress"))
        #expect(!utf8.stdout.contains("q quit") && !utf8.stdout.contains("focus:"))
        let c = try await cli.run(["show", "--file", log, "--size", "80x24", "--no-summary"], environment: ["LC_ALL": "C"])
        #expect(c.status == 0 && c.stdout.contains("- Progress") && c.stdout.unicodeScalars.allSatisfy { $0.isASCII }, "\(c.stdout)")
        let vt100 = try await cli.run(["show", "--file", log, "--size", "80x24", "--no-summary"], environment: ["TERM": "vt100"])
        #expect(vt100.stdout.unicodeScalars.allSatisfy { $0.isASCII })
    }
}
