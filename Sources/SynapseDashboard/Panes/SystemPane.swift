import SynapsePlugins

/// What the run costs the machine, from its `system` records: a one-row strip under the header (CPU,
/// memory, I/O and, when there is one, GPU, each with a sparkline of the run so far), which `S` expands
/// into a pane with a row per figure (and one per GPU). Shown only once a `system` record arrived.
package struct SystemPane: DashboardPane {
    /// The frame's state, UI and options.
    package var context: PaneContext

    /// Creates the pane for a frame.
    package init(context: PaneContext) { self.context = context }

    /// Rows the expanded pane wants: its title, CPU, memory, I/O, the tree, and one per GPU.
    package static func expandedRows(state: DashboardState) -> Int {
        1 + 4 + (state.system.latest?.gpus.count ?? 0)
    }

    package func draw(into canvas: inout Canvas, in rect: Rect) {
        guard !rect.isEmpty, let sample = context.state.system.latest else { return }
        if rect.height == 1 {
            drawStrip(sample, into: &canvas, in: rect)
        } else {
            drawExpanded(sample, into: &canvas, in: rect)
        }
    }

    // MARK: strip

    private func drawStrip(_ sample: SystemSample, into canvas: inout Canvas, in rect: Rect) {
        let series = context.state.system
        var items: [(label: String, value: String, figure: SystemSeries.Figure)] = [
            ("CPU", sample.cpuPercent.map(Self.percent) ?? "–", .cpu),
            ("MEM", "\(Self.bytes(sample.rssBytes))/\(Self.bytes(sample.memoryTotal))", .memory),
            ("I/O", Self.ioRate(sample), .io),
        ]
        if series.hasGPU { items.append(("GPU", Self.gpuSummary(sample.gpus), .gpu)) }
        let hint = context.ui.showSystem ? "" : rect.width >= 100 ? "S: expand" : "S"
        // Sparklines as wide as the row allows, 4 to 12 cells each; none when even the figures barely fit.
        let textWidth = items.reduce(0) { $0 + canvas.displayWidth($1.label) + 1 + canvas.displayWidth($1.value) + 3 }
        let free = rect.width - 1 - textWidth - (hint.isEmpty ? 0 : hint.count + 1)
        let spark = free >= 4 * items.count ? min(rect.width >= 160 ? 24 : 12, free / items.count - 1) : 0
        var x = rect.x + 1
        let end = rect.maxX
        for item in items {
            guard x < end else { break }
            x = canvas.put(item.label + " ", x: x, y: rect.y, width: end - x, style: Style(.muted))
            x = canvas.put(item.value, x: x, y: rect.y, width: max(0, end - x), style: Style(.normal, .bold))
            let history = series.history(item.figure)
            if spark > 0, history.sampleCount > 1, x + 1 + spark <= end {
                Sparkline.draw(history, width: spark, glyphs: context.glyphs, into: &canvas, x: x + 1, y: rect.y,
                               style: Style(.chart))
                x += 1 + min(spark, history.sampleCount)
            }
            x += 3
        }
        if !hint.isEmpty, x <= end - 1 - hint.count {
            canvas.put(hint, x: end - 1 - hint.count, y: rect.y, style: Style(.keyHint))
        }
    }

    // MARK: expanded

    private func drawExpanded(_ sample: SystemSample, into canvas: inout Canvas, in rect: Rect) {
        let series = context.state.system
        let detail = "\(NumberFormat.count(series.sampleCount)) samples · S: strip"
        let content = PaneFrame.draw(into: &canvas, in: rect, title: "System", detail: detail, focused: false,
                                     glyphs: context.glyphs)
        var rows: [(label: String, text: String, figure: SystemSeries.Figure?)] = []
        var cpu = sample.cpuPercent.map { "\(Self.percent($0)) of a core" } ?? "–"
        if let machine = sample.cpuMachinePercent {
            cpu += " · \(Self.percent(machine)) of \(NumberFormat.number(sample.cpuCores)) cores"
        }
        cpu += " · peak \(Self.percent(series.peakCPU))"
        rows.append(("CPU", cpu, .cpu))
        var memory = "\(Self.bytes(sample.rssBytes)) resident · peak \(Self.bytes(series.peakRSS))"
        if let limit = sample.memoryLimit {
            memory += " · limit \(Self.bytes(limit))"
            if let used = sample.memoryLimitUsed { memory += " (\(Self.bytes(used)) used)" }
        } else if sample.hostMemoryTotal > 0 {
            memory += " · host \(Self.bytes(sample.hostMemoryTotal)), \(Self.bytes(sample.hostMemoryAvailable)) free"
        }
        rows.append(("Memory", memory, .memory))
        let io = "read \(Self.rate(sample.readRate)) · write \(Self.rate(sample.writeRate)) · total "
            + "\(Self.bytes(sample.readBytes)) / \(Self.bytes(sample.writeBytes))"
        rows.append(("I/O", io, .io))
        rows.append(("Tree", "\(sample.processes) process\(sample.processes == 1 ? "" : "es") · \(sample.threads) threads · \(sample.openFiles) open files"
                     + " · load \(NumberFormat.number(sample.load1))", nil))
        for gpu in sample.gpus {
            var parts: [String] = [gpu.name.isEmpty ? "?" : gpu.name]
            if let u = gpu.utilization { parts.append(Self.percent(u)) }
            if let used = gpu.memoryUsed {
                parts.append(gpu.memoryTotal.map { "\(Self.bytes(used))/\(Self.bytes($0))" } ?? Self.bytes(used))
            }
            if let t = gpu.temperature { parts.append("\(NumberFormat.number(t))°C") }
            if let p = gpu.power { parts.append("\(NumberFormat.number(p)) W") }
            if let mine = gpu.processMemory { parts.append("job \(Self.bytes(mine))") }
            rows.append(("GPU \(gpu.index)", parts.joined(separator: " · "), gpu.index == sample.gpus.first?.index ? .gpu : nil))
        }
        for (i, row) in rows.enumerated() where i < content.height {
            let y = content.y + i
            let labelEnd = canvas.put(row.label, x: content.x + 1, y: y, width: 8, style: Style(.muted))
            let textX = max(labelEnd, content.x + 10)
            let sparkWidth = content.width >= 100 ? min(40, content.width / 4) : 0
            let textWidth = max(0, content.maxX - textX - (sparkWidth > 0 ? sparkWidth + 2 : 0))
            canvas.put(row.text, x: textX, y: y, width: textWidth, style: Style(.normal))
            if sparkWidth > 0, let figure = row.figure, series.history(figure).sampleCount > 1 {
                Sparkline.draw(series.history(figure), width: sparkWidth, glyphs: context.glyphs, into: &canvas,
                               x: content.maxX - sparkWidth - 1, y: y, style: Style(.chart))
            }
        }
    }

    // MARK: formatting

    /// `98%`, `150%` (of one core), `0.5%`.
    static func percent(_ p: Double) -> String {
        guard p.isFinite else { return "–" }
        return p < 10 && p != 0 ? "\(NumberFormat.number((p * 10).rounded() / 10))%" : "\(Int(p.rounded()))%"
    }

    /// Bytes in binary units: `980K`, `212M`, `1.5G`.
    static func bytes(_ n: Int) -> String {
        let units = ["B", "K", "M", "G", "T", "P"]
        var value = Double(max(0, n)), unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let text = value < 10 && unit > 0 ? NumberFormat.number((value * 10).rounded() / 10) : String(Int(value.rounded()))
        return text + units[unit]
    }

    static func rate(_ perSecond: Double?) -> String {
        perSecond.map { bytes(Int($0)) + "/s" } ?? "–"
    }

    static func ioRate(_ sample: SystemSample) -> String {
        guard let r = sample.readRate, let w = sample.writeRate else { return "–" }
        return "r \(rate(r)) w \(rate(w))"
    }

    static func gpuSummary(_ gpus: [GPUDevice]) -> String {
        let u = gpus.compactMap(\.utilization)
        let used = gpus.compactMap(\.memoryUsed).reduce(0, +)
        let total = gpus.compactMap(\.memoryTotal).reduce(0, +)
        let util = u.isEmpty ? "–" : percent(u.reduce(0, +) / Double(u.count))
        return total > 0 ? "\(util) \(bytes(used))/\(bytes(total))" : util
    }
}
