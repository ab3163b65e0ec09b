import Foundation
import SynapsePlugins

/// The record as Foundation's JSONDecoder sees it, typed the way a Codable user would write it: the
/// common keys, and `data` as a struct of the payload fields our records carry (unknown keys ignored).
struct CodableRecord: Decodable {
    struct DataFields: Decodable {
        var current: Int?
        var total: Int?
        var percent: Double?
        var elapsed: Double?
        var time_remaining: Double?
        var content: String?
        var message: String?
        var status: String?
        var epoch: Int?
        var loss: Double?
        var accuracy: Double?
        var learning_rate: Double?
    }
    var v: Int?
    var event: String
    var timestamp: Double?
    var step: String?
    var level: String?
    var file: String?
    var data: DataFields?
}

/// Foundation's JSONDecoder on every line of `path`; returns the number of records decoded.
func foundationDecode(path: String) throws -> Int {
    let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    var count = 0
    data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
        guard let base = raw.baseAddress else { return }
        var p = base
        let end = base + raw.count
        while p < end {
            let nl = memchr(p, 0x0A, end - p).map { UnsafeRawPointer($0) } ?? end
            if nl > p {
                let line = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: p), count: nl - p, deallocator: .none)
                if (try? decoder.decode(CodableRecord.self, from: line)) != nil { count += 1 }
            }
            p = nl + 1
        }
    }
    return count
}

let pythonLoop = """
import sys, time, json
path = sys.argv[1]
try:
    mode = sys.argv[2]
except IndexError:
    mode = "json"
if mode == "orjson":
    import orjson
    loads = orjson.loads
else:
    loads = json.loads
t0 = time.perf_counter()
n = 0
with open(path, "rb") as f:
    for line in f:
        loads(line)
        n += 1
print(n, time.perf_counter() - t0)
"""

/// A reference parser run on the same file: wall seconds per run, or nil when unavailable.
struct Reference {
    var name: String
    var times: [Double]
    var mid: Double { median(times) }
}

func referenceRuns(path: String, runs: Int, log: (String) -> Void) -> [Reference] {
    var refs: [Reference] = []
    if haveTool("wc") {
        let t = (0..<runs).compactMap { _ in run(["wc", "-l", path])?.seconds }
        refs.append(Reference(name: "wc -l (floor)", times: t))
    }
    if haveTool("jq") {
        log("  reference: jq -c . (\(runs) runs)")
        let t = (0..<runs).compactMap { _ in run(["sh", "-c", "jq -c . \"$0\" >/dev/null", path])?.seconds }
        refs.append(Reference(name: "jq -c .", times: t))
    }
    if haveTool("python3") {
        log("  reference: python3 json.loads loop (\(runs) runs)")
        let t = (0..<runs).compactMap { _ in
            run(["python3", "-c", pythonLoop, path, "json"]).flatMap { r in
                r.status == 0 ? Double(r.stdout.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") : nil
            }
        }
        if !t.isEmpty { refs.append(Reference(name: "python json.loads", times: t)) }
        if run(["python3", "-c", "import orjson"])?.status == 0 {
            log("  reference: python3 orjson.loads loop (\(runs) runs)")
            let t = (0..<runs).compactMap { _ in
                run(["python3", "-c", pythonLoop, path, "orjson"]).flatMap { r in
                    r.status == 0 ? Double(r.stdout.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") : nil
                }
            }
            if !t.isEmpty { refs.append(Reference(name: "python orjson", times: t)) }
        }
    }
    log("  reference: Foundation JSONDecoder (\(runs) runs)")
    let t = (0..<runs).compactMap { _ in try? timeRuns(1) { _ = try foundationDecode(path: path) }.first }
    refs.append(Reference(name: "Foundation JSONDecoder", times: t))
    return refs
}
