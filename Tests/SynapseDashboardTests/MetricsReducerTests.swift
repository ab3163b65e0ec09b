import Foundation
import Testing
import SynapsePlugins
@testable import SynapseDashboard

/// What the reducer makes of metrics: steps and `log_metric` categories apart, NaN and infinities kept and
/// counted, nested dicts flattened, every sample placed on the run's counter.
@Suite struct MetricsReducerTests {
    func event(_ payload: EventPayload, at t: Double = 100, step: String? = nil) -> Event {
        Event(timestamp: t, step: step, payload: payload)
    }

    /// synapse-sdk's pattern: `set_metrics` per batch in step `train`, `log_metric('train', 'epoch', e,
    /// loss=mean)` at each epoch's end.
    @Test func metricRecordsAreTheirCategorysOwnSeries() throws {
        var s = DashboardState()
        var t = 100.0
        for epoch in 1...3 {
            for batch in 0..<4 {
                t += 1
                s.apply(event(.metrics(["epoch": .int(epoch), "loss": .double(1.0 / Double(epoch) - Double(batch) * 0.01)]),
                              at: t, step: "train"))
            }
            s.apply(event(.metric(MetricRecord(category: "train", key: "epoch", value: .int(epoch),
                                               metrics: ["loss": .double(0.9 / Double(epoch))])), at: t))
        }
        #expect(s.metrics.map(\.step) == ["train", "train"])
        #expect(s.metrics.map(\.kind) == [.step, .category])
        let stepLoss = try #require(s.metric(MetricID(step: "train", name: "loss")))
        #expect(stepLoss.series?.sampleCount == 12)
        #expect(stepLoss.value == .double(1.0 / 3 - 0.03))  // the last set_metrics value, not an epoch mean
        let epochLoss = try #require(s.metric(MetricID(step: "train", name: "loss", category: true)))
        #expect(epochLoss.series?.sampleCount == 3)
        #expect(epochLoss.value == .double(0.3))
        // The record's key/value is its x.
        #expect(s.metricStep(of: MetricID(step: "train", name: "loss", category: true))?.counterName == "epoch")
        #expect(epochLoss.series?.buckets.map(\.counterLast) == [1, 2, 3])
        #expect(s.metricRecordCount == 3)
        #expect(s.chartableMetrics.map(\.description) == ["train/epoch", "train/loss", "train[metric]/epoch", "train[metric]/loss"])
    }

    /// The SDK's docstring uses a metric as the key (`log_metric('train', 'loss', 0.5, accuracy=0.95)`):
    /// only a counter key is an x.
    @Test func aMetricRecordsKeyIsItsXOnlyWhenItIsACounter() throws {
        var s = DashboardState()
        s.apply(event(.metrics(["epoch": 2, "loss": 1]), step: "train"))
        s.apply(event(.metric(MetricRecord(category: "train", key: "loss", value: 0.5, metrics: ["accuracy": 0.95]))))
        let category = try #require(s.metricStep(of: MetricID(step: "train", name: "loss", category: true)))
        #expect(category.entries.map(\.name) == ["loss", "accuracy"])
        #expect(category.counterName == "epoch", "borrowed from the step, not the key")
        #expect(category.entry(named: "accuracy")?.series?.buckets.first?.counterLast == 2)
        s.apply(event(.metric(MetricRecord(category: "eval", key: "step", value: 300, metrics: ["f1": 0.8]))))
        #expect(s.metricStep(of: MetricID(step: "eval", name: "f1", category: true))?.counterName == "step")
    }

    @Test func nanAndInfinitiesAreKeptCountedAndInPlace() throws {
        var s = DashboardState()
        let values: [Double] = [1.0, .nan, 0.8, -.infinity, 0.6, .infinity, 0.4]
        for (i, v) in values.enumerated() {
            s.apply(event(.metrics(["step": .int(i + 1), "grad_norm": .double(v)]), at: 100 + Double(i), step: "train"))
        }
        let series = try #require(s.metric(MetricID(step: "train", name: "grad_norm"))?.series)
        #expect(series.sampleCount == 7 && series.count == 4)
        #expect(series.nanCount == 1 && series.negativeInfinityCount == 1 && series.positiveInfinityCount == 1)
        #expect(series.min == 0.4 && series.max == 1.0)
        // Every sample keeps its slot and its counter: the samples after the NaN are not shifted.
        let buckets = series.buckets
        #expect(buckets.count == 7)
        #expect(buckets.map(\.counterLast) == [1, 2, 3, 4, 5, 6, 7])
        #expect(buckets.map(\.isGap) == [false, true, false, true, false, true, false])
        #expect(buckets[1].nonFinite == .nan && buckets[3].nonFinite == .negativeInfinity && buckets[5].nonFinite == .positiveInfinity)
        #expect(buckets[2].last == 0.8)
        #expect(MetricsPane.nonFiniteBadge(series, ascii: false) == "NaN/inf×3")
        #expect(MetricsPane.extremes(series) == ("-inf", "inf"))
    }

    @Test func downSampledBucketsKeepTrueEnvelopesAndMeans() {
        var series = MetricSeries()
        for i in 0..<10_000 { series.append(i % 2 == 0 ? 1 : 3, counter: Double(i), time: Double(i)) }
        series.append(.nan, counter: 10_000, time: 10_000)
        #expect(series.bucketCount <= MetricSeries.bucketCapacity && series.samplesPerBucket > 1)
        let full = series.buckets.dropLast()
        #expect(full.allSatisfy { $0.min == 1 && $0.max == 3 && $0.mean == 2 })
        #expect(series.buckets.last?.nonFinite == .nan)
        #expect(series.buckets.reduce(0) { $0 + Int($1.finite) } == 10_000)
        // The last N samples are covered by the newest buckets.
        let last100 = series.lastBuckets(covering: 100)
        #expect(last100.reduce(0) { $0 + Int($1.finite) + ($1.nonFinite.isEmpty ? 0 : 1) } >= 100)
        #expect(last100.count < series.bucketCount)
    }

    @Test func nestedDictsAreFlattenedToDottedNames() throws {
        var s = DashboardState()
        s.apply(event(.metrics(["loss": 0.5, "grad": ["norm": 2.5, "clip": ["ratio": 0.1]], "per_class": ["cat": 0.9, "dog": 0.7],
                                "hist": [1, 2]]), step: "train"))
        s.apply(event(.metrics(["grad": ["norm": 1.5]]), at: 101, step: "train"))
        let names = s.metrics[0].entries.map(\.name)
        #expect(names == ["loss", "grad.norm", "grad.clip.ratio", "per_class.cat", "per_class.dog", "hist"])
        let norm = try #require(s.metric(MetricID(step: "train", name: "grad.norm")))
        #expect(norm.series?.sampleCount == 2 && norm.series?.min == 1.5)
        #expect(s.chartableMetrics.contains(MetricID(step: "train", name: "per_class.cat")))
        #expect(s.metric(MetricID(step: "train", name: "hist"))?.isNumeric == false)
    }

    @Test func samplesArePlacedOnTheRunsCounter() throws {
        var s = DashboardState()
        // Training logs epoch; validation does not, and borrows training's epoch.
        for epoch in 1...3 {
            for _ in 0..<2 { s.apply(event(.metrics(["epoch": .int(epoch), "loss": 1]), step: "training")) }
            s.apply(event(.metrics(["val_loss": 1]), step: "validation"))
        }
        // A record that leaves the counter out keeps the step's latest one.
        s.apply(event(.metrics(["loss": 0.5]), step: "training"))
        let training = try #require(s.metric(MetricID(step: "training", name: "loss"))?.series)
        #expect(training.buckets.map(\.counterLast) == [1, 1, 2, 2, 3, 3, 3])
        let validation = try #require(s.metric(MetricID(step: "validation", name: "val_loss"))?.series)
        #expect(s.metricStep(of: MetricID(step: "validation", name: "val_loss"))?.counterName == "epoch")
        #expect(validation.buckets.map(\.counterLast) == [1, 2, 3])
        // No counter anywhere: the samples have none (the chart uses time).
        var none = DashboardState()
        none.apply(event(.metrics(["loss": 1]), step: "training"))
        #expect(none.metrics[0].counterName == nil)
        #expect(none.metric(MetricID(step: "training", name: "loss"))?.series?.buckets.first?.counterLast.isNaN == true)
        // The finest counter of the first record wins.
        var both = DashboardState()
        both.apply(event(.metrics(["epoch": 1, "global_step": 10, "loss": 1]), step: "training"))
        #expect(both.metrics[0].counterName == "global_step")
    }

    /// synapse-sdk prints a step's whole merged dict on every `set_metrics`: a value printed again unchanged
    /// is not a new sample.
    @Test func repeatedConsoleValuesAreNotNewSamples() throws {
        var lines: [String] = ["[STEP: train] [LEVEL: INFO] Metrics: {'lr': 0.001, 'epoch': 1, 'loss': nan, 'grad': {'norm': 1.0}}"]
        for i in 1...30 {
            lines.append("[STEP: train] [LEVEL: INFO] Metrics: {'lr': 0.001, 'epoch': \(1 + i / 10), 'loss': \(1.0 / Double(i)), 'grad': {'norm': 1.0}}")
        }
        lines.append("[STEP: train] [LEVEL: INFO] Metrics: {'lr': 0.001, 'epoch': 4, 'loss': 0.01, 'grad': {'norm': 1.0}}")
        let events = ConsoleLineParser.parse(stdout: lines.joined(separator: "\n") + "\n", now: { 100 })
        // Only what changed travels (never a null standing for "unchanged").
        let second: JSONObject? = if case .metrics(let o) = events[1].payload { o } else { nil }
        #expect(second == ["loss": 1.0])
        var s = DashboardState()
        s.apply(events)
        let entry = { (name: String) in s.metric(MetricID(step: "train", name: name))?.series }
        #expect(try #require(entry("lr")).sampleCount == 1)
        #expect(try #require(entry("grad.norm")).sampleCount == 1)
        #expect(try #require(entry("epoch")).sampleCount == 4)
        #expect(try #require(entry("loss")).sampleCount == 32)
        #expect(try #require(entry("loss")).nanCount == 1)
        // The counter still places every loss sample (it is the step's latest epoch).
        #expect(try #require(entry("loss")).buckets.map(\.counterLast).suffix(3) == [3, 4, 4])
    }

    /// Reducing blocks of lines gives what applying their events does, with the new kinds of metrics.
    @Test func blocksAndEventsAgreeOnMetricRecordsNaNAndNesting() {
        var lines: [String] = []
        var t = 1_764_076_800.0
        for i in 0..<600 {
            t += 0.5
            let loss: JSONValue = i % 97 == 0 ? .double(.nan) : i % 89 == 0 ? .double(.infinity) : .double(1 / Double(i + 1))
            lines.append(EventCodec.encodeString(Event(timestamp: t, step: "train", payload: .metrics(
                i % 5 == 0 ? ["epoch": .int(i / 50), "loss": loss, "grad": ["norm": .double(Double(i))]] : ["epoch": .int(i / 50), "loss": loss]))))
            if i % 50 == 49 {
                lines.append(EventCodec.encodeString(Event(timestamp: t, step: "validation", payload: .metrics(["val_loss": .double(0.5)]))))
                lines.append(EventCodec.encodeString(Event(timestamp: t, payload: .metric(MetricRecord(
                    category: "train", key: "epoch", value: .int(i / 50), metrics: ["loss": .double(0.3)])))))
            }
        }
        let bytes = Array(lines.joined(separator: "\n").utf8)
        let reference = LogBlockReduceTests.eventByEvent(bytes)
        var state = DashboardState()
        bytes.withUnsafeBufferPointer { _ = state.ingest(lines: $0, firstLine: 1) }
        #expect(state == reference)
        #expect(reference.metric(MetricID(step: "train", name: "loss"))?.series?.nonFiniteCount == 13)
    }
}
