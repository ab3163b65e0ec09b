import Foundation
import Testing
@testable import SynapsePlugins

@Suite struct PluginEnvironmentTests {
    @Test func processEnvironmentKeepsSynapseAndRayVariablesOnly() {
        let env = PluginEnvironment.fromProcess([
            "SYNAPSE_STORAGE_PATH": "/data", "SYNAPSE_HOST": "https://api", "RAY_ADDRESS": "auto",
            "HOME": "/root", "PATH": "/bin", "SYNAPSE_DEBUG": "true",
        ])
        #expect(env.values.count == 4)
        #expect(env.storagePath == "/data")
        #expect(env.apiURL == "https://api")
        #expect(env["ray_address"] == "auto" && env["RAY_ADDRESS"] == "auto")
        #expect(env["home"] == nil)
        #expect(env.debug)
    }

    @Test func namesAreCaseInsensitiveAndPrefixOptional() {
        let env = PluginEnvironment(["SYNAPSE_EPOCHS": "5"])
        #expect(env["epochs"] == "5" && env["EPOCHS"] == "5" && env["SYNAPSE_EPOCHS"] == "5")
        #expect(PluginEnvironment.displayName("epochs") == "SYNAPSE_EPOCHS")
        #expect(PluginEnvironment.displayName("ray_address") == "RAY_ADDRESS")
    }

    @Test func apiURLPrefersApiURLOverHost() {
        #expect(PluginEnvironment(["api_url": "a", "host": "h"]).apiURL == "a")
        #expect(PluginEnvironment().apiURL == nil)
        #expect(!PluginEnvironment().debug)
        #expect(!PluginEnvironment(["debug": "maybe"]).debug)
    }

    @Test func typedGettersParseAndNameTheVariableWhenTheyFail() throws {
        let env = PluginEnvironment(["n": "42", "x": "0.5", "flag": "Yes", "off": "0", "items": "a, b,,c",
                                     "json_items": #"["a", 2]"#, "bad": "forty"])
        #expect(try env.int("n") == 42)
        #expect(try env.double("x") == 0.5)
        #expect(try env.bool("flag") == true && env.bool("off") == false)
        #expect(try env.list("items") == ["a", "b", "c"])
        #expect(try env.list("json_items") == ["a", "2"])
        #expect(try env.string("n") == "42")
        #expect(try env.int("missing", default: 7) == 7)
        #expect(env.string("missing", default: "d") == "d")

        do { _ = try env.int("bad"); Issue.record("expected an error") } catch {
            #expect(error.description == "environment variable SYNAPSE_BAD is not an integer: 'forty'")
        }
        do { _ = try env.double("missing"); Issue.record("expected an error") } catch {
            #expect(error.description == "environment variable SYNAPSE_MISSING is not set")
        }
        do { _ = try env.bool("bad"); Issue.record("expected an error") } catch {
            #expect(error.description.hasPrefix("environment variable SYNAPSE_BAD is not a boolean"))
        }
        #expect(throws: EnvironmentError.self) { try env.int("bad", default: 1) }
    }

    @Test func secretsAreMaskedInDescriptionDumpMirrorAndErrors() throws {
        let env = PluginEnvironment.fromProcess([
            "SYNAPSE_ACCESS_TOKEN": "tok-123", "SYNAPSE_AGENT_TOKEN": "agent-456", "SYNAPSE_DB_PASSWORD": "pw",
            "SYNAPSE_API_KEY": "k-789", "SYNAPSE_CLIENT_SECRET": "s3cr3t", "SYNAPSE_HOST": "https://api",
        ])
        let shown = [env.description, env.debugDescription, String(describing: env),
                     env.dump().map { "\($0.name)=\($0.value)" }.joined(separator: " "), env.redactedJSON.jsonText]
        var dumped = ""
        dump(env, to: &dumped)
        for text in shown + [dumped] {
            for secret in ["tok-123", "agent-456", "pw", "k-789", "s3cr3t"] {
                #expect(!text.contains("=\(secret)") && !text.contains("\"\(secret)\"") && !text.contains(": \"\(secret)"),
                        "secret \(secret) leaked in \(text)")
            }
            #expect(text.contains("https://api"))
        }
        #expect(env.description.contains("SYNAPSE_ACCESS_TOKEN=********"))
        #expect(env.redacted("access_token") == PluginEnvironment.mask)
        #expect(env.redacted("host") == "https://api")
        #expect(try env.string("access_token") == "tok-123")  // the value itself is still usable
        let bad = PluginEnvironment(["SYNAPSE_SECRET_NUMBER": "not-a-number"])
        do { _ = try bad.int("secret_number"); Issue.record("expected an error") } catch {
            #expect(!error.description.contains("not-a-number"))
        }
    }

    @Test func mergeLetsTheOtherWin() {
        let merged = PluginEnvironment(["a": "1", "b": "2"]).merging(PluginEnvironment(["b": "3", "c": "4"]))
        #expect(merged.values == ["a": "1", "b": "3", "c": "4"])
    }

    @Test func tomlishFilesWithSectionsQuotesCommentsAndExport() throws {
        let env = try PluginEnvironment.parse("""
            # comment
            storage_path = "/data/my plugin"   # trailing comment
            epochs = 5
            export SYNAPSE_DEBUG=1
            literal = 'no \\n escape'
            escaped = "line\\nbreak"
            list = [1, 2, 3]

            [ray]
            address = "auto"
            """)
        #expect(env.storagePath == "/data/my plugin")
        #expect(try env.int("epochs") == 5)
        #expect(env.debug)
        #expect(env["literal"] == "no \\n escape")
        #expect(env["escaped"] == "line\nbreak")
        #expect(try env.list("list") == ["1", "2", "3"])
        #expect(env["ray_address"] == "auto")
    }

    @Test func jsonFiles() throws {
        let env = try PluginEnvironment.parse(#"{"storage_path": "/d", "epochs": 5, "debug": true, "none": null}"#)
        #expect(env.storagePath == "/d" && env["epochs"] == "5" && env.debug && env["none"] == nil)
    }

    @Test func brokenFilesNameTheLine() {
        do { _ = try PluginEnvironment.parse("a = 1\nthis is not a pair\n", source: "env.toml"); Issue.record("no error") } catch {
            #expect(error.description == "cannot read environment file env.toml (line 2): expected 'key = value'")
        }
        #expect(throws: EnvironmentError.self) { try PluginEnvironment.parse("a = \"open") }
        #expect(throws: EnvironmentError.self) { try PluginEnvironment.parse("{\"a\": ") }
        #expect(throws: EnvironmentError.self) { try PluginEnvironment.fromFile("/nonexistent/env") }
    }

    @Test func fromFileReadsFromDisk() throws {
        let url = RT.temporaryFolder("env").appendingPathComponent("plugin.env")
        try "SYNAPSE_STORAGE_PATH=/x\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(try PluginEnvironment.fromFile(url.path).storagePath == "/x")
    }
}
