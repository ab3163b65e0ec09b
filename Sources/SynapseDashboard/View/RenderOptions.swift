/// How to render, beyond the state: character set, clock and what the app can do.
package struct RenderOptions: Sendable, Hashable {
    /// ASCII only (no box drawing, blocks or braille).
    package var ascii: Bool
    /// The current time (epoch seconds) for elapsed time and events/s of a live run; `nil` uses the
    /// newest event's time (replays and snapshots).
    package var now: Double?
    /// Seconds east of UTC for timestamps (the driver passes the local offset; tests use 0).
    package var utcOffset: Int
    /// The run executes in this process (the status line mentions cancelling).
    package var isLiveInProcess: Bool
    /// What the source is, for the header when no action is known yet (`events.jsonl`, a job id...).
    package var sourceLabel: String?
    /// What the source is doing, shown at the right of the status line (`waiting for the log`,
    /// `log replaced, reading again`...); `nil` shows the focused pane instead.
    package var sourceStatus: String?
    /// The run's writer is gone (its process died, or it stopped proving it is alive): the time of its last
    /// proof of life. The header then says `LOST` and "no writer since HH:MM:SS", and the clock stops there.
    /// Set by the reader (`attach`, `show`) from the job's `writer.json`; ignored once the run has a final status.
    package var writerLostSince: Double?
    /// The run is shown as it was at an earlier moment (`show --at`, the time cursor): what the header
    /// says about it (`at +5:30 of 10:00`), so the screen is never taken for the run's end.
    package var timeCursor: String?
    /// The host the run's writer runs on (its `writer.json`; this machine for a run in this process), for the
    /// overview.
    package var host: String?
    /// The job log of the run in this process cannot be written now (a full disk): the header says
    /// `LOG NOT WRITTEN` until writes go through again (the status line says why).
    package var logWriteFailing = false

    /// An interactive screen: key hints on the status line and the focus cues. `show` turns it off, so what it
    /// prints into a CI log has no `q quit` nor `focus: Messages`.
    package var interactive = true

    /// Creates options.
    package init(ascii: Bool = false, now: Double? = nil, utcOffset: Int = 0, isLiveInProcess: Bool = false,
                sourceLabel: String? = nil, sourceStatus: String? = nil) {
        self.ascii = ascii
        self.now = now
        self.utcOffset = utcOffset
        self.isLiveInProcess = isLiveInProcess
        self.sourceLabel = sourceLabel
        self.sourceStatus = sourceStatus
    }

    /// The glyph set for these options.
    package var glyphs: Glyphs { ascii ? .ascii : .unicode }
}
