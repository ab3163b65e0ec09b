import Foundation
import SynapsePlugins
import SynapseDashboard

/// Logs shaped to hurt a reader (issue #13): one very wide object, and a million distinct names against a
/// million records of one name. Each is read as `show` reads it (``ingestReduce(path:reading:)``), and the
/// figure is checked against its goal: a line reads in time linear in its length, and distinct names cost
/// a lookup, not a scan of every name seen.
func hostileFigures(runs: Int, dir: String, records: Int) throws {
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    func write(_ name: String, _ body: (inout [UInt8]) -> Void) throws -> String {
        let path = "\(dir)/hostile-\(name).jsonl"
        if !FileManager.default.fileExists(atPath: path) {
            var bytes: [UInt8] = []
            body(&bytes)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        return path
    }
    func wide(_ keys: Int) throws -> String {
        try write("wide-\(keys)") { out in
            out += Array(#"{"v":1,"event":"metrics","timestamp":1764000000,"step":"s","data":{"#.utf8)
            for i in 0..<keys { out += Array("\(i == 0 ? "" : ",")\"k\(i)\":\(i)".utf8) }
            out += Array("}}\n".utf8)
        }
    }
    func lines(_ name: String, _ line: @escaping (Int) -> String) throws -> String {
        try write("\(name)-\(records)") { out in
            for i in 0..<records { out += Array((line(i) + "\n").utf8) }
        }
    }
    func time(_ path: String) throws -> Double {
        median(try timeRuns(runs) { _ = try ingestReduce(path: path) })
    }
    for keys in [20_000, 500_000] {
        let path = try wide(keys)
        let t = try time(path)
        let goal = keys <= 20_000 ? "goal < 1 s" : "goal: linear"
        report("hostile: one object of \(keys) keys (\(fmt(Double(fileSize(path)) / 1e6, 1)) MB)", "\(seconds(t)) (\(goal)\(keys <= 20_000 ? (t < 1 ? ": met" : ": MISSED") : ""))")
    }
    let ts = { (i: Int) in 1_764_000_000 + i / 1000 }
    let same = try time(try lines("same") { #"{"v":1,"event":"metrics","timestamp":\#(ts($0)),"step":"s","data":{"loss":\#($0)}}"# })
    report("hostile: \(records) records of one name", seconds(same))
    for (name, line) in [
        ("keys", { (i: Int) in #"{"v":1,"event":"metrics","timestamp":\#(ts(i)),"step":"s","data":{"k\#(i)":\#(i)}}"# }),
        ("steps", { (i: Int) in #"{"v":1,"event":"metrics","timestamp":\#(ts(i)),"step":"s\#(i)","data":{"loss":\#(i)}}"# }),
        ("events", { (i: Int) in #"{"v":1,"event":"e\#(i)","timestamp":\#(ts(i)),"data":{"loss":\#(i)}}"# }),
    ] {
        let t = try time(try lines(name, line))
        report("hostile: \(records) distinct \(name)", "\(seconds(t)) = x\(fmt(t / same, 1)) one name's")
    }
}
