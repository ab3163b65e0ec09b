import Foundation
import Testing
@testable import SynapsePlugins

/// Our JSON parser against Foundation's `JSONSerialization`, on generated documents and on random
/// mutations of them: both must accept the same texts and read the same values.
@Suite struct JSONParserCrossCheckTests {
    static let alphabet: [String] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "é", "日本", "😀", "\u{7F}", "\u{1}"]

    func randomString(_ rng: inout SplitMix64) -> String {
        (0..<rng.below(8)).map { _ in Self.alphabet[rng.below(Self.alphabet.count)] }.joined()
    }

    func randomValue(_ rng: inout SplitMix64, depth: Int = 0) -> JSONValue {
        switch rng.below(depth > 3 ? 5 : 7) {
        case 0: return .null
        case 1: return .bool(rng.below(2) == 0)
        case 2: return .int(Int(truncatingIfNeeded: rng.next()) >> rng.below(60))
        case 3:
            let d = Double(Int64(truncatingIfNeeded: rng.next()) >> 11) / pow(10, Double(rng.below(20)))
            return .double(d)
        case 4: return .string(randomString(&rng))
        case 5: return .array((0..<rng.below(5)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            var o = JSONObject()
            for _ in 0..<rng.below(5) { o[randomString(&rng)] = randomValue(&rng, depth: depth + 1) }
            return .object(o)
        }
    }

    /// Whether a Foundation value read by JSONSerialization equals ours.
    func same(_ ours: JSONValue, _ theirs: Any) -> Bool {
        switch ours {
        case .null: return theirs is NSNull
        case .bool(let b): return (theirs as? Bool) == b
        case .int(let i):
            guard let n = theirs as? NSNumber else { return false }
            return n.int64Value == Int64(i) || n.doubleValue == Double(i)
        case .double(let d):
            guard let n = theirs as? NSNumber else { return false }
            return n.doubleValue == d || abs(n.doubleValue - d) <= abs(d) * 1e-15
        case .string(let s): return (theirs as? String) == s
        case .array(let a):
            guard let t = theirs as? [Any], t.count == a.count else { return false }
            return zip(a, t).allSatisfy { same($0, $1) }
        case .object(let o):
            guard let t = theirs as? [String: Any], t.count == o.count else { return false }
            return o.allSatisfy { key, value in t[key].map { same(value, $0) } ?? false }
        }
    }

    func foundation(_ bytes: [UInt8]) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    @Test func generatedDocumentsReadTheSame() throws {
        var rng = SplitMix64(seed: 1)
        for _ in 0..<2000 {
            let value = randomValue(&rng)
            let text = value.jsonText
            let ours = try JSONParser.parse(text)
            let theirs = try #require(foundation(Array(text.utf8)), "Foundation rejected \(text)")
            #expect(same(ours, theirs), "differ on \(text)")
            #expect(ours == value || text.contains("e"), "round trip changed \(text)")
        }
    }

    @Test func randomMutationsAreAcceptedAndRejectedAlike() {
        var rng = SplitMix64(seed: 2)
        let pieces: [[UInt8]] = ["{", "}", "[", "]", ",", ":", "\"", "\\", "1", "-", ".", "e", "tru", "null", " ", "\u{0}", "\\u12", "0"]
            .map { Array($0.utf8) }
        var checked = 0
        var disagreements: [String] = []
        for _ in 0..<5000 {
            var bytes = Array(randomValue(&rng).jsonText.utf8)
            for _ in 0...rng.below(3) {
                let at = bytes.isEmpty ? 0 : rng.below(bytes.count)
                switch rng.below(3) {
                case 0: if !bytes.isEmpty { bytes.remove(at: at) }
                case 1: bytes.insert(contentsOf: pieces[rng.below(pieces.count)], at: at)
                default: if !bytes.isEmpty { bytes[at] = pieces[rng.below(pieces.count)].first! }
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            // Where the formats deliberately differ: Python's NaN/Infinity (ours accepts them), escaped
            // surrogates (Foundation refuses lone ones), and control characters inside strings.
            if text.contains("NaN") || text.contains("Infinity") || text.contains("\\u") { continue }
            if bytes.contains(where: { $0 < 0x20 && $0 != 0x20 && $0 != 0x0A && $0 != 0x09 && $0 != 0x0D }) { continue }
            // Invalid UTF-8 inside strings: ours replaces it (a reader must not stop), Foundation refuses.
            if String(validating: bytes, as: UTF8.self) == nil { continue }
            let ours = try? JSONParser.parse(bytes)
            let theirs = foundation(bytes)
            // Numbers beyond Double's range: ours reads infinity, as Python's json does; Foundation refuses.
            if let ours, !Self.allFinite(ours), theirs == nil { continue }
            // Trailing commas: Foundation is lenient, JSON (and ours) is not.
            if ours == nil, theirs != nil, text.contains(",]") || text.contains(",}") { continue }
            checked += 1
            switch (ours, theirs) {
            case (nil, nil): continue
            case (let o?, let t?): if !same(o, t) { disagreements.append("values differ: \(text)") }
            case (nil, _?): disagreements.append("only Foundation accepts: \(text)")
            case (_?, nil): disagreements.append("only ours accepts: \(text)")
            }
        }
        #expect(checked > 3000)
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    }

    static func allFinite(_ value: JSONValue) -> Bool {
        switch value {
        case .double(let d): return d.isFinite
        case .array(let a): return a.allSatisfy(allFinite)
        case .object(let o): return o.allSatisfy { allFinite($0.1) }
        default: return true
        }
    }

    @Test func randomBytesNeverCrashTheParser() {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<5000 {
            let bytes = (0..<rng.below(40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            _ = try? JSONParser.parse(bytes)
        }
    }
}
