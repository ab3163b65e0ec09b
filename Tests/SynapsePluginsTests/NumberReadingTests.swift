import Testing
@testable import SynapsePlugins

/// Numbers read without a String (Clinger, Eisel-Lemire) must be exactly what the C library's correctly
/// rounded `strtod` (behind `Double(String)`) reads: an independent reference, unlike the scanner-versus-
/// parser checks, which share the routine.
@Suite struct NumberReadingTests {
    /// A double's shortest round-trip digits (what Python's `repr` and Swift's `description` print) and
    /// their decimal exponent: value = digits × 10^exponent.
    static func shortest(_ value: Double) -> (digits: String, exponent: Int) {
        var text = value.magnitude.description
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...])!
            text = String(text[..<e])
        }
        if let dot = text.firstIndex(of: ".") {
            exponent -= text.distance(from: dot, to: text.endIndex) - 1
            text.remove(at: dot)
        }
        while text.count > 1, text.hasPrefix("0") { text.removeFirst() }
        while text.count > 1, text.hasSuffix("0") { text.removeLast(); exponent += 1 }
        return (text, exponent)
    }

    /// `digits` × 10^`exponent` without an exponent: `123.45`, `0.00012345`, `1234500.0`.
    static func plain(_ digits: String, _ exponent: Int) -> String {
        if exponent >= 0 { return digits + String(repeating: "0", count: exponent) + ".0" }
        let point = digits.count + exponent
        if point > 0 { return String(digits.prefix(point)) + "." + String(digits.dropFirst(point)) }
        return "0." + String(repeating: "0", count: -point) + digits
    }

    static func random(_ rng: inout SplitMix64, digits: Int) -> UInt64 {
        var w: UInt64 = UInt64(1 + rng.below(9))
        for _ in 1..<digits { w = w &* 10 &+ UInt64(rng.below(10)) }
        return w
    }

    @Test func eiselLemireAgreesWithStrtodOnEveryExponent() {
        var rng = SplitMix64(seed: 0xE15E_1E31)
        var compared = 0, wrong: [String] = [], declinedNormal: [String] = []
        for q in JSONNumberReading.smallestPowerOfFive...JSONNumberReading.largestPowerOfFive {
            for _ in 0..<300 {
                let w = Self.random(&rng, digits: 1 + rng.below(19))
                let expected = Double("\(w)e\(q)")!
                // The careful routine (which the fast one hands its rare products) on every input too.
                let careful = JSONNumberReading.eiselLemireCarefully(w, q)
                if let careful, careful.bitPattern != expected.bitPattern {
                    wrong.append("carefully \(w)e\(q): \(careful) != \(expected)")
                }
                if let got = JSONNumberReading.eiselLemire(w, q) {
                    compared += 1
                    if got.bitPattern != expected.bitPattern { wrong.append("\(w)e\(q): \(got) != \(expected)") }
                    if careful == nil { declinedNormal.append("carefully \(w)e\(q)") }
                } else if expected.isNormal {
                    declinedNormal.append("\(w)e\(q)")
                }
            }
        }
        #expect(wrong.count == 0, "\(wrong.count) wrong, first \(wrong.prefix(5))")
        // Declining is only for zero, subnormal and infinite answers (the 128-bit product was never short).
        #expect(declinedNormal.count == 0, "\(declinedNormal.count) normal answers declined: \(declinedNormal.prefix(5))")
        #expect(compared > 100_000)
    }

    /// Halfway between two doubles, where rounding must go to the even one: odd integers between 2^53 and
    /// 2^54 (and the same with trailing zeros and a negative exponent), and their neighbours.
    @Test func tiesRoundToEven() {
        var rng = SplitMix64(seed: 0x71E5)
        var wrong: [String] = []
        for _ in 0..<20_000 {
            let base = (UInt64(1) << 53) + UInt64(rng.below(1 << 52)) * 2 + 1
            for n in [base, base - 1, base + 1, base * 2, base * 2 + 2] {
                for zeros in 0...3 {
                    var w = n
                    for _ in 0..<zeros { w = w.multipliedReportingOverflow(by: 10).overflow ? 0 : w * 10 }
                    if w == 0 { continue }  // past 2^64: not a mantissa
                    let expected = Double("\(w)e-\(zeros)")!
                    let got = JSONNumberReading.eiselLemire(w, -zeros)
                    if got?.bitPattern != expected.bitPattern { wrong.append("\(w)e-\(zeros): \(String(describing: got)) != \(expected)") }
                }
            }
        }
        #expect(wrong.count == 0, "\(wrong.count) wrong, first \(wrong.prefix(5))")
    }

    /// Doubles of every magnitude written as Python writes them (shortest digits, plain or with an
    /// exponent, 17 significant digits and leading zeros included) read back to themselves through the
    /// general parser and through the record scanner (a metrics value and a timestamp).
    @Test func shortestFormsReadBackThroughParserAndScanner() throws {
        var rng = SplitMix64(seed: 0x5407_7E57)
        var parsed = 0, wrong: [String] = []
        for i in 0..<40_000 {
            let value: Double
            switch i % 4 {
            case 0: value = Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF | 0x0010_0000_0000_0000)  // any normal
            case 1: value = rng.nextUnit() * 3  // a loss
            case 2: value = 1.7e9 + rng.nextUnit() * 1e8  // `time.time()`
            default: value = rng.nextUnit() * 1e-3  // a learning rate
            }
            guard value.isFinite, value != 0 else { continue }
            let (digits, exponent) = Self.shortest(value)
            var forms = ["\(digits)e\(exponent)", "-\(digits)E\(exponent)"]
            if exponent > -30 && exponent < 30 { forms.append(Self.plain(digits, exponent)) }
            for form in forms {
                let expected = form.hasPrefix("-") ? -value : value
                parsed += 1
                switch try JSONParser.parse(Array(form.utf8)) {
                case .double(let d) where d.bitPattern == expected.bitPattern: break
                case let other: wrong.append("parser: \(form) -> \(other) != \(expected)")
                }
                let line = #"{"event":"metrics","data":{"m":\#(form)},"timestamp":\#(form),"file":null,"step":"s","level":null}"#
                let event = try #require(try Array(line.utf8).withUnsafeBufferPointer { try EventCodec.decodeLine($0) })
                guard case .metrics(let data) = event.payload, case .double(let m)? = data["m"] else {
                    wrong.append("scanner: \(form) -> \(event.payload)")
                    continue
                }
                if m.bitPattern != expected.bitPattern { wrong.append("scanner metric: \(form) -> \(m) != \(expected)") }
                if event.timestamp.bitPattern != expected.bitPattern { wrong.append("scanner timestamp: \(form) -> \(event.timestamp)") }
            }
        }
        #expect(wrong.count == 0, "\(wrong.count) of \(parsed) wrong, first \(wrong.prefix(5))")
    }

    /// Timestamps read as I + F / 10^k (``JSONParser/scanTimestamp()``) must be what `strtod` reads, bit for
    /// bit, at every size it takes (9 to 15 integer digits, 1 to 7 after the point) and at those it leaves
    /// to the general reading; and it must stop where the general routine stops.
    @Test func timestampsReadAsStrtodReadsThem() {
        var rng = SplitMix64(seed: 0x7135_7A4F)
        var texts = ["1764076800.0016472", "1764076800.0", "1764076800.1234567", "999999999.9999999", "100000000.0000001",
                     "4503599627370495.5", "281474976710655.9999999", "281474976710656.1", "1764076800.12345678",
                     "1764076800.5e3", "01764076800.5", "1764076800.", "-1764076800.25", "17640768001234567.5"]
        for _ in 0..<200_000 {
            let integerDigits = 9 + rng.below(7), fractionDigits = 1 + rng.below(8)
            var t = String(1 + rng.below(9)) + (1..<integerDigits).map { _ in String(rng.below(10)) }.joined()
            // Powers of two and their neighbours, where the binade changes.
            if rng.below(8) == 0 { t = String((UInt64(1) << UInt64(27 + rng.below(23))) &- UInt64(rng.below(3))) }
            t += "." + (0..<fractionDigits).map { _ in String(rng.below(rng.below(4) == 0 ? 2 : 10)) }.joined()
            texts.append(t)
        }
        var wrong: [String] = []
        for text in texts {
            let line = Array((text + #","file":null,"step":"preprocess","level":null}"#).utf8)
            line.withUnsafeBufferPointer { bytes in
                var fast = JSONParser(bytes)
                var general = JSONParser(bytes)
                let got = fast.scanTimestamp()
                let expected: Double? = switch try? general.parseNumber() {
                case .double(let d)?: d
                case .int(let i)?: Double(i)
                default: nil
                }
                if got?.bitPattern != expected?.bitPattern || (got != nil && fast.index != general.index) {
                    wrong.append("\(text): \(String(describing: got)) at \(fast.index), expected \(String(describing: expected)) at \(general.index)")
                }
                if let got, let reference = Double(text), got.bitPattern != reference.bitPattern {
                    wrong.append("\(text): \(got) != strtod's \(reference)")
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) wrong, first \(wrong.prefix(5))")
    }

    /// Past 19 significant digits the mantissa would wrap: those still go to `strtod` and read right.
    @Test func longDigitRunsReadRight() throws {
        for text in ["0.30000000000000004440892098500626", "1764076801.5123456789012", "12345678901234567890.5",
                     "0.000000000000000000001234567890123456789", "9007199254740993.0000000001", "18446744073709551615.0",
                     "0.00000000000000000000000", "-0.0000000000000000000000012", "99999999999999999999e-20"] {
            let got = try JSONParser.parse(Array(text.utf8))
            let expected = Double(text)!
            #expect(got == .double(expected), "\(text) -> \(got) != \(expected)")
            let line = #"{"event":"metrics","data":{"m":\#(text)},"timestamp":1}"#
            let event = try #require(try Array(line.utf8).withUnsafeBufferPointer { try EventCodec.decodeLine($0) })
            guard case .metrics(let data) = event.payload else { Issue.record("not metrics: \(text)"); continue }
            #expect(data["m"] == .double(expected), "scanner: \(text) -> \(String(describing: data["m"]))")
        }
    }
}
