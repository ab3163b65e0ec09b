import Testing
import SynapsePlugins
@testable import SynapseDashboard

/// Single records that used to crash every reader (issue #13): each is reduced through both paths a log
/// takes (the block reader and the full decoder) and rendered at both screen sizes we check by hand, with
/// timestamps shown and hidden.
@Suite struct HostileRecordTests {
    static let lines = [
        #"{"v":1,"event":"metrics","timestamp":1,"step":"s","data":{"x":-9223372036854775808}}"#,
        #"{"v":1,"event":"progress","timestamp":1,"step":"s","data":{"current":-9223372036854775808,"total":1}}"#,
        #"{"v":1,"event":"progress","timestamp":1,"step":"s","data":{"current":5,"total":10,"elapsed":1,"time_remaining":1e300}}"#,
        #"{"v":1,"event":"message","timestamp":1e19,"data":{"content":"b"}}"#,
        #"{"v":1,"event":"message","timestamp":-1e300,"data":{"content":"b"}}"#,
        #"{"v":1,"event":"run_status","timestamp":1e19,"data":{"status":"running","action":"t"}}"#,
        #"{"v":1,"event":"metrics","timestamp":1,"step":"s","data":{"x":1e300,"y":-1e300,"z":9223372036854775807}}"#,
        #"{"v":1,"event":"progress","timestamp":1,"step":"s","data":{"current":1,"total":-9223372036854775808}}"#,
        #"{"v":1,"event":"progress","timestamp":1,"step":"s","data":{"current":9223372036854775807,"total":1,"elapsed":1e-300}}"#,
        #"{"v":1,"event":"progress","timestamp":1,"step":"s","data":{"current":1,"total":9223372036854775807,"elapsed":1e-300}}"#,
        #"{"v":1,"event":"metrics","timestamp":1,"step":"s","data":{"x":-1.7976931348623157e308}}"#,
        #"{"v":1,"event":"metrics","timestamp":2,"step":"s","data":{"x":1.7976931348623157e308}}"#,
    ]

    static func render(_ state: DashboardState) -> [Canvas] {
        var shown = UIState()
        shown.showTimestamps = true
        return [Size(width: 80, height: 24), Size(width: 200, height: 50)].flatMap { size in
            [DashboardRenderer.render(state, ui: UIState(), size: size), DashboardRenderer.render(state, ui: shown, size: size)]
        }
    }

    @Test(arguments: lines)
    func recordIsReadAndShown(line: String) throws {
        var blocks = DashboardState()
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        let read = bytes.withUnsafeBufferPointer { blocks.ingest(lines: $0, firstLine: 1) }
        #expect(read == 1)
        #expect(blocks.unreadableCount == 0)
        var events = DashboardState()
        events.apply(try #require(try EventCodec.decodeLine(line)))
        for canvas in Self.render(blocks) + Self.render(events) {
            #expect(canvas.height > 0)
        }
    }

    /// Every record at once, in both orders: the figures of one must not break another's.
    @Test func allRecordsTogether() {
        for lines in [Self.lines, Self.lines.reversed()] {
            var state = DashboardState()
            let text = lines.joined(separator: "\n") + "\n"
            _ = Array(text.utf8).withUnsafeBufferPointer { state.ingest(lines: $0, firstLine: 1) }
            #expect(state.unreadableCount == 0)
            #expect(Self.render(state).count == 4)
        }
    }

    @Test func hugeMetricReadsAsScientific() throws {
        var state = DashboardState()
        state.apply(try #require(try EventCodec.decodeLine(#"{"v":1,"event":"metrics","timestamp":1,"step":"s","data":{"x":1e300}}"#)))
        let canvas = DashboardRenderer.render(state, ui: UIState(), size: Size(width: 200, height: 50))
        let screen = (0..<canvas.height).map { canvas.line($0) }.joined(separator: "\n")
        #expect(screen.contains("1e300"))
        #expect(!screen.contains("10000000"))
    }
}

/// A huge message keeps a bounded prefix in memory (issue #13: 60 messages of 7 MB held 500 MB).
@Suite struct MessageCapTests {
    @Test func hugeMessagesKeepABoundedPrefix() {
        var state = DashboardState()
        let big = String(repeating: "x", count: 7 << 20)
        for i in 0..<3 { state.apply(Event(timestamp: Double(i), payload: .message(Message(content: big)))) }
        #expect(state.messages.count == 3)
        #expect(state.messages.elements.allSatisfy { $0.text.utf8.count < EventCodec.cappedTextBytes + 64 })
        #expect(state.messages.elements.first?.text.hasSuffix("[truncated: 7340032 bytes]") == true)
    }
}
