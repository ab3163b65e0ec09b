import ArgumentParser
import Foundation
import SynapsePlugins
import SynapseRay

/// `--ray URL`, `--ray-token TOKEN` and `--ray-ca FILE`: the commands that take them talk to a Ray cluster's Jobs API instead
/// of the jobs of this machine.
struct RayOptions: ParsableArguments {
    @Option(name: .customLong("ray"),
            help: ArgumentHelp("A job on a Ray cluster: its dashboard address (http://HOST:8265). 'auto' takes RAY_API_SERVER_ADDRESS, else RAY_ADDRESS, else http://127.0.0.1:8265.",
                               valueName: "url"))
    var address: String?

    @Option(name: .customLong("ray-token"),
            help: ArgumentHelp("Ray's auth token (token mode), sent as a Bearer token and never printed. Default: RAY_AUTH_TOKEN, else the file RAY_AUTH_TOKEN_PATH names.",
                               valueName: "token"))
    var token: String?

    @Option(name: .customLong("ray-ca"),
            help: ArgumentHelp("A PEM file of the CA certificates to trust for an https:// address (a private CA); default: SSL_CERT_FILE, else the system's.",
                               valueName: "file"))
    var caFile: String?

    /// `true` when the command is about a Ray job.
    var isSet: Bool { address != nil }

    func client() throws -> RayJobsClient {
        do {
            return RayJobsClient(endpoint: try RayEndpoint.resolve(address: address, token: token, caFile: caFile))
        } catch {
            throw RayCLI.fail(error)
        }
    }
}

/// What the Ray variants of the commands share.
enum RayCLI {
    /// Prints the error (`synapse-tui: ...`) and gives the exit code: 2 for an unknown job or a bad address,
    /// 1 otherwise.
    static func fail(_ error: RayError) -> ExitCode {
        Console.error(error.description)
        switch error {
        case .jobNotFound, .invalidArgument: return ExitCode(2)
        default: return ExitCode(1)
        }
    }

    /// `jobs --ray`: the cluster's jobs, oldest first (as Ray lists them).
    static func listJobs(_ options: RayOptions, json: Bool, limit: Int?) async throws {
        let client = try options.client()
        var jobs: [RayJobInfo]
        do { jobs = try await client.jobs() } catch { throw fail(error) }
        if let limit { jobs = Array(jobs.suffix(max(0, limit))) }
        if json {
            for job in jobs { Console.out(Console.json(jobJSON(job))) }
            return
        }
        if jobs.isEmpty {
            Console.out("No jobs on the Ray cluster at \(client.endpoint)")
            return
        }
        for line in jobLines(jobs) { Console.out(line) }
    }

    static func jobLines(_ jobs: [RayJobInfo], now: Double = Event.now()) -> [String] {
        let header = ["SUBMISSION ID", "STATUS", "RAY STATUS", "ACTION", "STARTED", "DURATION"]
        let rows = jobs.map { job -> [String] in
            let what = job.action ?? job.entrypoint.map { SafeText.line($0) } ?? "-"
            let duration = job.startTime.map { (job.endTime ?? now) - $0 }
            return [job.id, job.status.runStatus.rawValue, job.status.description,
                    what.count > 48 ? String(what.prefix(47)) + "…" : what,
                    job.startTime.map(JobsTable.started) ?? "-", duration.map(JobsTable.duration) ?? "-"]
        }
        return JobsTable.aligned(header: header, rows: rows)
    }

    static func jobJSON(_ job: RayJobInfo) -> JSONValue {
        var o: JSONObject = ["id": .string(job.id)]
        o["status"] = .string(job.status.runStatus.rawValue)
        o["ray_status"] = .string(job.status.description)
        o["action"] = job.action.map(JSONValue.string) ?? .null
        o["entrypoint"] = job.entrypoint.map(JSONValue.string) ?? .null
        o["message"] = job.message.map(JSONValue.string) ?? .null
        o["started"] = job.startTime.map(JSONValue.double) ?? .null
        o["ended"] = job.endTime.map(JSONValue.double) ?? .null
        return .object(o)
    }
}
