import Foundation
import Testing
@testable import SynapsePlugins

/// ``LogBlockReader`` must read a log exactly as ``EventLogDecoder`` does: the same events in the same
/// order, the same unreadable lines with the same numbers and reasons. Checked on generated records of
/// every shape (``EventScannerTests/record(_:)``), on fuzzed ones, and across chunk boundaries.
@Suite struct LogBlockTests {
    /// What the general decoder makes of a whole log.
    static func reference(_ log: [UInt8]) -> (events: [Event], unreadable: [UnreadableLine]) {
        var decoder = EventLogDecoder()
        var batch = log.withUnsafeBufferPointer { decoder.feed($0) }
        let last = decoder.finish()
        batch.events += last.events
        batch.unreadable += last.unreadable
        return (batch.events, batch.unreadable)
    }

    static func expectSame(_ block: LogBlock, _ log: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = reference(log)
        let events = block.decodedEvents()
        #expect(events.count == expected.events.count, sourceLocation: sourceLocation)
        for (a, b) in zip(events, expected.events) where !EventScannerTests.same(a, b) {
            Issue.record("block event \(a) differs from decoded \(b)", sourceLocation: sourceLocation)
            break
        }
        #expect(block.unreadable == expected.unreadable, sourceLocation: sourceLocation)
    }

    static func log(_ lines: [String]) -> [UInt8] { Array(lines.joined(separator: "\n").utf8) }

    /// Damages a log `times` times: a byte replaced by a JSON-ish one or a random one, inserted or removed.
    static func mutate(_ bytes: inout [UInt8], times: Int, _ rng: inout SplitMix64) {
        let alphabet: [UInt8] = Array(#"{}[]":,\/"0123456789.eE+-nultrfaINy uU"#.utf8) + [0x00, 0x0A, 0x0D, 0x09, 0x7F, 0x80, 0xC3, 0xFF]
        for _ in 0..<times where !bytes.isEmpty {
            let at = rng.below(bytes.count)
            switch rng.below(4) {
            case 0: bytes[at] = rng.pick(alphabet)
            case 1: bytes.insert(rng.pick(alphabet), at: at)
            case 2: bytes.remove(at: at)
            default: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
            }
        }
    }

    @Test func generatedRecordsReadAsTheDecoderReadsThem() {
        var rng = SplitMix64(seed: 0xB10C)
        let lines = (0..<20_000).map { _ in EventScannerTests.record(&rng) }
        let bytes = Self.log(lines)
        var reader = LogBlockReader()
        let block = bytes.withUnsafeBufferPointer { reader.read($0) }
        #expect(block.lineCount == lines.count)
        Self.expectSame(block, bytes)
        // The compact form must carry a good share: it is the point of the block.
        #expect(block.events.count < block.lines.count / 2)
    }

    @Test func fuzzedLogsReadAsTheDecoderReadsThem() {
        var rng = SplitMix64(seed: 0xF0CC)
        for _ in 0..<200 {
            var bytes = Self.log((0..<100).map { _ in EventScannerTests.record(&rng) })
            Self.mutate(&bytes, times: 1 + rng.below(20), &rng)
            var reader = LogBlockReader()
            let block = bytes.withUnsafeBufferPointer { reader.read($0) }
            Self.expectSame(block, bytes)
        }
    }

    @Test func oddLinesAndDuplicateKeys() {
        let lines = [
            "", "   ", "\r", "not json", "[1,2]",
            #"{"v":1,"event":"metrics","timestamp":1,"step":"s","data":{"a":1,"b":2}}"#,
            #"{"v":1,"event":"metrics","timestamp":2,"step":"s","data":{"b":3,"a":4,"c":"text"}}"#,
            #"{"v":1,"event":"metrics","timestamp":3,"step":"s","data":{"a":1,"a":2,"b":{"x":[1,2]}}}"#,
            #"{"v":1,"event":"metrics","timestamp":4,"data":{}}"#,
            #"{"v":1,"event":"metrics","timestamp":5,"step":"s","data":{"a":NaN,"b":-Infinity,"c":-0,"d":-0.0,"e":1e5}}"#,
            #"{"v":1,"event":"progress","timestamp":6,"step":"st\u0065p","data":{"current":1,"total":2,"percent":50.0}}"#,
            #"{"v":1,"event":"progress","timestamp":7,"file":"f","data":{"current":1,"total":2,"percent":50.0}}"#,
            #"  {"v":1,"event":"progress","timestamp":8,"data":{"current":1,"total":2,"percent":50.0}}  "#,
            #"{"v":1,"event":"progress","timestamp":9,"step":"s","data":{"current":0,"total":0,"percent":0.0,"elapsed":1.5}}"#,
            #"{"v":1,"event":"message","timestamp":10,"level":"bogus","data":{"content":"a\nb \u001b[31m","key":"K"}}"#,
            #"{"v":1,"event":"message","timestamp":11,"step":"データ","level":"WARNING","data":{"content":"😀"}}"#,
            #"{"v":1,"event":"message","timestamp":12,"data":{"content":"x","key":1}}"#,
            #"{"v":1,"event":"end","timestamp":13,"data":null}"#,
            #"{"v":1,"event":"metrics","timestamp":14,"step":"s","data":{"lr":1e-05,"big":12345678901234567890,"f":0.30000000000000004}}"#,
        ]
        let bytes = Self.log(lines) + Array("\r\n".utf8)
        var reader = LogBlockReader()
        let block = bytes.withUnsafeBufferPointer { reader.read($0) }
        Self.expectSame(block, bytes)
        #expect(!block.unreadable.isEmpty)
        // Numbers outside the plain form still travel compactly (read by the general number routine);
        // only a metric that is not a number sends its line to the full decoder.
        #expect(block.lines.last?.kind == .metrics)
        #expect(block.metricValues.suffix(3) == [.double(1e-05), .double(12345678901234567168), .double(0.30000000000000004)])
        #expect(block.lines.filter { $0.kind == .metrics }.count == 4)
    }

    /// Our top-level keys and the hot records' names are compared whole, quotes included: keys and names
    /// that start like ours, are ours with escapes, or are ours with other values must read as the
    /// decoder reads them.
    @Test func keysAndNamesThatLookLikeOursReadTheSame() {
        func record(_ members: String) -> String { "{" + members + "}" }
        let data = #""data":{"current":1,"total":2}"#
        let lines = [
            record(#""v":1,"event":"progress","timestamp":1,\#(data)"#),
            record(#""ve":1,"event":"progress","timestamp":2,\#(data)"#),
            record(#""v":12,"event":"progress","timestamp":3,\#(data)"#),
            record(#""v":"1","event":"progress","timestamp":4,\#(data)"#),
            record(#""v":1.5,"event":"progress","timestamp":5,\#(data)"#),
            record(#""v":-1,"event":"progress","timestamp":6,\#(data)"#),
            record(#""v":1 ,"event":"progress","timestamp":7,\#(data)"#),
            record(#""v":01,"event":"progress","timestamp":8,\#(data)"#),
            record(#""v":1x,"event":"progress","timestamp":9,\#(data)"#),
            record(#""event":"progress","timestamp":10,\#(data),"v":1"#),
            record(#""events":"progress","event":"progress","timestamp":11,\#(data)"#),
            record(#""\u0065vent":"progress","timestamp":12,\#(data)"#),
            record(#""event":"progress","time\u0073tamp":13,\#(data)"#),
            record(#""event":"progress","timestamps":14,"timestamp":15,\#(data)"#),
            record(#""event" : "progress" , "timestamp" : 16 , "step" : "s" , \#(data)"#),
            record(#""event":"progress","timestamp":17,"steps":"x","stepX":"y","step":"s",\#(data)"#),
            record(#""event":"progress","timestamp":18,"levels":"x","level":"error","files":"f",\#(data)"#),
            record(#""event":"progress","timestamp":19,"datas":{},"dat":1,\#(data)"#),
            record(#""event":"progress","timestamp":20,"dataX":{"current":9,"total":9},\#(data)"#),
            record(#""event":"progresss","timestamp":21,\#(data)"#),
            record(#""event":"progres","timestamp":22,\#(data)"#),
            record(#""event":"pro\u0067ress","timestamp":23,\#(data)"#),
            record(#""event":"metric","timestamp":24,"data":{"category":"c","key":"k","value":1}}"#),
            record(#""event":"metrics","timestamp":25,"data":{"loss":1}"#),
            record(#""event":"metricsX","timestamp":26,"data":{"loss":1}"#),
            record(#""event":"message","timestamp":27,"data":{"content":"m"}"#),
            record(#""event":"messages","timestamp":28,"data":{"content":"m"}"#),
            record(#""event":"dev_event","timestamp":29,"data":{"message":"d","data":{"x":1}}"#),
            record(#""event":"dev_events","timestamp":30,"data":{"message":"d"}"#),
            record(#""event":"p","timestamp":31,\#(data)"#),
            record(#""event":"","timestamp":32,\#(data)"#),
            record(#""event":"progress","v":1,"v":1,"timestamp":33,\#(data)"#),
            record(#""event":"progress","timestamp":34,"timestamp":35,\#(data)"#),
            record(#""event":"progress","event":"metrics","timestamp":36,\#(data)"#),
            record(#""event":"progress","timestamp":37,"data":{"current":1,"total":2},"data":{"current":3,"total":4}"#),
            record(#""event":"progress","timestamp":38,"v"#),
            record(#""event":"progress","timestamp":39,"data""#),
            record(#""event":"progress","timestamp":40,"d"#),
        ]
        let bytes = Self.log(lines)
        var reader = LogBlockReader()
        let block = bytes.withUnsafeBufferPointer { reader.read($0) }
        Self.expectSame(block, bytes)
        #expect(block.lineCount == lines.count)
        // The records that are ours read compactly, whatever came before or around their keys.
        let compact = block.lines.filter { $0.kind == .progress }.map { Int($0.timestamp) }
        #expect(compact == [1, 2, 3, 4, 5, 6, 7, 10, 11, 15, 16, 17, 18, 19, 20])
    }

    /// The reader looks a metric key up first where it was in the last metrics record; anything that
    /// differs — a key that is a prefix of the one before, another order, fewer or more keys, a step that is
    /// a prefix of the last, an escaped name, a line refused halfway — must still read as the decoder reads it.
    @Test func stepsAndKeysAsBeforeReadTheSame() {
        func metrics(_ t: Int, _ step: String, _ pairs: String) -> String {
            #"{"v":1,"event":"metrics","timestamp":\#(t),"step":"\#(step)","data":{\#(pairs)}}"#
        }
        let lines = [
            metrics(1, "training", #""loss":1,"acc":0.5,"lr":0.1"#),
            metrics(2, "training", #""loss":2,"acc":0.6,"lr":0.2"#),
            metrics(3, "train", #""lo":3,"acc":0.7"#),
            metrics(4, "trainingX", #""loss":4,"accuracy":0.8,"lr":0.3"#),
            metrics(5, "training", #""acc":5,"loss":0.9"#),
            metrics(6, "training", #""acc":6"#),
            metrics(7, "training", #""acc":7,"loss":1.1,"lr":0.4,"new":1"#),
            metrics(8, "training", #""acc":8,"loss":"text","lr":0.5,"new":2"#),
            metrics(9, "training", #""acc":9,"loss":1.2,"lr":0.6,"new":3"#),
            metrics(10, "training", #""acc":10,"acc":11"#),
            #"{"v":1,"event":"progress","timestamp":11,"step":"training","data":{"current":1,"total":2,"percent":50.0}}"#,
            #"{"v":1,"event":"message","timestamp":12,"step":"train","data":{"content":"x"}}"#,
            #"{"v":1,"event":"progress","timestamp":13,"step":"train\u0069ng","data":{"current":1,"total":2,"percent":50.0}}"#,
            metrics(14, "training", #""acc" :12"#),
            metrics(15, "training", #""acc":13,"loss":1.3"#),
        ]
        let bytes = Self.log(lines)
        var reader = LogBlockReader()
        let block = bytes.withUnsafeBufferPointer { reader.read($0) }
        Self.expectSame(block, bytes)
        // Escaped names share the table entry of their plain spelling; only line 8 (a text value) and
        // none else travels as an event.
        #expect(block.stepNames == ["training", "train", "trainingX"])
        #expect(block.events.count == 1)
    }

    /// The same records in other producers' layouts read into the same blocks, compactly.
    @Test func relaidOutRecordsReadAsTheDecoderReadsThem() {
        var rng = SplitMix64(seed: 0x1A70)
        let lines = (0..<20_000).map { _ in EventScannerTests.record(&rng, relaid: true) }
        let bytes = Self.log(lines)
        var reader = LogBlockReader()
        let block = bytes.withUnsafeBufferPointer { reader.read($0) }
        Self.expectSame(block, bytes)
        #expect(block.events.count < block.lines.count / 2)
    }

    @Test func namesBeyondTheTablesStillReadTheSame() {
        // More distinct steps and keys than a reader remembers: those lines take the full decoder.
        let lines = (0..<(LogBlockReader.tableCapacity + 50)).map { i in
            #"{"v":1,"event":"metrics","timestamp":1,"step":"step\#(i)","data":{"key\#(i)":\#(i)}}"#
        }
        let bytes = Self.log(lines)
        var reader = LogBlockReader()
        let block = bytes.withUnsafeBufferPointer { reader.read($0) }
        Self.expectSame(block, bytes)
        #expect(block.events.count >= 50)
    }

    @Test func linesSplitAcrossChunksAnywhereReadTheSame() {
        var rng = SplitMix64(seed: 0xC4C4)
        let bytes = Self.log((0..<300).map { _ in EventScannerTests.record(&rng) }) + Array("\n{\"partial".utf8)
        for chunk in [1, 7, 64, 1000, 4096] {
            var decoder = EventLogDecoder()
            var reader = LogBlockReader()
            var blocks: [LogBlock] = []
            var next = 1
            let take: (UnsafeBufferPointer<UInt8>) -> Void = {
                var block = reader.read($0)
                block.firstLine = next
                next += block.lineCount
                blocks.append(block)
            }
            bytes.withUnsafeBufferPointer { all in
                var at = 0
                while at < all.count {
                    let end = min(all.count, at + chunk)
                    decoder.feedLines(UnsafeBufferPointer(rebasing: all[at..<end]), onLines: take,
                                      onLongLine: { _ in Issue.record("no line here is long") }, onOversized: {})
                    at = end
                }
            }
            decoder.finishLines(onLines: take, onLongLine: { _ in Issue.record("no line here is long") }, onOversized: {})
            let expected = Self.reference(bytes)
            let events = blocks.flatMap { $0.decodedEvents() }
            #expect(events.count == expected.events.count, "chunk \(chunk)")
            #expect(zip(events, expected.events).allSatisfy { EventScannerTests.same($0, $1) }, "chunk \(chunk)")
            #expect(blocks.flatMap(\.unreadable) == expected.unreadable, "chunk \(chunk)")
        }
    }

    /// Lines of a few repeating shapes, as our writer makes them, with numbers of every form: plain ones
    /// (read by the scanner's short cut) and the others (exponents, `-0`, leading zeros, long digit runs,
    /// fractions where integers belong, `NaN`), which must read as the decoder reads them. Shapes change
    /// now and then (a new key, another step, a level, a missing field), so the reader's first guess for a
    /// step or a metric key (where it was in the last record) is tested right and wrong.
    static func repeatingShapes(_ rng: inout SplitMix64, lines count: Int) -> [String] {
        let plain = ["0", "1", "7", "42", "21276", "0.5", "0.01", "2.499155", "1764076800.001647", "-3.25", "-17",
                     "9007199254740991", "123456789012.5", "0.00099999", "70.91", "100.0"]
        let odd = ["1e-05", "-0", "-0.0", "01", "12345678901234567890", "1.5E3", "NaN", "-Infinity", "9007199254740993",
                   "0.30000000000000004", "1.", "-", "2.5e", "1.0e+2"]
        func number() -> String { rng.below(12) == 0 ? rng.pick(odd) : rng.pick(plain) }
        func integer() -> String { rng.below(12) == 0 ? rng.pick(odd + ["2.5", "3.0"]) : String(rng.below(100_000)) }
        let steps = [#","step":"train""#, #","step":"validation""#, #","step":"train","level":"info""#, ""]
        let keySets = [["loss", "accuracy", "lr"], ["loss", "accuracy", "lr", "epoch"], ["val_loss"], ["a:b", "{x}", "c,d"],
                       ["loss", "loss"]]
        var lines: [String] = []
        var step = steps[0], keys = keySets[0]
        for _ in 0..<count {
            if rng.below(200) == 0 { step = rng.pick(steps) }
            if rng.below(200) == 0 { keys = rng.pick(keySets) }
            let t = rng.below(30) == 0 ? number() : "17640768\(rng.below(100)).\(rng.below(1_000_000))"
            switch rng.below(20) {
            case 0:
                lines.append(#"{"v":1,"event":"message","timestamp":\#(t)\#(step),"data":{"content":"m \#(rng.below(9))"}}"#)
            case 1...9:
                var data = #""current":\#(integer()),"total":\#(integer()),"percent":\#(number())"#
                if rng.below(10) != 0 { data += #","elapsed":\#(number())"# }
                if rng.below(10) != 0 { data += #","time_remaining":\#(number())"# }
                lines.append(#"{"v":1,"event":"progress","timestamp":\#(t)\#(step),"data":{\#(data)}}"#)
            default:
                let pairs = keys.map { #""\#($0)":\#(number())"# }.joined(separator: ",")
                lines.append(#"{"v":1,"event":"metrics","timestamp":\#(t)\#(step),"data":{\#(pairs)}}"#)
            }
        }
        return lines
    }

    @Test func repeatingShapesReadAsTheDecoderReadsThem() {
        var rng = SplitMix64(seed: 0x7E3A)
        let lines = Self.repeatingShapes(&rng, lines: 30_000)
        let bytes = Self.log(lines)
        var reader = LogBlockReader()
        let block = bytes.withUnsafeBufferPointer { reader.read($0) }
        #expect(block.lineCount == lines.count)
        Self.expectSame(block, bytes)
        // Most lines travel compactly; those with a number the compact form cannot hold are decoded in full.
        #expect(block.events.count < lines.count / 5, "\(block.events.count) of \(lines.count)")
    }

    @Test func fuzzedRepeatingShapesReadAsTheDecoderReadsThem() {
        var rng = SplitMix64(seed: 0x7E3B)
        for _ in 0..<200 {
            var bytes = Self.log(Self.repeatingShapes(&rng, lines: 60))
            Self.mutate(&bytes, times: 1 + rng.below(10), &rng)
            var reader = LogBlockReader()
            let block = bytes.withUnsafeBufferPointer { reader.read($0) }
            Self.expectSame(block, bytes)
        }
    }

    @Test func pipelineDeliversInOrderAndNumbersLines() {
        // Many small blocks and notices through four workers: order and numbering must hold, and a restart
        // starts the count again.
        let delivered = Delivered()
        let pipeline = LogBlockPipeline(workers: 4, maxInFlight: 3) { delivered.add($0) }
        for i in 0..<200 {
            if i == 150 { pipeline.submit(.restarted(reason: "test")) }
            let text = i % 10 == 9 ? "garbage \(i)\n" : line("m\(i)")
            Array(text.utf8).withUnsafeBufferPointer { pipeline.submit(lines: $0) }
            if i == 100 { pipeline.submitOversizedLine() }
        }
        pipeline.flush()
        pipeline.close()
        var contents: [String] = []
        var unreadable: [UnreadableLine] = []
        var sawRestart = false
        for item in delivered.items {
            switch item {
            case .block(let block):
                contents += messages(block.decodedEvents())
                unreadable += block.unreadable
            case .notice(let notice):
                if case .restarted = notice { sawRestart = true; #expect(contents.count == 135) }
            }
        }
        #expect(sawRestart)
        #expect(contents == (0..<200).filter { $0 % 10 != 9 }.map { "m\($0)" })
        // Lines 1...150 before the restart (101 of them the oversized marker after line 101), 1...50 after.
        let numbers = unreadable.map(\.lineNumber)
        #expect(numbers == [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 102, 111, 121, 131, 141, 151, 10, 20, 30, 40, 50])
        #expect(unreadable[10].reason.contains("over the"))
    }

    @Test func closingAFullPipelineDoesNotHang() {
        // The consumer never takes anything: submit waits for room, and close() must still end it all.
        let pipeline = LogBlockPipeline(workers: 2, maxInFlight: 2) { _ in Thread.sleep(forTimeInterval: 0.05) }
        let done = DispatchSemaphore(value: 0)
        Thread {
            for i in 0..<20 { Array(line("x\(i)").utf8).withUnsafeBufferPointer { pipeline.submit(lines: $0) } }
            done.signal()
        }.start()
        #expect(done.wait(timeout: .now() + 10) == .success)
        pipeline.close()
    }
}

/// Items a pipeline delivered (from its threads).
final class Delivered: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [LogBlockPipeline.Item] = []
    func add(_ item: LogBlockPipeline.Item) { lock.withLock { list.append(item) } }
    var items: [LogBlockPipeline.Item] { lock.withLock { list } }
}

/// The scanner's short cut for plain numbers must give the general routine's values bit for bit.
@Suite struct PlainNumberTests {
    @Test func plainNumbersReadAsTheGeneralRoutineReadsThem() {
        var rng = SplitMix64(seed: 0x4E55)
        var texts = ["0", "-0", "0.0", "-0.0", "1", "-1", "0.5", "10.25", "1764076800.002476", "999999999999999",
                     "9999999999999999", "0.000000000000001", "123456789.123456", "1e5", "1.5E-3", "00", "1.", "-"]
        for _ in 0..<50_000 {
            let intDigits = 1 + rng.below(12), fracDigits = rng.below(10)
            var t = rng.below(3) == 0 ? "-" : ""
            t += String(1 + rng.below(9)) + (0..<(intDigits - 1)).map { _ in String(rng.below(10)) }.joined()
            if rng.below(8) == 0 { t = rng.below(2) == 0 ? "0" : "-0" }
            if fracDigits > 0 { t += "." + (0..<fracDigits).map { _ in String(rng.below(10)) }.joined() }
            texts.append(t)
        }
        for text in texts {
            let bytes = Array((text + ",").utf8)
            bytes.withUnsafeBufferPointer { Self.expectShortCutReadsAsGeneral(JSONParser($0), text) }
        }
    }

    /// `parser`'s short cut (``JSONParser/scanDouble()``) against the general routine on the same bytes:
    /// the same value, bit for bit, and where it takes one, the same place after it.
    static func expectShortCutReadsAsGeneral(_ parser: JSONParser, _ text: String,
                                             sourceLocation: SourceLocation = #_sourceLocation) {
        var fast = parser
        var general = JSONParser(parser.bytes)
        let a = fast.scanDouble()
        let b: Double? = {
            guard let v = try? general.parseNumber() else { return nil }
            switch v {
            case .int(let i): return Double(i)
            case .double(let d): return d
            default: return nil
            }
        }()
        #expect(a?.bitPattern == b?.bitPattern, "\(text)", sourceLocation: sourceLocation)
        if a != nil { #expect(fast.index == general.index, "\(text)", sourceLocation: sourceLocation) }
    }
}

extension PlainNumberTests {
    /// Inside a chunk the reader may read past a line's end (``JSONParser/readable``), a word at a time: the
    /// values, and where reading stops, must be those of the general routine reading the line alone,
    /// whatever follows the line (more digits, a point, an exponent) and at every length of either part.
    @Test func numbersReadPastTheLineEndReadAsTheGeneralRoutineReadsThem() {
        var rng = SplitMix64(seed: 0x57A0)
        var texts = ["0", "-0", "0.0", "-0.0", "7", "-7", "1.5", "00", "01", "-01", "1.", "-", ".5", "1e5", "2E-3",
                     "12345678", "123456789012345", "1234567890123456", "12345678901234567", "1234567890123456789",
                     "12345678901234567890", "0.12345678", "0.123456789012345", "0.1234567890123456789",
                     "0.00000000000000000001", "1764076800.0016472", "9223372036854775807", "9223372036854775808",
                     "9007199254740993", "9007199254740993.5", "0.0010000000000000002", "0.10010000000000001",
                     "0.00000000000000000000123", "0.000000001234567890123456789", "0.12345678901234567890123",
                     "0.123456789012345678901234", "2.4991550000000005", "1234567.1234567890123", "9.943000000000002e-05",
                     "1.0000000000000002e-05", "5e-324", "1e-400", "2.2250738585072014e-308", "7e-5", "-3.5e-07"]
        func digits(_ n: Int) -> String { (0..<n).map { _ in String(rng.below(10)) }.joined() }
        for _ in 0..<40_000 {
            var t = rng.below(4) == 0 ? "-" : ""
            t += rng.below(10) == 0 ? "0" : String(1 + rng.below(9)) + digits(rng.below(20))
            let fraction = rng.below(26)
            if fraction > 0 { t += "." + digits(fraction) }
            // Python's reprs: zeros after `0.`, then up to 17 significant digits (or more, which do not fit).
            if rng.below(5) == 0 { t = "0." + String(repeating: "0", count: rng.below(12)) + digits(1 + rng.below(21)) }
            if rng.below(10) == 0 { t += rng.pick(["e5", "E-2", "e+1", "e-05", "e-123", "e-1234", "e-0", "e-", "E-9"]) }
            texts.append(t)
        }
        let ends = ["", ",", "}", " ", "]"]
        let past = ["", "9", "0.5", "e7", ".", "E", "-", "\n{\"v\":1}"]
        let junk = Array("0123456789.eE-+ ,}".utf8)
        for text in texts {
            let line = Array((text + rng.pick(ends)).utf8)
            var buffer = line + Array(rng.pick(past).utf8)
            while buffer.count < line.count + JSONParser.wordNumberReach + 8 { buffer.append(rng.pick(junk)) }
            buffer.withUnsafeBufferPointer { all in
                let lineBytes = UnsafeBufferPointer(rebasing: all[0..<line.count])
                Self.expectShortCutReadsAsGeneral(JSONParser(lineBytes, readable: all.count), text)
                // The word reader and the one that stays inside the line agree on every part.
                var inside = JSONParser(lineBytes)
                var reaching = JSONParser(lineBytes, readable: all.count)
                let x = inside.scanPlainNumberByParts(), y = reaching.scanPlainNumber()
                #expect(x?.mantissa == y?.mantissa && x?.fraction == y?.fraction && x?.negative == y?.negative, "\(text)")
                #expect(inside.index == reaching.index, "\(text)")
            }
        }
    }
}

/// The step and key tables tell names apart by their length, first eight bytes and last eight (and bytes
/// beyond 16 by memcmp): a name differing from another in any one byte, at any length and place in the
/// line, must get its own index, looked up first where the other was (the hint), in a table that compares
/// (16 names or fewer) and in one that hashes.
@Suite struct NameTableTests {
    static func intern(_ name: [UInt8], _ table: inout NameTable, hint: inout Int, before: Int, after: Int) throws -> Int {
        let line = [UInt8](repeating: UInt8(ascii: "\""), count: before) + name + [UInt8](repeating: UInt8(ascii: "}"), count: after)
        let index = try #require(line.withUnsafeBufferPointer { table.intern(before..<(before + name.count), of: $0, hint: &hint) })
        #expect(table.names[index] == String(decoding: name, as: UTF8.self))
        return index
    }

    @Test func namesDifferingInAnyByteAreKeptApart() throws {
        var hashed = NameTable()
        var hint = 0
        for i in 0..<40 { _ = try Self.intern(Array("filler_\(i)".utf8), &hashed, hint: &hint, before: 0, after: 0) }
        for length in 1...40 {
            let base = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
            for at in 0..<length {
                var variant = base
                variant[at] = UInt8(ascii: "_")
                // At the end of the line (no byte after it to load) and inside one.
                for (before, after) in [(0, 0), (3, 0), (0, 9), (5, 20)] {
                    var compared = NameTable()
                    for k in 0..<2 {
                        var table = k == 0 ? compared : hashed
                        let i = try Self.intern(base, &table, hint: &hint, before: before, after: after)
                        let j = try Self.intern(variant, &table, hint: &hint, before: before, after: after)
                        #expect(i != j, "\(String(decoding: variant, as: UTF8.self)) was taken for \(String(decoding: base, as: UTF8.self))")
                        #expect(try Self.intern(base, &table, hint: &hint, before: after, after: before) == i)
                        #expect(try Self.intern(variant, &table, hint: &hint, before: after, after: before) == j)
                        if k == 0 { compared = table } else { hashed = table }
                    }
                }
            }
        }
    }
}
