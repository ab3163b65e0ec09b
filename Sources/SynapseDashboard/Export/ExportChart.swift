import SynapsePlugins

/// A chart for the HTML export, drawn as inline SVG: one or more series (one per run when comparing) on a
/// shared x axis chosen as the dashboard's chart chooses it (the run's counter when every series has the
/// same one, else seconds since each run's start, else sample numbers). Each point is a bucket of the
/// series' bounded history: its mean as the line, its min/max as a shaded envelope, non-finite samples as
/// red ticks under the plot.
package struct ExportChart: Sendable {
    /// One series to draw.
    package struct Input: Sendable {
        package var label: String
        package var series: MetricSeries
        package var counterName: String?
        /// The run's start (epoch seconds), for the time axis.
        package var start: Double
        package init(label: String, series: MetricSeries, counterName: String?, start: Double) {
            self.label = label
            self.series = series
            self.counterName = counterName
            self.start = start
        }
    }

    struct Line {
        var label: String
        var xs: [Double]
        var buckets: [MetricSeries.Bucket]
    }

    package var title: String
    var axis: ChartData.Axis
    var lines: [Line]

    /// Series colours (distinct under the common colour-vision deficiencies, Okabe-Ito).
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

    /// The chart of `inputs`, or `nil` when none has a sample.
    package init?(title: String, inputs: [Input]) {
        let inputs = inputs.filter { $0.series.bucketCount > 0 }
        guard !inputs.isEmpty else { return nil }
        self.title = title
        let all = inputs.map { $0.series.buckets }
        let names = Set(inputs.map(\.counterName))
        let timed = all.allSatisfy { $0.allSatisfy { $0.time > 0 && $0.time < 1e13 } }
        let axis: ChartData.Axis
        if names.count == 1, let name = inputs[0].counterName, all.allSatisfy({ $0.contains { !$0.counterLast.isNaN } }) {
            axis = .counter(name)
        } else {
            axis = timed ? .relativeTime : .sample
        }
        self.axis = axis
        lines = zip(inputs, all).map { input, buckets in
            let xs: [Double]
            switch axis {
            case .counter: xs = ChartData.counterPositions(buckets)
            case .relativeTime, .wallTime: xs = buckets.map { $0.time - input.start }
            case .sample:
                let per = Double(input.series.samplesPerBucket)
                xs = buckets.indices.map { Double($0) * per + 1 }
            }
            return Line(label: input.label, xs: xs, buckets: buckets)
        }
    }

    /// The axis's name as printed under it.
    var axisName: String {
        switch axis {
        case .counter(let name): return name
        case .relativeTime, .wallTime: return "time since start"
        case .sample: return "sample"
        }
    }

    func xLabel(_ x: Double) -> String {
        switch axis {
        case .relativeTime, .wallTime: return NumberFormat.duration(Swift.max(0, x))
        default: return NumberFormat.number(x)
        }
    }

    /// The SVG element (`width`×`height` user units, scaled to its container by CSS).
    package func svg(width: Int = 640, height: Int = 240) -> String {
        let left = 64.0, right = 12.0, top = 12.0, bottom = 44.0
        let pw = Double(width) - left - right, ph = Double(height) - top - bottom
        var xLo = Double.infinity, xHi = -Double.infinity, yLo = Double.infinity, yHi = -Double.infinity
        for line in lines {
            for (x, b) in zip(line.xs, line.buckets) where x.isFinite {
                xLo = Swift.min(xLo, x); xHi = Swift.max(xHi, x)
                if b.finite > 0 { yLo = Swift.min(yLo, b.min); yHi = Swift.max(yHi, b.max) }
            }
        }
        if !(xLo <= xHi) { xLo = 0; xHi = 1 }
        if xHi == xLo { xLo -= 0.5; xHi += 0.5 }
        if !(yLo <= yHi) { yLo = 0; yHi = 1 }
        if yHi == yLo { let pad = yLo == 0 ? 1 : abs(yLo) * 0.1; yLo -= pad; yHi += pad }
        func px(_ x: Double) -> Double { left + (x - xLo) / (xHi - xLo) * pw }
        func py(_ y: Double) -> Double { top + (1 - (y - yLo) / (yHi - yLo)) * ph }
        func f(_ d: Double) -> String { let r = (d * 10).rounded() / 10; return r == r.rounded() ? String(Int(r)) : String(r) }

        var s = "<svg class=\"chart\" viewBox=\"0 0 \(width) \(height)\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
        s += "aria-label=\"\(ExportText.html(title))\">"
        s += "<title>\(ExportText.html(title))</title>"
        s += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(pw))\" height=\"\(f(ph))\" class=\"plot\"/>"
        // Grid and tick labels: five on each axis.
        for k in 0...4 {
            let fy = Double(k) / 4, y = top + fy * ph
            let value = yHi - fy * (yHi - yLo)
            s += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + pw))\" y2=\"\(f(y))\" class=\"grid\"/>"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" class=\"tick\" text-anchor=\"end\">\(ExportText.html(NumberFormat.number(value)))</text>"
            let x = left + Double(k) / 4 * pw
            let xv = xLo + Double(k) / 4 * (xHi - xLo)
            s += "<line x1=\"\(f(x))\" y1=\"\(f(top + ph))\" x2=\"\(f(x))\" y2=\"\(f(top + ph + 4))\" class=\"axis\"/>"
            s += "<text x=\"\(f(x))\" y=\"\(f(top + ph + 17))\" class=\"tick\" text-anchor=\"middle\">\(ExportText.html(xLabel(xv)))</text>"
        }
        s += "<line x1=\"\(f(left))\" y1=\"\(f(top + ph))\" x2=\"\(f(left + pw))\" y2=\"\(f(top + ph))\" class=\"axis\"/>"
        s += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + ph))\" class=\"axis\"/>"
        s += "<text x=\"\(f(left + pw / 2))\" y=\"\(f(Double(height) - 6))\" class=\"axis-name\" text-anchor=\"middle\">"
        s += "\(ExportText.html(axisName))</text>"

        for (k, line) in lines.enumerated() {
            let colour = Self.palette[k % Self.palette.count]
            // Runs of finite buckets: a gap (no finite sample) breaks the line and the envelope.
            var segments: [[(Double, MetricSeries.Bucket)]] = [[]]
            for (x, b) in zip(line.xs, line.buckets) {
                if b.finite > 0, x.isFinite { segments[segments.count - 1].append((x, b)) } else if !segments[segments.count - 1].isEmpty { segments.append([]) }
            }
            s += "<g class=\"series\" data-label=\"\(ExportText.html(line.label))\">"
            for seg in segments where !seg.isEmpty {
                if seg.contains(where: { $0.1.max > $0.1.min }) {
                    let upper = seg.map { "\(f(px($0.0))),\(f(py($0.1.max)))" }
                    let lower = seg.reversed().map { "\(f(px($0.0))),\(f(py($0.1.min)))" }
                    s += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(colour)\" fill-opacity=\"0.18\" stroke=\"none\"/>"
                }
                if seg.count == 1 {
                    s += "<circle cx=\"\(f(px(seg[0].0)))\" cy=\"\(f(py(seg[0].1.mean)))\" r=\"2.5\" fill=\"\(colour)\"/>"
                } else {
                    let pts = seg.map { "\(f(px($0.0))),\(f(py($0.1.mean)))" }.joined(separator: " ")
                    s += "<polyline points=\"\(pts)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.6\"/>"
                }
            }
            for (x, b) in zip(line.xs, line.buckets) where !b.nonFinite.isEmpty && x.isFinite {
                let kinds = [b.nonFinite.contains(.nan) ? "NaN" : nil, b.nonFinite.contains(.positiveInfinity) ? "+inf" : nil,
                             b.nonFinite.contains(.negativeInfinity) ? "-inf" : nil].compactMap { $0 }.joined(separator: ", ")
                s += "<line x1=\"\(f(px(x)))\" y1=\"\(f(top + ph - 6))\" x2=\"\(f(px(x)))\" y2=\"\(f(top + ph))\" class=\"nonfinite\">"
                s += "<title>\(kinds) at \(ExportText.html(xLabel(x)))</title></line>"
            }
            s += "</g>"
        }
        s += "</svg>"
        return s
    }

    /// The legend (HTML), one swatch per series.
    package var legend: String {
        lines.enumerated().map { k, line in
            "<span class=\"swatch\" style=\"background:\(Self.palette[k % Self.palette.count])\"></span>\(ExportText.html(line.label))"
        }.joined(separator: " ")
    }
}
