import Testing
import SynapsePlugins
@testable import SynapseDashboard

@Suite struct BoundedMemoryTests {
    @Test func ringBufferKeepsNewestWithSequenceNumbers() {
        var ring = RingBuffer<Int>(capacity: 3)
        for i in 0..<10 { ring.append(i) }
        #expect(ring.elements == [7, 8, 9])
        #expect(ring.firstSequence == 7 && ring.lastSequence == 9 && ring.droppedCount == 7)
        #expect(ring[sequence: 8] == 8 && ring[sequence: 2] == nil && ring[sequence: 10] == nil)
    }

    @Test func seriesStaysBoundedWithExactExtremes() {
        var series = MetricSeries()
        for i in 0..<1_000_000 {
            series.append(i == 500_000 ? 1e6 : Double(i % 1000))
        }
        #expect(series.count == 1_000_000)
        #expect(series.bucketCount <= MetricSeries.bucketCapacity)
        #expect(series.min == 0 && series.max == 1e6 && series.last == 999)
        // The spike survives down-sampling.
        #expect(series.bucketMax.contains(1e6))
        #expect(series.resampled(to: 40).contains { $0.max == 1e6 })
    }

    @Test func seriesIgnoresNonFiniteForHistory() {
        var series = MetricSeries()
        series.append(1)
        series.append(.nan)
        series.append(.infinity)
        #expect(series.count == 1 && series.max == 1 && series.last == .infinity)
    }

    @Test func millionEventsStayCapped() {
        var s = DashboardState()
        let kinds: [EventPayload] = [
            .message(Message(content: "a message")), .devEvent(DevEvent(message: "dev")),
            .custom(name: "checkpoint", data: ["e": 1]), .output(OutputLine(text: "line")),
        ]
        for i in 0..<1_000_000 {
            let t = 1_764_000_000 + Double(i) / 1000
            switch i % 6 {
            case 0: s.apply(Event(timestamp: t, step: "training", payload: .metrics(["loss": .double(Double(i)), "step\(i % 3)": 1])))
            case 1: s.apply(Event(timestamp: t, step: "s\(i % 100)", payload: .progress(ProgressData(current: i, total: 1_000_000))))
            default: s.apply(Event(timestamp: t, payload: kinds[i % 4]))
            }
        }
        #expect(s.eventCount == 1_000_000)
        #expect(s.messages.count <= 10_000 && s.devEvents.count <= 5_000)
        #expect(s.customEvents.count <= 5_000 && s.output.count <= 10_000)
        #expect(s.steps.count <= DashboardState.maxSteps)
        #expect(s.metrics.allSatisfy { $0.entries.allSatisfy { ($0.series?.bucketCount ?? 0) <= MetricSeries.bucketCapacity } })
        // Rendering a huge state costs the screen, not the history.
        let canvas = DashboardRenderer.render(s, ui: UIState(), size: Size(width: 120, height: 40))
        #expect(canvas.height == 40)
    }
}
