import Foundation

/// Deterministic "training" numbers: a loss that decays with noise, an accuracy that rises with it.
///
/// The shapes are those of a real run (fast early progress, a plateau, validation a little worse than
/// training) so the dashboard's charts look like what a user will see with a real model.
struct SimulatedTraining: Sendable {
    let epochs: Int
    let learningRate: Double
    private var rng: SplitMix64

    init(epochs: Int, learningRate: Double, seed: UInt64) {
        self.epochs = epochs
        self.learningRate = learningRate
        self.rng = SplitMix64(seed: seed)
    }

    /// Decay rate: a larger learning rate learns faster, within reason.
    private var rate: Double {
        let speed = min(3, max(0.2, pow(learningRate / 0.001, 0.35)))
        return 4.0 * speed / Double(max(epochs, 1))
    }

    /// Training loss after `epoch` (1-based) and one training batch's jitter.
    mutating func loss(epoch: Int, batch: Int = 0) -> Double {
        let base = 2.3 * exp(-rate * (Double(epoch) - 1 + Double(batch) / 10)) + 0.05
        return max(0.01, base * (1 + 0.06 * rng.nextSigned()))
    }

    /// Accuracy matching a loss.
    mutating func accuracy(loss: Double) -> Double {
        min(0.995, max(0.05, 1 - 0.42 * loss + 0.01 * rng.nextSigned()))
    }

    /// Validation loss: a little above the training loss.
    mutating func validationLoss(trainingLoss: Double) -> Double {
        trainingLoss * (1.08 + 0.05 * rng.nextUnit())
    }
}


/// The process's resident memory in MiB (Linux `/proc`; `nil` elsewhere), for the dev events.
func residentMemoryMiB() -> Double? {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Double(fields[1]) else { return nil }
    return (pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576 * 10).rounded() / 10
}
