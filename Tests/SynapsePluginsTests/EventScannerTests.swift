import Testing
@testable import SynapsePlugins

/// The record scanner must decode exactly what the general decoder does: same event, or (when it gives up)
/// the general decoder's own answer. Checked on records in every shape we can think of, laid out every way
/// (keys in any order, whitespace, extra keys), and on fuzzed ones.
@Suite struct EventScannerTests {
    /// The general path alone: parse into a JSON value, then decode the value.
    static func general(_ bytes: [UInt8]) -> Result<Event?, EventDecodingError> {
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0, end = buffer.count
            while start < end, EventCodec.isSpace(buffer[start]) { start += 1 }
            while end > start, EventCodec.isSpace(buffer[end - 1]) { end -= 1 }
            if start == end { return .success(nil) }
            do {
                let value = try JSONParser.parse(UnsafeBufferPointer(rebasing: buffer[start..<end]))
                return .success(try EventCodec.decode(value))
            } catch let error as JSONParseError {
                // A fault met before the trailing whitespace, reading the line as it is, is the one reported.
                if end < buffer.count {
                    do { _ = try JSONParser.parse(UnsafeBufferPointer(rebasing: buffer[start...])) } catch let e as JSONParseError where e.offset <= end - start || e.reason == "control character in string" {
                        return .failure(EventDecodingError("not JSON: \(e.reason) at byte \(e.offset + start)"))
                    } catch {}
                }
                return .failure(EventDecodingError("not JSON: \(error.reason) at byte \(error.offset + start)"))
            } catch let error as EventDecodingError {
                return .failure(error)
            } catch {
                return .failure(EventDecodingError("\(error)"))
            }
        }
    }

    /// The codec as shipped (fast path first, general fallback).
    static func shipped(_ bytes: [UInt8]) -> Result<Event?, EventDecodingError> {
        bytes.withUnsafeBufferPointer { buffer in
            do throws(EventDecodingError) { return .success(try EventCodec.decodeLine(buffer)) } catch { return .failure(error) }
        }
    }

    /// The scanner alone, on an already trimmed line (both of its modes must agree, and so must a read
    /// that may look past the line's end, as a line inside a chunk is read).
    static func fast(_ bytes: [UInt8]) -> Event? {
        let a = bytes.withUnsafeBufferPointer { line in
            var full = RecordScanner(compact: false), compact = RecordScanner(compact: true)
            let a = full.scan(line) ? full.makeEvent(line) : nil
            let b = compact.scan(line) ? compact.makeEvent(line) : nil
            #expect(same(a, b), "the scanner's two modes differ on \(String(decoding: bytes, as: UTF8.self).debugDescription)")
            return a
        }
        #expect(same(a, inChunk(bytes)), "the scanner differs inside a chunk on \(String(decoding: bytes, as: UTF8.self).debugDescription)")
        // A line never holds a newline; one read as the start of the rest of a block (its end found by
        // the reading) must read as the same line cut and trimmed does.
        if !bytes.contains(0x0A) { asLine(bytes) }
        return a
    }

    /// ``RecordScanner/scanLine(_:)`` on the line followed by its newline and more lines, by whitespace, by
    /// nothing, or by more text before the newline: each must read what the scanner reads from the line the
    /// reader would cut there (trimmed), with that line's length and the next line's start.
    @discardableResult
    static func asLine(_ bytes: [UInt8]) -> Event? {
        guard bytes.first == UInt8(ascii: "{") else { return nil }
        let afters = ["", "\n", " \r\n{\"v\":1}", "\t \t", "\n1}}\n", "\n" + String(decoding: pastTheLine, as: UTF8.self),
                      "x\n{}", " }\n", ",\"data\":{}}"]
        var first: Event?
        for (k, after) in afters.enumerated() {
            let rest = bytes + Array(after.utf8)
            let cut = rest.firstIndex(of: 0x0A) ?? rest.count
            var length = cut
            while length > 0, EventCodec.isSpace(rest[length - 1]) { length -= 1 }
            let expected = rest.withUnsafeBufferPointer { all -> Event? in
                var alone = RecordScanner(compact: true)
                let line = UnsafeBufferPointer(rebasing: all[..<length])
                return alone.scan(line) ? alone.makeEvent(line) : nil
            }
            let got = rest.withUnsafeBufferPointer { all -> Event? in
                var scanner = RecordScanner(compact: true)
                guard let (read, next) = scanner.scanLine(all) else { return nil }
                #expect(read == length && next == cut,
                        "read \(read) bytes, next line at \(next), of \(String(decoding: rest, as: UTF8.self).debugDescription)")
                return scanner.makeEvent(UnsafeBufferPointer(rebasing: all[..<read]))
            }
            #expect(same(expected, got), "reading the rest of a block differs on \(String(decoding: rest, as: UTF8.self).debugDescription)")
            if k == 0 { first = got }
        }
        return first
    }

    /// What follows a line in ``inChunk(_:)``: the keys and values the scanner compares whole, so a read
    /// that ran past the line's end would find them.
    static let pastTheLine = Array(#"time_remaining":1,"timestamp":1.5,"data":{"current":1},"level":"info"}"#.utf8)

    /// The scanner reading the line where it sits inside a larger buffer (the bytes after it readable),
    /// for every cut of ``pastTheLine`` after it.
    static func inChunk(_ bytes: [UInt8]) -> Event? {
        var answers: [Event?] = []
        for cut in [0, 1, 8, 24] {
            let chunk = bytes + Array(pastTheLine.dropFirst(cut))
            answers.append(chunk.withUnsafeBufferPointer { all in
                let line = UnsafeBufferPointer(rebasing: all[..<bytes.count])
                var compact = RecordScanner(compact: true)
                return compact.scan(line, readable: all.count) ? compact.makeEvent(line) : nil
            })
        }
        #expect(answers.allSatisfy { same($0, answers[0]) }, "the bytes after the line change how it reads")
        return answers[0]
    }

    /// Events are equal, treating NaN as equal to NaN and keeping key order, `-0.0` and int/double apart.
    static func same(_ a: Event?, _ b: Event?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        let ta = EventCodec.encodeString(a), tb = EventCodec.encodeString(b)
        guard ta == tb, a.step == b.step, a.level == b.level, a.file == b.file,
              a.timestamp.bitPattern == b.timestamp.bitPattern || (a.timestamp.isNaN && b.timestamp.isNaN) else { return false }
        return a == b || ta.contains("NaN")
    }

    static func same(_ a: Result<Event?, EventDecodingError>, _ b: Result<Event?, EventDecodingError>) -> Bool {
        switch (a, b) {
        case (.success(let x), .success(let y)): return same(x, y)
        case (.failure(let x), .failure(let y)): return x == y
        default: return false
        }
    }

    /// Checks one line three ways; returns whether the scanner took it.
    @discardableResult
    static func check(_ line: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let g = general(line)
        let s = shipped(line)
        #expect(same(g, s), "shipped decoder differs from the general one on \(String(decoding: line, as: UTF8.self).debugDescription)", sourceLocation: sourceLocation)
        if let f = fast(line) {
            // The scanner may only answer for lines the general decoder reads, and must agree.
            if case .success(let ge) = g {
                #expect(same(ge, f), "scanner differs on \(String(decoding: line, as: UTF8.self).debugDescription)", sourceLocation: sourceLocation)
            } else {
                Issue.record("scanner accepted a line the general decoder rejects: \(String(decoding: line, as: UTF8.self).debugDescription)", sourceLocation: sourceLocation)
            }
            return true
        }
        return false
    }

    static let numbers: [String] = [
        "0", "-0", "0.0", "-0.0", "1", "-1", "42", "1.5", "-1.5", "0.1", "1e5", "1E5", "1e+5", "1e-5", "-1.25E-3",
        "123456789012345678", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "-9223372036854775809", "123456789012345678901234567890", "1.7976931348623157e308", "5e-324", "2.2250738585072014e-308",
        "1e309", "-1e309", "1e-400", "0.30000000000000004", "1764076801.512345", "3.141592653589793238462643383279",
        "100.0", "1.0e0", "0e0", "-0e-0", "NaN", "Infinity", "-Infinity",
        // not JSON numbers: the general decoder rejects them, the scanner must too
        "01", "-", "1.", ".5", "1e", "+1", "0x10", "nan", "inf", "-NaN", "1.5.2", "--1",
    ]

    static let strings: [String] = [
        #""""#, #""training""#, #""a\"b""#, #""back\\slash""#, #""line\nbreak\ttab""#, #""\u00e9t\u00E9""#,
        #""\ud83d\ude00 emoji""#, #""\ud83d lone high""#, #""\ude00 lone low""#, #""😀 raw emoji""#, #""データ""#,
        #""e\u0301 combining""#, #""\/slash""#, #""\b\f\r""#, #""\u0000nul""#, #""bad \x escape""#,
        #""unterminated"#, "\"raw\u{01}control\"", "\"tab\tinside\"", #""\u12""#, #""\uZZZZ""#, "\"\u{7f}del\"",
        "\"a very long string value that is well over fifteen bytes so it lives on the heap\"",
        "null", "1", "true", "[1,2]", #"{"k":"v"}"#,
    ]

    static let values: [String] = numbers.filter { !$0.hasPrefix("0x") } + strings + [
        "null", "true", "false", "[]", "{}", "[1,[2,[3,[4]]]]", #"{"a":{"b":{"c":[1,2.5,"x",null,true]}}}"#,
        #"{"a":1,"a":2}"#, "[1,]", "{,}", #"{"a" 1}"#, "tru", "nul", " 1 ",
    ]

    /// A record of any kind, with values of every shape. `relaid`: its keys (top-level and data's) in a
    /// random order, random JSON whitespace around them, and sometimes an extra key.
    static func record(_ rng: inout SplitMix64, relaid: Bool = false) -> String {
        let n = numbers.filter { !["01", "-", "1.", ".5", "1e", "+1", "0x10", "nan", "inf", "-NaN", "1.5.2", "--1"].contains($0) }
        func num() -> String { rng.below(4) == 0 ? rng.pick(numbers) : rng.pick(n) }
        func str() -> String { rng.below(4) == 0 ? rng.pick(strings) : rng.pick([#""training""#, #""eval""#, #""a\"b""#, #""データ""#, #""\ud83d\ude00""#]) }
        func val() -> String { rng.pick(values) }
        let names = ["progress", "metrics", "message", "dev_event", "end", "run_status", "action_status", "metric",
                     "output", "prediction", "custom_evt", "Progress", "prog\\u0072ess", "é"]
        let name = rng.pick(names)
        let levels = [#""info""#, #""debug""#, #""warning""#, #""success""#, #""danger""#, #""error""#, #""critical""#,
                      #""WARNING""#, #""warn""#, #""fatal""#, #""bogus""#, #""in\u0066o""#, "null", "3"]
        var top: [(String, String)] = [("v", "1"), ("event", "\"" + name + "\""), ("timestamp", num())]
        if rng.below(2) == 0 { top.append(("step", str())) }
        if rng.below(2) == 0 { top.append(("level", rng.pick(levels))) }
        if rng.below(4) == 0 { top.append(("file", str())) }
        var data: [(String, String)]?
        switch rng.below(9) {
        case 0, 1:
            data = [("current", num()), ("total", num()), ("percent", num())]
            if rng.below(3) > 0 { data?.append(("elapsed", num())) }
            if rng.below(3) > 0 { data?.append(("time_remaining", num())) }
            if rng.below(6) == 0 { data?.append(("extra", val())) }
            if rng.below(8) == 0 { data?.append(("status", rng.pick([#""failed""#, #""ok""#, "null", "1"]))) }
            if rng.below(8) == 0 { data?.append(("unit", rng.pick([#""%""#, #""\u0025""#, #""it""#, "null", "1"]))) }
        case 2:
            data = [("content", rng.below(5) == 0 ? val() : str())]
            if rng.below(3) == 0 { data?.append(("key", rng.below(4) == 0 ? val() : str())) }
        case 3:
            data = (0..<rng.below(6)).map { i in ("m\(i % 4)", rng.below(5) == 0 ? val() : num()) }
        case 4:
            data = [("message", str()), ("data", val())]
        case 5:
            data = [("status", rng.pick([#""running""#, #""completed""#, #""bogus""#, "1"])), ("action", str()), ("index", num())]
        case 6:
            data = [("text", rng.below(5) == 0 ? val() : str())]
            if rng.below(3) > 0 {
                data?.append(("stream", rng.pick([#""stdout""#, #""stderr""#, "null", #""std\u0065rr""#, #""bogus""#, "1"])))
            }
        default:
            top.append(("data", val()))
        }
        if relaid, rng.below(4) == 0 { top.append(("seq", num())) }
        func object(_ members: [(String, String)]) -> String {
            var members = members
            guard relaid else { return "{" + members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}" }
            members.shuffle(using: &rng)
            let space = ["", "", " ", "\t", "  ", " \r\n "]
            return "{" + rng.pick(space) + members.map { "\"\($0.0)\"" + rng.pick(space) + ":" + rng.pick(space) + $0.1 }
                .joined(separator: rng.pick(space) + "," + rng.pick(space)) + rng.pick(space) + "}"
        }
        if let data { top.append(("data", object(data))) }
        return object(top)
    }

    @Test func scannerTakesOurOwnRecords() throws {
        let events: [Event] = [
            Event(timestamp: 1764076801.5, step: "training", payload: .progress(ProgressData(current: 5, total: 50, step: "training", elapsed: 1.25, timeRemaining: 11.25))),
            Event(timestamp: 1764076801.5, step: "training", payload: .progress(ProgressData(current: 0, total: 50, step: "training", elapsed: 0))),
            Event(timestamp: 1764076801.5, payload: .progress(ProgressData(current: 7, total: 9))),
            Event(timestamp: 1764076801.5, step: "training", payload: .metrics(["epoch": 5, "loss": 0.41, "lr": 1e-3, "name": "x"])),
            Event(timestamp: 1764076801.6, level: .warning, payload: .message(Message(content: "GPU \"memory\" low\n— ok 😀"))),
            Event(timestamp: 1764076801.6, step: "s", level: .success, payload: .message(Message(content: "done", key: "PLUGIN_RUN_COMPLETE"))),
            Event(timestamp: 1764076801.6, level: .debug, payload: .devEvent(DevEvent(message: "Epoch completed", data: ["epoch": 5]))),
            Event(timestamp: 1764076801.7, file: "/data/img.jpg", payload: .custom(name: "prediction", data: ["class": "cat", "confidence": 0.95])),
            Event(timestamp: 1764076810, payload: .end),
            Event(timestamp: 1764076810, payload: .runStatus(RunStatusUpdate(status: .completed, action: "train", jobID: "3f0c", result: ["final_loss": 0.05]))),
            Event(timestamp: 1764076810, payload: .runStatus(RunStatusUpdate(status: .failed, action: "train", error: RunError(type: "ValueError", message: "bad")))),
            Event(timestamp: 1764076810, payload: .actionStatus(ActionStatusUpdate(action: "a", index: 1, total: 3, status: .running))),
            Event(timestamp: 1764076810, payload: .metric(MetricRecord(category: "c", key: "k", value: 1.5, metrics: ["x": 1]))),
            Event(timestamp: 1764076810, payload: .output(OutputLine(stream: .stderr, text: "oops"))),
            Event(timestamp: -0.0, payload: .custom(name: "weird", data: [.double(.nan), .double(-.infinity), .int(Int.min), .double(-0.0)])),
        ]
        for event in events {
            let line = Array(EventCodec.encodeString(event).utf8)
            #expect(Self.check(line), "the scanner should take \(String(decoding: line, as: UTF8.self))")
            let decoded = try #require(try line.withUnsafeBufferPointer { try EventCodec.decodeLine($0) })
            #expect(Self.same(decoded, event))
        }
    }

    @Test func generatedRecordsDecodeAlike() {
        var rng = SplitMix64(seed: 0x5EED)
        var taken = 0
        let total = 20_000
        for _ in 0..<total {
            if Self.check(Array(Self.record(&rng).utf8)) { taken += 1 }
        }
        // Most well-formed generated records are in our layout; the scanner should take a good share.
        #expect(taken > total / 5)
    }

    @Test func relaidOutRecordsDecodeAlike() {
        var rng = SplitMix64(seed: 0x1A7)
        var taken = 0
        let total = 20_000
        for _ in 0..<total {
            if Self.check(Array(Self.record(&rng, relaid: true).utf8)) { taken += 1 }
        }
        // Key order, whitespace and extra keys must not push records off the scanner.
        #expect(taken > total / 5)
    }

    /// synapse-sdk's layout (`LogEntry.to_dict()` through `json.dumps`: its key order, `null`s, `", "` and
    /// `": "`, non-ASCII escaped) and `jq -c`'s are read by the scanner, not left to the general parser.
    @Test func otherProducersLayoutsAreScanned() {
        let lines = [
            #"{"event": "progress", "data": {"current": 5, "total": 50, "percent": 10.0}, "timestamp": 1764076801.512345, "file": null, "step": "training", "level": null}"#,
            #"{"event": "metrics", "data": {"loss": 0.41, "acc": 0.9, "lr": 0.001}, "timestamp": 1764076801.5, "file": null, "step": "train", "level": "info"}"#,
            #"{"event": "message", "data": {"content": "\ub370\uc774\ud130 \"ok\""}, "timestamp": 1764076801.5, "file": null, "step": null, "level": "warning"}"#,
            #"{"event": "message", "data": {"content": "x"}, "timestamp": 1764076801.5, "file": null, "step": "\u5b66\u7fd2", "level": "info"}"#,
            #"{"event": "metrics", "data": {"\uc815\ud655\ub3c4": 0.5}, "timestamp": 1764076801.5, "file": null, "step": null, "level": null}"#,
            #"{"event":"progress","data":{"current":5,"total":50},"timestamp":1764076801.512345,"file":null,"step":"training","level":"info"}"#,
            #"{"seq":7,"v":1,"event":"metrics","timestamp":1,"step":"s","data":{"b":2,"a":1}}"#,
            #"{"data":{"total":2,"current":1},"timestamp":1,"event":"progress"}"#,
            #"{"event": "dev_event", "data": {"message": "m", "data": {"x": [1, 2]}}, "timestamp": 1.5, "file": null, "step": null, "level": "debug"}"#,
            #"{"event": "prediction", "data": {"class": "cat"}, "timestamp": 1.5, "file": "/img.jpg", "step": null, "level": null}"#,
        ]
        for line in lines {
            #expect(Self.check(Array(line.utf8)), "the scanner should take \(line)")
        }
    }

    /// A progress record's data keys are compared whole and `percent` is stepped over: keys that nearly
    /// match, escaped ones, repeated ones and any value of `percent` decode as the general decoder decodes
    /// them (or are left to it), and the common shapes are taken.
    @Test func progressDataKeysDecodeAlike() {
        let taken = [
            #"{"current":1,"total":4,"percent":25.0,"elapsed":0.5,"time_remaining":1.5}"#,
            #"{"time_remaining":null,"elapsed":null,"percent":25,"total":4,"current":1}"#,
            #"{ "current" : 1 , "total" : 4 , "percent" : -2.5e1 , "unit" : "%" , "status" : "failed" }"#,
            #"{"current":1,"total":4,"percent":null}"#, #"{"current":1,"total":4,"percent":"25%"}"#,
            #"{"current":1,"total":4,"percent":{"of":[1,2]}}"#, #"{"current":1,"total":4,"percent":0.10000000000000001}"#,
            #"{"current":1,"total":4,"currents":9,"totals":9,"t":1,"c":2,"p":3,"elapsedx":4,"units":"%","s":5}"#,
            #"{"current":1,"total":4,"percent":1,"percent":2}"#, #"{"current":1,"total":4,"time_remainingx":5}"#,
        ]
        let others = [
            #"{"current":1,"total":4}"#, #"{"current":1,"total":4}"#, #"{"current":1,"current":2,"total":4}"#,
            #"{"current":1,"total":4,"percent":}"#, #"{"current":1,"total":4,"percent":01}"#,
            #"{"current":1,"total":4,"percent":1.}"#, #"{"current":1,"total":4,"percent":NaN}"#,
            #"{"current":1,"total":4,"percent":[1,}"#, #"{"current":1,"total":4,"percent" 5}"#, #"{"total":4}"#,
            #"{"current":1.5,"total":4}"#, #"{"current":1,"total":4,"elapsed":"x"}"#, #"{"current":1,"total":4,"unit":5}"#,
        ]
        for data in taken {
            let line = #"{"v":1,"event":"progress","timestamp":1.5,"step":"s","data":"# + data + "}"
            #expect(Self.check(Array(line.utf8)), "the scanner should take \(line)")
        }
        for data in others {
            Self.check(Array((#"{"v":1,"event":"progress","timestamp":1.5,"data":"# + data + "}").utf8))
            Self.check(Array((#"{"data":"# + data + #","event":"progress","timestamp":1.5}"#).utf8))
        }
    }

    /// `dev_event` data is read straight into its event: every shape must decode as the general decoder
    /// decodes it (or be left to it), and the common ones must be taken.
    @Test func devEventDataDecodesAlike() {
        let taken = [
            #"{"message":"m","data":{"batch":23,"ms":35.761,"shapes":[64,3,224,224]}}"#,
            #"{"data":{"x":[1,{"y":null}]},"message":"reversed"}"#,
            #"{"message":"no data"}"#,
            #"{"message":"null data","data":null}"#,
            #"{"message":"esc \"q\" \u00e9","data":"s"}"#,
            #"{ "message" : "spaced" , "extra" : [1, 2] , "data" : 1.5e3 }"#,
            #"{"message":"","data":{}}"#,
        ]
        let others = [
            #"{"message":5,"data":1}"#, #"{"message":{"a":1}}"#, #"{"message":null}"#, #"{"data":1}"#, "{}",
            #"{"message":"a","message":"b"}"#, #"{"message":"a","data":1,"data":2}"#, #"{"mess\u0061ge":"k"}"#,
            #"{"message":"a","data":NaN}"#, #"{"message":"a","data":[1,]}"#, #"{"message":"a" "data":1}"#,
            #"{"message":"\ud83d lone","data":1}"#, "[]", "null", #""text""#,
            #"{"message":"deep","data":"# + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}",
        ]
        for data in taken {
            let line = #"{"v":1,"event":"dev_event","timestamp":1.5,"level":"debug","data":"# + data + "}"
            #expect(Self.check(Array(line.utf8)), "the scanner should take \(line)")
            let sdk = #"{"event": "dev_event", "data": "# + data + #", "timestamp": 1.5, "file": null, "step": "s", "level": null}"#
            #expect(Self.check(Array(sdk.utf8)), "the scanner should take \(sdk)")
        }
        for data in others {
            Self.check(Array((#"{"v":1,"event":"dev_event","timestamp":1.5,"data":"# + data + "}").utf8))
            Self.check(Array((#"{"data":"# + data + #","event":"dev_event","timestamp":1.5}"#).utf8))
        }
    }

    /// A dev event read by the scanner keeps its data as the log's text until it is asked for: it must
    /// equal, hash and encode as the event the general decoder builds, whatever the text's spacing,
    /// escapes, duplicate keys or invalid bytes.
    @Test func devEventDataKeptAsTextIsTheParsedValue() throws {
        let texts: [[UInt8]] = [
            Array(#"{"batch": 23, "ms": 35.761, "shapes": [64, 3, 224, 224]}"#.utf8),
            Array(#"[1,{"y":null},"\u00e9\ud83d\ude00",true,false,-0.0,1e400,NaN]"#.utf8),
            Array(#""plain""#.utf8), Array("null".utf8), Array("{}".utf8), Array("-12".utf8),
            Array(#"{"bad":""#.utf8) + [0xC3, 0x28, 0xFF] + Array(#"","k":"v","k":"w"}"#.utf8),
        ]
        for text in texts {
            let line = Array(#"{"v":1,"event":"dev_event","timestamp":1.5,"data":{"message":"m","data":"#.utf8) + text + Array("}}".utf8)
            var scanner = RecordScanner(compact: true)
            let event = try line.withUnsafeBufferPointer { line in
                let taken = scanner.scan(line)
                try #require(taken, "the scanner should take \(String(decoding: text, as: UTF8.self))")
                return scanner.takeEvent(line)
            }
            guard case .success(let decoded?) = Self.general(line), case .devEvent(let expected) = decoded.payload,
                  case .devEvent(let kept) = event.payload else {
                Issue.record("not a dev event both ways: \(String(decoding: text, as: UTF8.self))")
                continue
            }
            #expect(Self.same(event, decoded))
            #expect(kept.data == expected.data || EventCodec.encodeString(event).contains("NaN"))
            if !EventCodec.encodeString(event).contains("NaN") {
                #expect(kept == expected)
                #expect(kept.hashValue == expected.hashValue)
            }
            #expect((kept.data == nil) == (text == Array("null".utf8)))
        }
    }

    /// Digit runs and strings are read eight bytes at a time where eight are left: every run length, every
    /// byte after it and every place in the line (near its end, where the bytewise loop takes over) must
    /// read as the general parser reads it.
    @Test func numbersAndStringsOfEveryLengthDecodeAlike() {
        var taken = 0, lines = 0
        // Exponents: the negative ones of one to three digits that Python writes are read in place, the
        // others by the general routine.
        let after = [",\"x\":1}", "}", " }", "e5}", "E-2}", ".}", "x}", "\u{0}}", "e-5}", "e-05,\"x\":1}", "E-123}",
                     "e-1234}", "e-}", "e+5}", "e-0}", "e-999}", "e-07 }"]
        for integer in 0...21 {
            for fraction in [-1, 0, 1, 2, 5, 7, 8, 9, 12, 16, 18] {
                for sign in ["", "-"] {
                    for tail in after {
                        var number = sign + (integer == 0 ? "" : "9876543210123456789012".prefix(integer))
                        if integer > 1 && integer % 5 == 0 { number = sign + "0" + number.dropFirst(sign.count + 1) }
                        if integer == 21 { number = sign + "0" }  // `0.…`: Python's reprs below 1
                        if fraction >= 0 { number += "." + "0123456789012345678".prefix(fraction) }
                        for pad in ["", "\"p\":1,", "\"pad\":\"abcdefghij\","] {
                            let metrics = #"{"v":1,"event":"metrics","timestamp":\#(number),"data":{\#(pad)"m":\#(number)\#(tail)}"#
                            let progress = #"{"v":1,"event":"progress","timestamp":1,"data":{\#(pad)"current":\#(number),"total":\#(number)\#(tail)}"#
                            // Stepped over, not read: a producer's own top-level key, the progress percent.
                            let other = #"{"v":1,"event":"metrics","timestamp":1,\#(pad)"seq":\#(number)\#(tail.dropLast()),"data":{"m":1}}"#
                            let percent = #"{"v":1,"event":"progress","timestamp":1,"data":{"current":1,\#(pad)"percent":\#(number)\#(tail)}"#
                            for line in [metrics, progress, other, percent] {
                                lines += 1
                                if Self.check(Array(line.utf8)) { taken += 1 }
                            }
                        }
                    }
                }
            }
        }
        // A string whose quote, backslash or control character sits at every offset of an eight-byte load.
        for length in 0...24 {
            for special in ["", "\\\"", "\\n", "\t", "\u{1F}", "\u{7F}", "é", "\"", "\\"] {
                for at in 0...length {
                    var text = String("abcdefghijklmnopqrstuvwxyz".prefix(length))
                    text.insert(contentsOf: special, at: text.index(text.startIndex, offsetBy: at))
                    for line in [#"{"v":1,"event":"message","timestamp":1,"step":"\#(text)","data":{"content":"\#(text)"}}"#,
                                 #"{"v":1,"event":"metrics","timestamp":1,"data":{"\#(text)":1}}"#,
                                 #"{"\#(text)":1,"v":1,"event":"metrics","timestamp":1,"data":{}}"#] {
                        lines += 1
                        if Self.check(Array(line.utf8)) { taken += 1 }
                    }
                }
            }
        }
        // About a third are plain (the rest end in an exponent, a stray byte or too many digits): the
        // scanner, not the fallback, must read those.
        #expect(taken > lines / 4, "the scanner took \(taken) of \(lines) lines")
    }

    @Test func fuzzedRecordsDecodeAlike() {
        var rng = SplitMix64(seed: 0xF022)
        let alphabet: [UInt8] = Array(#"{}[]":,\/"0123456789.eE+-nultrfaINy uU"#.utf8) + [0x00, 0x0A, 0x09, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF5, 0xFF]
        for _ in 0..<20_000 {
            var line = Array(Self.record(&rng).utf8)
            for _ in 0..<(1 + rng.below(3)) {
                guard !line.isEmpty else { break }
                let at = rng.below(line.count)
                switch rng.below(6) {
                case 0: line = Array(line[..<at])                                   // truncated
                case 1: line[at] = rng.pick(alphabet)                                // replaced byte
                case 2: line.insert(rng.pick(alphabet), at: at)                      // inserted byte
                case 3: line.remove(at: at)                                          // dropped byte
                case 4: line[at] = UInt8(truncatingIfNeeded: rng.next())              // any byte, invalid UTF-8 too
                default: line.insert(contentsOf: line[at..<min(line.count, at + 1 + rng.below(8))], at: at)  // repeated span
                }
            }
            Self.check(line)
        }
    }

    /// A metrics record's keys and values sit in storage the scanner keeps from record to record: it grows
    /// past its first room, and a copy of the scanner never sees the other's next record.
    @Test func metricStorageGrowsAndCopiesStayApart() throws {
        func scan(_ scanner: inout RecordScanner, _ line: String) -> [Double] {
            let bytes = Array(line.utf8)
            return bytes.withUnsafeBufferPointer { line in
                let read = scanner.scan(line)
                #expect(read && scanner.kind == .metrics && scanner.metricsInFields)
                return scanner.metricValues.map(\.double)
            }
        }
        let wide = "{" + (0..<40).map { #""k\#($0)":\#($0)"# }.joined(separator: ",") + "}"
        var first = RecordScanner(compact: true)
        #expect(scan(&first, #"{"event":"metrics","timestamp":1,"data":\#(wide)}"#) == (0..<40).map(Double.init))
        #expect(first.metricKeys.count == 40)
        var second = first
        #expect(scan(&second, #"{"event":"metrics","timestamp":2,"data":{"a":7,"b":8}}"#) == [7, 8])
        #expect(first.metricValues.map(\.double) == (0..<40).map(Double.init), "the copy wrote into the original's storage")
        #expect(scan(&first, #"{"event":"metrics","timestamp":3,"data":{"c":9}}"#) == [9])
        #expect(second.metricValues.map(\.double) == [7, 8])
    }

    @Test func malformedAndOddLines() {
        let lines: [String] = [
            "", "   ", "{", "}", "[]", "null", "\"x\"", #"{"v":1}"#, #"{"v":1,"event":"progress""#,
            #"{"v":1,"event":"progress","timestamp":1,"data":{"current":1,"total":2,"percent":50.0}"#,
            #"{"v":1,"event":"progress","timestamp":1,"data":{"current":1,"total":2,"percent":50.0}}x"#,
            #"{"v":1,"event":"progress","timestamp":1,"data":{"current":1,"total":2,"percent":50.0}},"#,
            #"{"v":1,"event":"progress","timestamp":1,"data":{"current":1,"total":2,"percent":50.0}} "#,
            #"  {"v":1,"event":"progress","timestamp":1,"data":{"current":1,"total":2,"percent":50.0}}"#,
            #"{"v":1,"event":"progress","timestamp":1,"data":{"current":1.5,"total":2,"percent":50.0}}"#,
            #"{"v":1,"event":"progress","timestamp":1,"data":{"current":"1","total":2,"percent":50.0}}"#,
            #"{"v":1,"event":"progress","timestamp":1,"data":{"current":1,"total":2,"percent":"x"}}"#,
            #"{"v":1,"event":"progress","timestamp":1,"data":{"current":1,"total":2,"percent":50.0,"elapsed":null}}"#,
            #"{"v":1,"event":"progress","timestamp":1,"data":{"current":1,"total":2,"percent":50.0,"current":3}}"#,
            #"{"v":1,"event":"progress","timestamp":null,"data":{"current":1,"total":2,"percent":50.0}}"#,
            #"{"v":1,"event":"progress","timestamp":"1","data":{"current":1,"total":2,"percent":50.0}}"#,
            #"{"v":1,"event":"progress","timestamp":1,"step":null,"data":{"current":1,"total":2,"percent":50.0}}"#,
            #"{"v":1,"event":"progress","timestamp":1,"step":5,"data":{"current":1,"total":2,"percent":50.0}}"#,
            #"{"v":1,"event":"message","timestamp":1,"level":"info","data":{"content":{"a":1}}}"#,
            #"{"v":1,"event":"message","timestamp":1,"level":"info","data":{"content":"x","key":null}}"#,
            #"{"v":1,"event":"message","timestamp":1,"level":"info","data":{"content":"x","key":1}}"#,
            #"{"v":1,"event":"message","timestamp":1,"level":"info","data":"x"}"#,
            #"{"v":1,"event":"message","timestamp":1,"level":"info","data":{"content":"x"},"data":{"content":"y"}}"#,
            #"{"v":1,"event":"message","timestamp":1,"level":"info","level":"error","data":{"content":"x"}}"#,
            #"{"v":1,"event":"dev_event","timestamp":1,"data":{"message":"m","data":null}}"#,
            #"{"v":1,"event":"dev_event","timestamp":1,"data":{"message":"m"}}"#,
            #"{"v":1,"event":"dev_event","timestamp":1,"data":{"message":3,"data":1}}"#,
            #"{"v":1,"event":"dev_event","timestamp":1,"data":{"data":[1,{"a":null}],"message":"m"}}"#,
            #"{"v":1,"event":"dev_event","timestamp":1,"data":{"message":"m","data":{"x":[1,2]},"extra":1}}"#,
            #"{"v":1,"event":"dev_event","timestamp":1,"data":{"message":"m","data":1,"message":"n"}}"#,
            #"{"v":1,"event":"dev_event","timestamp":1,"data":{"message":"m","data":[1,2}}"#,
            #"{"v":1,"event":"dev_event","timestamp":1,"data":{}}"#,
            #"{"v":1,"event":"metrics","timestamp":1,"data":{"a":"text","b":1}}"#,
            #"{"v":1,"event":"metrics","timestamp":1,"data":{"a":1e-05,"b":12345678901234567890,"c":-0.0,"d":NaN}}"#,
            #"{"v":1,"event":"metrics","timestamp":1,"data":[1,2]}"#,
            #"{"v":1,"event":"metrics","timestamp":1,"data":{"a":1,"a":2,"b":3}}"#,
            #"{"v":1,"event":"end","timestamp":1,"data":nul}"#,
            #"{"v":2,"event":"end","timestamp":1,"data":{}}"#,
            #"{"event":"end","timestamp":1,"data":{}}"#,
            #"{"v": 1, "event": "end", "timestamp": 1, "data": {}}"#,
            #"{"v":1,"event":"end","timestamp":1e400,"data":{}}"#,
            #"{"v":1,"event":"end","timestamp":NaN,"data":{}}"#,
            #"{"v":1,"event":"end","timestamp":-Infinity,"data":{}}"#,
            #"{"v":1,"event":"end","timestamp":1,"data":{},"extra":1}"#,
            #"{"v":1,"event":"x","timestamp":1,"file":"f","step":"s","data":1}"#,
            #"{"v":1,"event":"x","timestamp":1,"level":"x\"y","data":1}"#,
            "{\"v\":1,\"event\":\"\u{FF}\",\"timestamp\":1,\"data\":1}",
        ]
        for line in lines { Self.check(Array(line.utf8)) }
        // Invalid UTF-8 inside strings becomes U+FFFD on both paths.
        var bytes = Array(#"{"v":1,"event":"message","timestamp":1,"level":"info","data":{"content":"a?b"}}"#.utf8)
        bytes[bytes.firstIndex(of: UInt8(ascii: "?"))!] = 0xFF
        #expect(Self.check(bytes))
        bytes = Array(#"{"v":1,"event":"progress","timestamp":1,"step":"??","data":{"current":1,"total":2,"percent":50.0}}"#.utf8)
        bytes[bytes.firstIndex(of: UInt8(ascii: "?"))!] = 0xC3
        #expect(Self.check(bytes))
    }
}
