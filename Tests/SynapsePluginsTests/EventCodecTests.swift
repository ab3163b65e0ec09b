import Testing
@testable import SynapsePlugins

@Suite struct EventCodecTests {
    @Test func progressRoundTrips() throws {
        let event = Event(timestamp: 1764076801.5, step: "training",
                          payload: .progress(ProgressData(current: 5, total: 50, step: "training", elapsed: 1.25, timeRemaining: 11.25)))
        let line = EventCodec.encodeString(event)
        #expect(line == #"{"v":1,"event":"progress","timestamp":1764076801.5,"step":"training","data":{"current":5,"total":50,"percent":10.0,"elapsed":1.25,"time_remaining":11.25}}"#)
        let back = try #require(try EventCodec.decodeLine(line))
        #expect(back == event)
    }
}
