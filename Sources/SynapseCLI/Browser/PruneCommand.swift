import ArgumentParser
import Foundation
import SynapsePlugins

/// `synapse-tui jobs prune --older-than 7d [--delete]`: the folders of finished jobs that ended before then.
/// A dry run unless `--delete` is given: it lists what would go and how much room that frees.
struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete the folders of finished jobs older than a duration (a dry run unless --delete).",
        discussion: """
            A job counts when it completed, failed, was cancelled or is lost, and ended (or last wrote) before \
            the duration ago. Running jobs are never touched. Durations: 90s, 30m, 12h, 7d, 2w, or combined (1d12h).
            """)

    @Option(name: .customLong("older-than"), help: ArgumentHelp("How long ago a job must have ended: 90s, 30m, 12h, 7d, 2w, 1d12h.", valueName: "duration"))
    var olderThan: String

    @Flag(help: "Delete the folders (without it, only list what would be deleted).")
    var delete = false

    func validate() throws {
        if Self.seconds(olderThan) == nil {
            throw ValidationError("--older-than: '\(olderThan)' is not a duration (give 90s, 30m, 12h, 7d, 2w or 1d12h)")
        }
    }

    func run() async throws {
        let store = JobStore.fromEnvironment()
        let now = Event.now()
        let cutoff = now - Self.seconds(olderThan)!
        let listing = JobOverview.listing(store, now: now)
        let old = listing.jobs.filter { job in
            guard job.status?.isFinal == true || job.lostSince != nil else { return false }
            let ended = job.ended ?? job.lostSince.map { max($0, job.last ?? $0) } ?? job.last ?? job.started
            return ended.map { $0 < cutoff } ?? false
        }
        if old.isEmpty {
            Console.out("No finished job ended more than \(olderThan) ago in \(store.jobsDirectory.path)")
            return
        }
        var total = 0
        var failures = 0
        for job in old {
            guard let folder = try? store.directory(of: job.id) else { continue }
            let size = Self.size(of: folder)
            total += size
            let line = "\(job.id)  \(SafeText.line(job.action ?? "-"))  \(job.statusWord)  \(Self.bytes(size))"
            if delete {
                do {
                    try FileManager.default.removeItem(at: folder)
                    Console.out("deleted  " + line)
                } catch {
                    failures += 1
                    Console.error("could not delete \(job.id): \(error.localizedDescription)")
                }
            } else {
                Console.out("would delete  " + line)
            }
        }
        if delete {
            Console.out("Deleted \(old.count - failures) job folder(s), \(Self.bytes(total)).")
            if failures > 0 { throw ExitCode(1) }
        } else {
            Console.out("\(old.count) job folder(s), \(Self.bytes(total)). Nothing was deleted: add --delete to delete them.")
        }
    }

    /// `90s`, `30m`, `12h`, `7d`, `2w` and sums of them (`1d12h`) in seconds; `nil` for anything else.
    static func seconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        var total = 0.0, number = "", parts = 0
        for ch in text.lowercased() {
            if ch.isASCII, ch.isNumber || ch == "." {
                number.append(ch)
            } else if let unit = units[ch], let value = Double(number), value.isFinite {
                total += value * unit
                number = ""
                parts += 1
            } else {
                return nil
            }
        }
        guard number.isEmpty, parts > 0, total.isFinite, total >= 0 else { return nil }
        return total
    }

    /// Bytes in the folder's files (not following links).
    static func size(of folder: URL) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.reduce(0) { sum, name in
            var info = stat()
            return lstat(folder.appendingPathComponent(name).path, &info) == 0 ? sum + Int(info.st_size) : sum
        }
    }

    static func bytes(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        if n < 1 << 20 { return String(format: "%.1f KiB", Double(n) / 1024) }
        if n < 1 << 30 { return String(format: "%.1f MiB", Double(n) / 1_048_576) }
        return String(format: "%.1f GiB", Double(n) / 1_073_741_824)
    }
}
