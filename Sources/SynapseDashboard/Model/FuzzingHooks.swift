import SynapsePlugins

/// The dashboard, as the libFuzzer target `FuzzReduceRender` in `Fuzz/` drives it. `Fuzz/` is a package of
/// its own and sees only public declarations; this is public under `@_spi(Fuzzing)` so the state, the panes
/// and the canvas stay `package`.
@_spi(Fuzzing) public enum DashboardFuzzingHooks {
    /// What a reduce-and-render produced: the counts the state holds (to check against its capacities)
    /// and the frame's size and characters, row-major.
    public struct Frame {
        /// Entries the state holds, per kind.
        public var messages: Int, devEvents: Int, customEvents: Int, output: Int
        /// The frame's size in cells.
        public var width: Int, height: Int
        /// Every cell's character, row-major.
        public var characters: [Character]
    }

    /// Applies `events`, then ingests `lines` as log lines, into a state with small capacities (200 messages,
    /// 100 dev events, 100 custom events, 200 output lines), and renders it at `width`x`height`.
    /// `flags`: 1 dev events shown, 2 timestamps, 4 help, 8 ASCII, 16 a fixed clock, 32 a live run.
    public static func reduceAndRender(events: [Event], lines: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
                                       flags: Int, utcOffset: Int) -> Frame {
        var state = DashboardState(capacities: .init(messages: 200, devEvents: 100, customEvents: 100, output: 200))
        for event in events { state.apply(event) }
        if !lines.isEmpty { _ = state.ingest(lines: lines, firstLine: 1) }
        var ui = UIState(showDev: flags & 1 != 0)
        ui.showTimestamps = flags & 2 != 0
        ui.showHelp = flags & 4 != 0
        let options = RenderOptions(ascii: flags & 8 != 0, now: flags & 16 != 0 ? 1_764_076_900 : nil,
                                    utcOffset: utcOffset, isLiveInProcess: flags & 32 != 0)
        let canvas = DashboardRenderer.render(state, ui: ui, size: Size(width: width, height: height), options: options)
        return Frame(messages: state.messages.count, devEvents: state.devEvents.count,
                     customEvents: state.customEvents.count, output: state.output.count,
                     width: canvas.width, height: canvas.height,
                     characters: (0..<(canvas.width * canvas.height)).map { canvas.cell(at: $0).character })
    }
}
