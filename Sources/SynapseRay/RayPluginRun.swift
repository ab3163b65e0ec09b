import Foundation
import SynapsePlugins

/// What `synapse-tui run --ray URL --plugin DIR <action>` submits: the bridge's runner
/// (`python -m synapse_tui_bridge run --plugin DIR ACTION`, from `integrations/python`, which the cluster's
/// Python must have installed next to synapse-sdk) with marked event lines on (`SYNAPSE_TUI_STDOUT=1`), so the
/// run can be followed from the job's log stream alone. The submission id is the job id.
package struct RayPluginRun: Sendable, Hashable {
    /// Where the plugin folder is on the cluster: shipped as the job's working_dir (`gcs://...` from
    /// ``RayJobsClient/uploadWorkingDir(_:)``), or a path the cluster's nodes can already read.
    package enum PluginLocation: Sendable, Hashable {
        case workingDir(uri: String)
        case path(String)
    }

    package var plugin: PluginLocation
    package var actions: [String]
    package var params: JSONValue?
    package var submissionID: String
    /// The Python on the cluster that has ray, synapse-sdk and the bridge.
    package var python = "python"
    /// More environment variables for the job.
    package var environment: [String: String] = [:]
    /// The run's marker secret: the bridge marks its records with it, so a line the plugin prints that
    /// looks like one is output (passed as `SYNAPSE_EVENT_TOKEN`, kept in the job's metadata for followers).
    package var eventToken = MarkedLine.newToken()

    package init(plugin: PluginLocation, actions: [String], params: JSONValue? = nil, submissionID: String) {
        self.plugin = plugin
        self.actions = actions
        self.params = params
        self.submissionID = submissionID
    }

    package var submission: RayJobSubmission {
        var command = [python, "-m", "synapse_tui_bridge", "run", "--plugin"]
        var runtimeEnv: JSONObject = [:]
        switch plugin {
        case .workingDir(let uri):
            command.append(".")
            runtimeEnv["working_dir"] = .string(uri)
        case .path(let path):
            command.append(path)
        }
        if actions.count == 1 {
            command.append(actions[0])
        } else {
            command += ["--pipeline", actions.joined(separator: ",")]
        }
        if let params { command += ["--params", params.jsonText] }
        command += ["--job-id", submissionID]
        var env: JSONObject = ["SYNAPSE_TUI_STDOUT": "1", "SYNAPSE_JOB_ID": .string(submissionID)]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) { env[key] = .string(value) }
        env[MarkedLine.tokenEnvironmentKey] = .string(eventToken)
        runtimeEnv["env_vars"] = .object(env)
        var metadata = [RayJobInfo.actionMetadataKey: actions.joined(separator: ","),
                        RayJobInfo.eventTokenMetadataKey: eventToken]
        if case .path(let path) = plugin { metadata[RayJobInfo.pluginMetadataKey] = path }
        return RayJobSubmission(entrypoint: command.map(Self.shellQuote).joined(separator: " "),
                                submissionID: submissionID, runtimeEnv: runtimeEnv, metadata: metadata)
    }

    /// POSIX shell quoting (Ray runs the entrypoint through a shell).
    static func shellQuote(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || "-_./,=:@%+".unicodeScalars.contains($0) }
        if safe && !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
