import Foundation
import SynapsePlugins

/// A run's records with checkpoints of the reduced state, so the run can be shown as it was after any of
/// them (the time cursor): the reducer is pure, so the past is a prefix reduced, and a checkpoint every
/// ``interval`` records bounds a move to restoring one state and reducing fewer than ``interval`` records.
///
/// Records are events and unreadable lines, in log order (an unreadable line counts where it was, so the
/// past keeps its count). Where they come from decides what is held in memory:
/// - ``Origin/log(path:)``: the run's event log. Only the checkpoints are held, each with the byte offset
///   of its next line; a move reads the log again from the checkpoint before it, so memory does not grow
///   with the run.
/// - ``Origin/memory``: records handed over with ``append(_:)-(Event)`` (a Ray job's events, a console
///   capture). At most ``maxHeld`` of the latest ones are kept; a move before those lands on the checkpoint
///   before it (every ``interval`` records).
///
/// ``catchUp()`` reduces what was appended (or written to the log) since, adding checkpoints: a run that
/// grows is extended, never rebuilt. At most ``maxCheckpoints`` are kept: past that, for a log every other
/// one is dropped and ``interval`` doubles; in memory, every other one before the held records.
package struct RunTimeline: Sendable {
    /// Where the records are.
    package enum Origin: Sendable, Hashable {
        /// Handed over one by one, held in memory.
        case memory
        /// The run's event log, read again between checkpoints.
        case log(path: String)
    }

    /// A state a move can start from: the state after the first ``position`` records.
    struct Checkpoint: Sendable {
        var state: DashboardState
        /// Records before it.
        var position = 0
        /// Log origin: the byte offset of the next line, and its 1-based number.
        var offset = 0
        var line = 1
        /// The latest timestamp among the records before it (`-infinity` when none).
        var latest = -Double.infinity
    }

    /// A record held in memory.
    enum Record: Sendable {
        case event(Event)
        case unreadable(UnreadableLine)
    }

    /// Where the records are.
    package let origin: Origin
    /// Records between checkpoints (for a log, doubles when ``maxCheckpoints`` is reached).
    package private(set) var interval: Int
    /// The most checkpoints kept (in memory, it must exceed ``maxHeld`` / ``interval`` + 2).
    package let maxCheckpoints: Int
    /// Memory origin: the most records held (the latest ones).
    package let maxHeld: Int
    /// The capacities of every state it reduces.
    package let capacities: DashboardState.Capacities
    /// In order of position; `checkpoints[0]` is the empty state.
    private var checkpoints: [Checkpoint]
    /// The state after every record reduced so far.
    private var tip: Checkpoint
    /// Memory origin: the records from position ``heldFrom`` on.
    private var held: [Record] = []
    private var heldFrom = 0
    /// Log origin: the log's device and inode, to tell a replaced log.
    private var fileID: FileID?

    struct FileID: Sendable, Hashable {
        var device: UInt64
        var inode: UInt64
    }

    /// An empty timeline; for ``Origin/log(path:)``, ``catchUp()`` reads the log.
    package init(origin: Origin = .memory, capacities: DashboardState.Capacities = .init(), interval: Int = 8192,
                maxCheckpoints: Int = 64, maxHeld: Int = 65_536) {
        self.origin = origin
        self.capacities = capacities
        self.interval = Swift.max(1, interval)
        self.maxCheckpoints = Swift.max(2, maxCheckpoints)
        self.maxHeld = Swift.max(1, maxHeld)
        let empty = Checkpoint(state: DashboardState(capacities: capacities))
        checkpoints = [empty]
        tip = empty
    }

    /// A timeline of `events`, all held and reduced.
    package init(events: [Event], capacities: DashboardState.Capacities = .init(), interval: Int = 8192,
                maxCheckpoints: Int = .max) {
        self.init(capacities: capacities, interval: interval, maxCheckpoints: maxCheckpoints, maxHeld: .max)
        held = events.map(Record.event)
        catchUp()
    }

    /// Records reduced so far.
    package var count: Int { tip.position }
    /// Checkpoints kept (including the empty state at the start).
    package var checkpointCount: Int { checkpoints.count }
    /// Memory origin: records held now.
    package var heldCount: Int { held.count }

    // MARK: Recording (memory origin)

    /// Appends an event (memory origin; ignored for a log, which is read instead).
    package mutating func append(_ event: Event) { hold(.event(event)) }

    /// Appends an unreadable line where it was (memory origin).
    package mutating func append(unreadable line: UnreadableLine) { hold(.unreadable(line)) }

    /// Appends a block's lines: its events and unreadable lines, in order (memory origin).
    package mutating func append(_ block: LogBlock) {
        guard origin == .memory else { return }
        var events = block.decodedEvents().makeIterator()
        for line in block.lines {
            if line.kind == .unreadable { hold(.unreadable(block.unreadable(at: line.index))) } else if let e = events.next() { hold(.event(e)) }
        }
    }

    private mutating func hold(_ record: Record) {
        guard origin == .memory else { return }
        held.append(record)
        // Past the bound by a whole interval (so the copy below is paid once per interval), the oldest
        // records are reduced into checkpoints and let go.
        guard held.count > maxHeld, held.count - maxHeld >= interval else { return }
        catchUp()
        let keepFrom = heldFrom + held.count - maxHeld
        guard let first = checkpoints.first(where: { $0.position >= keepFrom }) ?? checkpoints.last,
              first.position > heldFrom else { return }
        held.removeFirst(first.position - heldFrom)
        heldFrom = first.position
    }

    // MARK: Extending

    /// Reduces the records appended, or written to the log, since the last call, adding checkpoints. A log
    /// that was replaced or truncated is read again from its start.
    package mutating func catchUp() {
        switch origin {
        case .memory:
            while tip.position < heldFrom + held.count {
                let end = Swift.min(heldFrom + held.count, (checkpoints.last?.position ?? 0) + interval)
                for record in held[(tip.position - heldFrom)..<(end - heldFrom)] {
                    Self.apply(record, to: &tip.state, latest: &tip.latest)
                }
                tip.position = end
                checkpointIfDue()
            }
        case .log(let path):
            guard let file = LogFile(path: path) else { return }
            if let fileID, fileID != file.id || file.size < tip.offset {
                self = RunTimeline(origin: origin, capacities: capacities, maxCheckpoints: maxCheckpoints, maxHeld: maxHeld)
            }
            fileID = file.id
            let size = file.size
            var walker = LogLineWalker(file: file, offset: tip.offset, line: tip.line, end: size)
            while true {
                let due = Swift.max(1, (checkpoints.last?.position ?? 0) + interval - tip.position)
                guard let piece = walker.next(maxLines: due) else { break }
                tip.state.apply(piece.block, lines: piece.block.lines.indices)
                tip.latest = Self.latest(of: piece.block, lines: piece.block.lines.indices, after: tip.latest)
                tip.position += piece.block.lines.count
                tip.line += piece.block.lineCount
                tip.offset += piece.bytes
                checkpointIfDue()
            }
        }
    }

    private mutating func checkpointIfDue() {
        guard tip.position - (checkpoints.last?.position ?? 0) >= interval else { return }
        checkpoints.append(tip)
        guard checkpoints.count > maxCheckpoints else { return }
        var kept: [Checkpoint] = []
        kept.reserveCapacity(checkpoints.count / 2 + 2)
        switch origin {
        case .log:
            // Every other one goes: a move reads at most twice as many lines.
            for (i, c) in checkpoints.enumerated() where i % 2 == 0 { kept.append(c) }
            interval = interval.multipliedReportingOverflow(by: 2).overflow ? interval : interval * 2
        case .memory:
            // Only moments before the held records thin out (a move there lands on a checkpoint anyway);
            // the held ones keep theirs, so the records held stay at most maxHeld + interval.
            var before = 0
            for c in checkpoints {
                if c.position >= heldFrom { kept.append(c); continue }
                if before % 2 == 0 { kept.append(c) }
                before += 1
            }
        }
        checkpoints = kept
    }

    // MARK: Moving

    /// The state after the first `count` records (clamped to those reduced; before the held records of a
    /// memory timeline, the checkpoint at or before it).
    package func state(after count: Int) -> DashboardState {
        let n = Swift.min(Swift.max(0, count), tip.position)
        let k = lastCheckpoint { $0.position <= n }
        return replay(from: k) { position, _ in position < n }.state
    }

    /// The state at time `t`: after the records before the first one later than `t` (by the latest
    /// timestamp so far, as clocks may step back).
    package func state(at t: Double) -> DashboardState {
        replay(from: lastCheckpoint { $0.latest <= t }) { _, latest in latest <= t }.state
    }

    /// How many records the run had logged at time `t` (see ``state(at:)``).
    package func count(at t: Double) -> Int {
        replay(from: lastCheckpoint { $0.latest <= t }) { _, latest in latest <= t }.position
    }

    /// The index of the last checkpoint for which `holds` is true (it is true for a prefix of them).
    private func lastCheckpoint(_ holds: (Checkpoint) -> Bool) -> Int {
        var lo = 0, hi = checkpoints.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if holds(checkpoints[mid]) { lo = mid + 1 } else { hi = mid }
        }
        return Swift.max(0, lo - 1)
    }

    /// From checkpoint `k`, reduces records while `more(position, latest with the record)` holds, up to
    /// the next checkpoint (or the tip).
    private func replay(from k: Int, while more: (Int, Double) -> Bool) -> (state: DashboardState, position: Int) {
        let start = checkpoints[k]
        let next = k + 1 < checkpoints.count ? checkpoints[k + 1] : tip
        var state = start.state
        var position = start.position
        var latest = start.latest
        switch origin {
        case .memory:
            // Records before the held ones are gone: the checkpoint is the nearest moment left.
            guard start.position >= heldFrom else { return (state, position) }
            for record in held[(start.position - heldFrom)..<(next.position - heldFrom)] {
                let time = Self.time(of: record)
                let after = time > latest ? time : latest
                guard more(position, after) else { break }
                Self.apply(record, to: &state, latest: &latest)
                position += 1
            }
        case .log(let path):
            guard position < next.position, let file = LogFile(path: path), file.id == fileID else { return (state, position) }
            var walker = LogLineWalker(file: file, offset: start.offset, line: start.line, end: next.offset)
            reading: while let piece = walker.next(maxLines: 4096) {
                let lines = piece.block.lines
                var m = 0
                while m < lines.count {
                    let time = Self.time(of: lines[m], in: piece.block)
                    let after = time > latest ? time : latest
                    guard more(position + m, after) else { break }
                    latest = after
                    m += 1
                }
                state.apply(piece.block, lines: 0..<m)
                position += m
                if m < lines.count { break reading }
            }
        }
        return (state, position)
    }

    // MARK: Records

    private static func apply(_ record: Record, to state: inout DashboardState, latest: inout Double) {
        switch record {
        case .event(let e):
            state.apply(e)
            if e.timestamp > latest { latest = e.timestamp }
        case .unreadable(let line):
            state.apply(unreadable: line)
        }
    }

    /// A record's timestamp; an unreadable line has none and goes with the record before it.
    private static func time(of record: Record) -> Double {
        if case .event(let e) = record { return e.timestamp }
        return -.infinity
    }

    private static func time(of line: LogBlock.Line, in block: LogBlock) -> Double {
        switch line.kind {
        case .progress, .metrics, .message, .devEvent, .output, .custom: line.timestamp
        case .event: block.events[Int(line.index)].timestamp
        case .unreadable: -.infinity
        }
    }

    private static func latest(of block: LogBlock, lines: Range<Int>, after latest: Double) -> Double {
        var latest = latest
        for i in lines {
            let t = time(of: block.lines[i], in: block)
            if t > latest { latest = t }
        }
        return latest
    }
}

/// An event log opened for reading at offsets (a regular file only: a pipe cannot be read twice).
struct LogFile: ~Copyable {
    let fd: Int32
    let id: RunTimeline.FileID
    let size: Int

    init?(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return nil
        }
        self.fd = fd
        id = RunTimeline.FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        size = Int(info.st_size)
    }

    deinit { close(fd) }
}

/// Hands out an event log's complete lines from a line's start up to a byte offset, as ``LogBlock``s of at
/// most a given number of lines (a partial last line is left for later). A line over
/// ``EventCodec/maxLineBytes`` is skipped, never held, and counts as one unreadable line, as the live
/// readers count it.
struct LogLineWalker: ~Copyable {
    private let file: LogFile
    /// The file offset of `buffer[head]`, and the number of the line starting there.
    private var offset: Int
    private var line: Int
    private let end: Int
    private var buffer: [UInt8] = []
    private var head = 0
    private var reader = LogBlockReader()
    private static let chunk = 1 << 20

    init(file: consuming LogFile, offset: Int, line: Int, end: Int) {
        self.file = file
        self.offset = offset
        self.line = line
        self.end = end
    }

    /// The next lines (at most `maxLines`) and how many bytes they took; `nil` when no complete line is left.
    mutating func next(maxLines: Int) -> (block: LogBlock, bytes: Int)? {
        var skipping = 0  // bytes of an over-long line let go so far
        while true {
            let found = buffer.withUnsafeBufferPointer { all -> Int? in
                guard head < all.count, let base = all.baseAddress else { return nil }
                return memchr(base + head, 0x0A, all.count - head).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) }
            }
            if let newline = found {
                if skipping > 0 {
                    let bytes = skipping + (newline + 1 - head)
                    var block = LogBlock.oversizedLine()
                    block.firstLine = line
                    consume(bytes: newline + 1 - head, lines: 1)
                    return (block, bytes)
                }
                // Up to maxLines complete lines from head.
                var cut = newline + 1
                var lines = 1
                buffer.withUnsafeBufferPointer { all in
                    guard let base = all.baseAddress else { return }
                    while lines < maxLines, cut < all.count, let p = memchr(base + cut, 0x0A, all.count - cut) {
                        cut = UnsafeRawPointer(p) - UnsafeRawPointer(base) + 1
                        lines += 1
                    }
                }
                let block = buffer.withUnsafeBufferPointer { all in
                    reader.read(UnsafeBufferPointer(rebasing: all[head..<cut]), firstLine: line)
                }
                let bytes = cut - head
                consume(bytes: bytes, lines: lines)
                return (block, bytes)
            }
            // No newline held: an over-long line is let go as it is read.
            if buffer.count - head > EventCodec.maxLineBytes {
                skipping += buffer.count - head
                offset += buffer.count - head
                buffer.removeAll(keepingCapacity: true)
                head = 0
            }
            guard fill() else { return nil }
        }
    }

    private mutating func consume(bytes: Int, lines: Int) {
        head += bytes
        offset += bytes
        line += lines
        if head == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            head = 0
        }
    }

    /// Reads the next chunk (never past `end`); `false` at the end.
    private mutating func fill() -> Bool {
        let from = offset + (buffer.count - head)
        let want = Swift.min(Self.chunk, end - from)
        guard want > 0 else { return false }
        if head > 0 {
            buffer.removeFirst(head)
            head = 0
        }
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: want))
        var got = 0
        while got < want {
            let n = buffer.withUnsafeMutableBytes { pread(file.fd, $0.baseAddress! + old + got, want - got, off_t(from + got)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            got += n
        }
        buffer.removeLast(want - got)
        return got > 0
    }
}
