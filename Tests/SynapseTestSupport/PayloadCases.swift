import SynapsePlugins

/// A payload's case as an optional, so a test checks it with `let p = try #require(e.payload.asProgress)`:
/// the wrong case fails the test instead of ending it quietly.
extension EventPayload {
    package var asRunStatus: RunStatusUpdate? { if case .runStatus(let u) = self { u } else { nil } }
    package var asProgress: ProgressData? { if case .progress(let p) = self { p } else { nil } }
    package var asMetrics: JSONObject? { if case .metrics(let m) = self { m } else { nil } }
}
