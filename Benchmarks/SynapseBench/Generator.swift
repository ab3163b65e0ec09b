import Foundation
import SynapsePlugins

/// Generates a deterministic, realistic event log: a training run with progress and metrics per step,
/// messages of every level, dev events and custom events, framed by run_status records and `end`.
struct LogGenerator {
    let total: Int
    var rng: SplitMix64
    var clock = 1_764_076_800.0
    var produced = 0
    var stepIndex = 0

    static let messageTexts: [String] = [
        "Epoch completed", "Checkpoint saved to /data/ckpt/model.pt", "GPU memory low, reducing batch size",
        "Validation accuracy improved", "Learning rate schedule: cosine → warm restart",
        "Dataset shard \"train-00042\" loaded", "Retrying upload (attempt 2/5)", "Loss is NaN; skipping batch",
        "Données chargées: 12 345 images", "データセットを読み込みました", "Tab\tseparated\tvalues",
    ]
    static let levels: [LogLevel] = [.info, .info, .info, .success, .warning, .danger, .debug, .error, .critical]
    static let classes = ["cat", "dog", "bird", "car", "truck", "person", "bicycle"]

    init(total: Int, seed: UInt64) {
        self.total = total
        self.rng = SplitMix64(seed: seed)
    }

    mutating func tick() -> Double {
        clock += 0.0005 + rng.nextUnit() * 0.002
        // Microsecond resolution, as time.time() values usually print.
        return (clock * 1e6).rounded() / 1e6
    }

    /// Appends the whole log to `sink` in chunks of encoded lines.
    mutating func generate(_ sink: (UnsafeBufferPointer<UInt8>) -> Void) {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 22)
        func emit(_ event: Event, _ out: inout [UInt8]) {
            out.append(contentsOf: EventCodec.encodeLine(event))
        }
        let jobID = "3f0c9a7e-5b1d-4c2e-9f6a-8d7e6b5a4c3d"
        emit(Event(timestamp: tick(), payload: .runStatus(RunStatusUpdate(
            status: .running, action: "train", jobID: jobID,
            params: ["epochs": 100, "batch_size": 64, "lr": 0.001, "dataset": "/data/train"]))), &out)
        produced = 1
        let stepsTotal = max(1, (total - 3) * 100 / 235)
        let steps = ["preprocess", "training", "evaluation"]
        var current = 0
        var loss = 2.5
        var accuracy = 0.1
        while produced < total - 2 {
            // Step phases: 5% preprocess, 85% training, 10% evaluation.
            // Three steps, each with its own counter: 5% preprocess, 85% training, 10% evaluation.
            let bounds = [stepsTotal / 20, stepsTotal * 18 / 20, stepsTotal]
            let phase = current < bounds[0] ? 0 : current < bounds[1] ? 1 : 2
            let stepName = steps[phase]
            let phaseStart = phase == 0 ? 0 : bounds[phase - 1]
            let phaseTotal = max(1, bounds[phase] - phaseStart)
            current += 1
            let phaseCurrent = min(current - phaseStart, phaseTotal)
            let ts = tick()
            let elapsed = (ts - 1_764_076_800.0).rounded(toPlaces: 2)
            let remaining = (elapsed / Double(phaseCurrent) * Double(phaseTotal - phaseCurrent)).rounded(toPlaces: 2)
            emit(Event(timestamp: ts, step: stepName, payload: .progress(ProgressData(
                current: phaseCurrent, total: phaseTotal, step: stepName, elapsed: elapsed,
                timeRemaining: remaining))), &out)
            produced += 1
            if produced >= total - 2 { break }
            loss = max(0.01, loss * (0.9995 + rng.nextUnit() * 0.0008))
            accuracy = min(0.999, accuracy + rng.nextUnit() * 0.0004)
            var metrics: JSONObject = [:]
            metrics["epoch"] = .int(current / 100)
            metrics["loss"] = .double(loss.rounded(toPlaces: 6))
            metrics["accuracy"] = .double(accuracy.rounded(toPlaces: 4))
            metrics["learning_rate"] = .double((0.001 * (1 + cos(Double(current) / 500)) / 2).rounded(toPlaces: 8))
            emit(Event(timestamp: tick(), step: stepName, payload: .metrics(metrics)), &out)
            produced += 1
            if produced >= total - 2 { break }
            let roll = rng.nextUnit()
            if roll < 0.20 {
                let level = Self.levels[Int(rng.next() % UInt64(Self.levels.count))]
                let text = Self.messageTexts[Int(rng.next() % UInt64(Self.messageTexts.count))]
                emit(Event(timestamp: tick(), step: stepName, level: level,
                           payload: .message(Message(content: "\(text) (step \(current))"))), &out)
                produced += 1
            } else if roll < 0.30 {
                emit(Event(timestamp: tick(), level: .debug, payload: .devEvent(DevEvent(
                    message: "batch timing", data: ["batch": .int(current), "ms": .double((rng.nextUnit() * 40).rounded(toPlaces: 3)),
                                                    "shapes": [64, 3, 224, 224]]))), &out)
                produced += 1
            } else if roll < 0.35 {
                let cls = Self.classes[Int(rng.next() % UInt64(Self.classes.count))]
                emit(Event(timestamp: tick(), file: "/data/images/img_\(current).jpg", payload: .custom(
                    name: "prediction", data: ["class": .string(cls), "confidence": .double(rng.nextUnit().rounded(toPlaces: 4))])), &out)
                produced += 1
            }
            if out.count >= 1 << 22 - 4096 {
                out.withUnsafeBufferPointer(sink)
                out.removeAll(keepingCapacity: true)
            }
        }
        emit(Event(timestamp: tick(), payload: .end), &out)
        emit(Event(timestamp: tick(), payload: .runStatus(RunStatusUpdate(
            status: .completed, action: "train", jobID: jobID, result: ["final_loss": .double(loss)]))), &out)
        produced += 2
        out.withUnsafeBufferPointer(sink)
    }

    /// Writes the log to `path` (replacing it).
    static func write(events: Int, seed: UInt64, to path: String) throws {
        let tmp = path + ".tmp"
        guard let file = fopen(tmp, "wb") else { throw BenchError("cannot create \(tmp)") }
        var generator = LogGenerator(total: events, seed: seed)
        generator.generate { chunk in _ = fwrite(chunk.baseAddress, 1, chunk.count, file) }
        fclose(file)
        guard rename(tmp, path) == 0 else { throw BenchError("cannot rename \(tmp)") }
    }
}

extension Double {
    func rounded(toPlaces places: Int) -> Double {
        let scale = Foundation.pow(10.0, Double(places))
        return (self * scale).rounded() / scale
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
