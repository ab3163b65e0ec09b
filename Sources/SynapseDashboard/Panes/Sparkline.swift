import SynapsePlugins

/// A one-row chart of a metric's history in block characters.
public enum Sparkline {
    /// The sparkline of `series` in `width` cells (shorter when the history is shorter).
    public static func text(_ series: MetricSeries, width: Int, glyphs: Glyphs) -> String {
        guard width > 0, let lo = series.min, let hi = series.max else { return "" }
        let points = series.resampled(to: width)
        let levels = glyphs.spark.count
        var out = ""
        for p in points {
            let v = p.last
            let level = hi > lo ? Int(((v - lo) / (hi - lo) * Double(levels - 1)).rounded()) : levels / 2
            out.append(glyphs.spark[min(levels - 1, max(0, level))])
        }
        return out
    }
}
