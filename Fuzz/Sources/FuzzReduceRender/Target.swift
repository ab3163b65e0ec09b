import FuzzDriver
@_spi(Fuzzing) import SynapseDashboard
@_spi(Fuzzing) import SynapsePlugins

/// Reduce + render of random event sequences at random sizes. The input is a script: its first bytes pick
/// the screen size, the options and a seed; the seed draws a sequence of events (up to a few thousand) from
/// hostile values (extreme numbers, control characters, wide and combining text, long names); the rest of
/// the input is read as log lines. Both reach the dashboard, which is rendered.
/// Invariants: no crash; every cell rendered is printable (no C0/C1 control character ever reaches the
/// terminal); what the state keeps stays within its capacities (libFuzzer's -rss_limit_mb bounds the rest).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    func byte(_ i: Int) -> Int { i < size ? Int(bytes[i]) : 0 }
    let width = 1 + byte(0) % 220, height = 1 + byte(1) % 70
    let flags = byte(2)
    var seed: UInt64 = 0
    for i in 3..<11 { seed = seed << 8 | UInt64(byte(i)) }
    var rng = FuzzRandom(seed: seed)
    let count = byte(11) * 4  // up to 1,020 generated events (more only slows the search)

    let events = (0..<count).map { HostileValues.event(&rng, index: $0) }
    let lines = size > 12 ? UnsafeBufferPointer(rebasing: bytes[12...]) : UnsafeBufferPointer(start: nil, count: 0)
    let frame = DashboardFuzzingHooks.reduceAndRender(events: events, lines: lines, width: width, height: height,
                                                      flags: flags, utcOffset: (byte(12) - 128) * 600)
    invariant(frame.messages <= 200 && frame.devEvents <= 100 && frame.customEvents <= 100 && frame.output <= 200,
              "the state outgrew its capacities")
    invariant(frame.width == width && frame.height == height, "the canvas is not the size asked for")
    for character in frame.characters {
        for scalar in character.unicodeScalars {
            let v = scalar.value
            invariant(!(v < 0x20 || (v >= 0x7F && v < 0xA0)), "a control character U+\(String(v, radix: 16)) reaches the screen")
        }
    }
    return 0
}

/// Values chosen to break a reducer or a formatter.
enum HostileValues {
    static let doubles: [Double] = [0, -0.0, 1, -1, 0.5, 1e-300, -1e-300, 1e300, -1e300, 1e19, -1e19, 9.2e18,
                                    .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude,
                                    .nan, .infinity, -.infinity, 1_764_076_800.123, 86_400 * 10_001]
    static let ints: [Int] = [0, 1, -1, 2, 10, .max, .min, .max - 1, .min + 1, 1 << 53, -(1 << 53), 999_999, 1_000_000]
    static let texts: [String] = [
        "", "plain", "\u{1B}[31mred\u{1B}[0m", "tab\there", "line\nbreak\r\n", "\u{7}bell\u{0}nul\u{9B}csi",
        "界界界界界界界界界界界界", "e\u{301}\u{301}\u{301}", "👩‍👩‍👧‍👦🏳️‍🌈", "\u{200B}\u{FEFF}\u{202E}rtl",
        String(repeating: "long ", count: 400), "api_TOKEN=abc SECRET_KEY=x", "\u{FFFD}\u{10FFFF}",
    ]

    static func number(_ rng: inout FuzzRandom) -> JSONValue {
        rng.below(2) == 0 ? .double(rng.pick(doubles)) : .int(rng.pick(ints))
    }

    static func text(_ rng: inout FuzzRandom) -> String { rng.pick(texts) + (rng.below(3) == 0 ? "\(rng.below(5000))" : "") }

    static func value(_ rng: inout FuzzRandom, depth: Int = 0) -> JSONValue {
        switch rng.below(depth > 2 ? 4 : 6) {
        case 0: return number(&rng)
        case 1: return .string(text(&rng))
        case 2: return .null
        case 3: return .bool(rng.below(2) == 0)
        case 4: return .array((0..<rng.below(4)).map { _ in value(&rng, depth: depth + 1) })
        default:
            var o = JSONObject()
            for _ in 0..<rng.below(4) { o[text(&rng)] = value(&rng, depth: depth + 1) }
            return .object(o)
        }
    }

    static func event(_ rng: inout FuzzRandom, index: Int) -> Event {
        let t = rng.below(8) == 0 ? rng.pick(doubles) : 1_764_076_800 + Double(index) * 0.01
        let step: String? = rng.below(4) == 0 ? nil : rng.below(3) == 0 ? text(&rng) : "step\(rng.below(70))"
        let level = rng.below(3) == 0 ? rng.pick(LogLevel.allCases) : nil
        let payload: EventPayload
        switch rng.below(11) {
        case 0:
            payload = .runStatus(RunStatusUpdate(status: rng.pick(RunStatus.allCases), action: text(&rng), jobID: text(&rng),
                                                 params: value(&rng), result: value(&rng),
                                                 error: rng.below(2) == 0 ? RunError(type: text(&rng), message: text(&rng)) : nil))
        case 1:
            payload = .actionStatus(ActionStatusUpdate(action: text(&rng), index: rng.pick(ints), total: rng.pick(ints),
                                                       status: rng.pick(ActionStatus.allCases), error: nil))
        case 2, 3:
            payload = .progress(ProgressData(current: rng.pick(ints), total: rng.pick(ints), step: step,
                                             elapsed: rng.below(2) == 0 ? rng.pick(doubles) : nil,
                                             timeRemaining: rng.below(2) == 0 ? rng.pick(doubles) : nil))
        case 4, 5:
            var metrics = JSONObject()
            for _ in 0..<(1 + rng.below(rng.below(10) == 0 ? 300 : 4)) {
                metrics[rng.below(2) == 0 ? "k\(rng.below(400))" : text(&rng)] = rng.below(6) == 0 ? value(&rng) : number(&rng)
            }
            payload = .metrics(metrics)
        case 6: payload = .message(Message(content: text(&rng), key: rng.below(3) == 0 ? text(&rng) : nil))
        case 7: payload = .devEvent(DevEvent(message: text(&rng), data: value(&rng)))
        case 8:
            payload = .metric(MetricRecord(category: text(&rng), key: text(&rng), value: number(&rng),
                                           metrics: ["a": number(&rng), text(&rng): value(&rng)]))
        case 9: payload = .output(OutputLine(stream: rng.below(2) == 0 ? .stdout : .stderr, text: text(&rng)))
        default: payload = rng.below(4) == 0 ? .end : .custom(name: text(&rng), data: value(&rng))
        }
        return Event(timestamp: t, step: step, level: level, payload: payload)
    }
}
