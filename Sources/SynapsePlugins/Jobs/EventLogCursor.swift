#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads an event-log file incrementally and survives whatever happens to it between reads: it may not
/// exist yet, grow, end in a partial line, be truncated, or be replaced by another file (a new inode).
///
/// A path that is not a regular file is read as a stream (a FIFO, `<(zcat run.jsonl.gz)`, a device): in
/// order with `read(2)`, never blocking, to its end (``streamEnded``); a stream that gives
/// ``streamLimitBytes`` without a line break is not an event log, and reading it stops with a notice
/// (`--file /dev/zero`). A directory is never read.
///
/// The cursor does no waiting of its own: ``readAvailable(_:)`` reads what is there now and returns.
/// ``EventLogTailer`` calls it from a thread whenever inotify says the file or its folder changed; `show`
/// calls it once. Keeping the two apart makes every file situation testable without threads.
package struct EventLogCursor: ~Copyable {
    /// What a read produced, in order.
    package enum Output {
        case events([Event])
        case notice(SourceNotice)
        /// Complete lines, not decoded (``Delivery/lines`` only); valid during the call only.
        case lines(UnsafeBufferPointer<UInt8>)
        /// Complete lines at a range of a buffer the cursor read them into and hands over: it reads on into
        /// another one from ``bufferSource`` (``Delivery/lines`` with a ``bufferSource`` only).
        case ownedLines([UInt8], Range<Int>)
        /// A line over ``EventLogDecoder/longLineBytes``, read without holding it whole (``Delivery/lines`` only).
        case longLine(ShortenedLine)
        /// The place of a line over ``EventCodec/maxLineBytes`` (``Delivery/lines`` only).
        case oversizedLine
        /// Bytes as read, not split into lines (``Delivery/bytes`` only); valid during the call only.
        case bytes(UnsafeBufferPointer<UInt8>)
    }

    /// How a cursor hands over what it reads.
    package enum Delivery: Sendable {
        /// Decoded, as ``Output/events(_:)`` and unreadable-line notices.
        case events
        /// As ``Output/lines(_:)``, for a reader that decodes elsewhere (``LogBlockPipeline``).
        case lines
        /// As ``Output/bytes(_:)``, for a file that is not an event log (``ConsoleFileTailer``): the cursor
        /// only keeps its place, through truncation and replacement.
        case bytes
    }

    /// How this cursor hands over what it reads.
    package let delivery: Delivery

    /// For ``Delivery/lines``: gives a buffer of the asked size to read into, in exchange for the one whose
    /// lines went out as ``Output/ownedLines(_:_:)``, so a chunk's lines are not copied on their way to
    /// the readers. `nil`: lines go out as ``Output/lines(_:)``.
    package var bufferSource: ((Int) -> [UInt8])?

    /// The followed path.
    package let path: String
    /// Bytes read per `pread`: big, so catching up on a long history takes few calls.
    package var chunkSize: Int
    /// Bytes consumed from the current file so far.
    package private(set) var offset: Int = 0
    /// `true` while a file is open.
    package var isOpen: Bool { fd >= 0 }
    /// The open file is a pipe or a device, read as a stream (see ``streamDescriptor``).
    package private(set) var isStream = false
    /// The stream was read to its end (its writer closed it), failed, or stopped at
    /// ``streamLimitBytes``: nothing more will be read.
    package private(set) var streamEnded = false
    /// The stream ended on a read error or at ``streamLimitBytes`` (a notice said which), not at its end.
    package private(set) var streamStoppedEarly = false
    /// The open stream's descriptor, to wait on with `poll` until it has something to read.
    package var streamDescriptor: Int32? { isStream && fd >= 0 ? fd : nil }
    /// Bytes of a stream without a line break after which it is taken for something else than an event log
    /// (four lines over the limit of one).
    package static let streamLimitBytes = 4 * EventCodec.maxLineBytes

    private var fd: Int32 = -1
    private var device: UInt64 = 0
    private var inode: UInt64 = 0
    private var decoder = EventLogDecoder()
    private var announcedWaiting = false
    private var hasOpenedBefore = false
    private var announcedDeleted = false
    private var announcedDirectory = false
    private var bytesSinceNewline = 0
    private var buffer: [UInt8]
    /// The last bytes consumed, up to ``offset``: if they are no longer there, the file was rewritten.
    private var consumedTail: [UInt8] = []
    private static let tailLength = 256

    /// A cursor at the start of `path` (which need not exist yet), reading `chunkSize` bytes at a time.
    package init(path: String, chunkSize: Int = 1 << 20, delivery: Delivery = .events) {
        self.path = path
        self.delivery = delivery
        self.chunkSize = max(4096, chunkSize)
        self.buffer = [UInt8](repeating: 0, count: self.chunkSize)
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Reads everything available now and reports it through `emit`, in order.
    ///
    /// - Parameter shouldContinue: asked before each chunk; `false` stops reading there (a follower that is
    ///   being stopped must not read the rest of a huge log first). What was not read is read next time.
    /// - Returns: `true` when anything was emitted.
    @discardableResult
    package mutating func readAvailable(while shouldContinue: () -> Bool = { true }, _ emit: (Output) -> Void) -> Bool {
        var emitted = false
        readRounds(shouldContinue) { emitted = true; emit($0) }
        return emitted
    }

    private mutating func readRounds(_ shouldContinue: () -> Bool, _ say: (Output) -> Void) {
        // At most two rounds: the second one opens the file that replaced the one just finished.
        for _ in 0..<2 {
            if fd < 0 {
                guard !streamEnded, open(say) else { return }
            }
            if isStream {
                readStream(shouldContinue, say)
                return
            }
            let replaced = isReplaced()
            if !replaced, !announcedDeleted, isMissing() {
                // Deleted (or moved away) while read: what it held stays on screen, but the reader must know.
                announcedDeleted = true
                say(.notice(.problem("\(path.split(separator: "/").last.map(String.init) ?? path) was deleted: showing what it held")))
            }
            if size() < offset || !stillHoldsConsumedTail() {
                // Truncated in place (`: > log`, a rewrite with O_TRUNC), possibly already rewritten past
                // where we were: everything read is void.
                offset = 0
                consumedTail.removeAll()
                decoder.reset()
                say(.notice(.restarted(reason: "\(path) was truncated")))
            }
            readToEnd(shouldContinue, say)
            guard shouldContinue() else { return }
            guard replaced else { return }
            // The path now names another file: the old one was read to its end above, now switch.
            close(fd)
            fd = -1
        }
    }

    /// Decodes a partial last line as if complete: for a log whose writer is gone (`show`).
    package mutating func finish(_ emit: (Output) -> Void) {
        switch delivery {
        case .events:
            let batch = decoder.finish()
            deliver(batch, emit)
        case .lines:
            decoder.finishLines(onLines: { emit(.lines($0)) }, onLongLine: { emit(.longLine($0)) },
                                onOversized: { emit(.oversizedLine) })
        case .bytes:
            break  // a reader of bytes keeps its own partial line
        }
    }

    private mutating func open(_ say: (Output) -> Void) -> Bool {
        let opened = Glibc_open(path)
        guard opened >= 0 else {
            if !announcedWaiting {
                announcedWaiting = true
                say(.notice(.waiting(path)))
            }
            return false
        }
        var info = stat()
        fstat(opened, &info)
        if info.st_mode & S_IFMT == S_IFDIR {
            close(opened)
            if !announcedDirectory {
                announcedDirectory = true
                say(.notice(.problem("\(path) is a directory, not an event log")))
            }
            return false
        }
        fd = opened
        isStream = info.st_mode & S_IFMT != S_IFREG
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        announcedDeleted = false
        announcedDirectory = false
        offset = 0
        consumedTail.removeAll()
        decoder.reset()
        announcedWaiting = false
        if hasOpenedBefore { say(.notice(.restarted(reason: "\(path) was replaced"))) }
        hasOpenedBefore = true
        say(.notice(.following(path)))
        return true
    }

    /// `true` when nothing is at the path any more.
    private func isMissing() -> Bool {
        var info = stat()
        return stat(path, &info) != 0 && errno == ENOENT
    }

    /// Reads a stream as far as it goes now, without blocking. A FIFO says it ended (its writer closed it)
    /// by `poll`'s `POLLHUP`; before any writer came it says nothing, and `read` would wrongly see an end.
    private mutating func readStream(_ shouldContinue: () -> Bool, _ say: (Output) -> Void) {
        while shouldContinue() && !streamEnded {
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 0) > 0, ready.revents != 0 else { return }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return }
                let reason = String(cString: strerror(errno))
                streamEnded = true
                streamStoppedEarly = true
                say(.notice(.problem("reading \(path) failed: \(reason)")))
                return
            }
            if n == 0 {
                streamEnded = true
                return
            }
            offset += n
            let lastNewline = buffer[0..<n].lastIndex(of: 0x0A)
            bytesSinceNewline = lastNewline.map { n - 1 - $0 } ?? bytesSinceNewline + n
            deliverChunk(count: n, say)
            if bytesSinceNewline >= Self.streamLimitBytes {
                streamEnded = true
                streamStoppedEarly = true
                say(.notice(.problem("stopped reading \(path): \(Self.streamLimitBytes >> 20) MiB without a line break is not an event log")))
                return
            }
        }
    }

    /// `true` when the path names a different file than the open one. A path that vanished (moved away,
    /// deleted) is not a replacement yet: keep reading the open file until a new one appears.
    private func isReplaced() -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return UInt64(info.st_dev) != device || UInt64(info.st_ino) != inode
    }

    private func size() -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return offset }
        return Int(info.st_size)
    }

    private mutating func readToEnd(_ shouldContinue: () -> Bool, _ say: (Output) -> Void) {
        while shouldContinue() {
            // A short line left unfinished by the last chunk goes first in the buffer, so the chunk's lines
            // go to the readers as one block (otherwise that line is copied and sent on its own).
            var carried = 0
            if delivery == .lines, bufferSource != nil, let partial = decoder.plainPartial, partial.count <= buffer.count / 2 {
                buffer.replaceSubrange(0..<partial.count, with: partial)
                carried = partial.count
            }
            let n = buffer.withUnsafeMutableBytes { raw in
                pread(fd, raw.baseAddress! + carried, raw.count - carried, off_t(offset))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            if carried > 0 { decoder.dropPartial() }
            offset += n
            rememberTail(from: carried, count: n)
            deliverChunk(count: carried + n, say)
            if n < buffer.count - carried { return }
        }
    }

    /// Hands the first `count` bytes of ``buffer`` to the decoder.
    private mutating func deliverChunk(count n: Int, _ say: (Output) -> Void) {
        switch delivery {
        case .events:
            let batch = buffer.withUnsafeBufferPointer { decoder.feed(UnsafeBufferPointer(rebasing: $0[0..<n])) }
            deliver(batch, say)
        case .lines:
            let last = buffer.withUnsafeBufferPointer {
                decoder.feedLines(UnsafeBufferPointer(rebasing: $0[0..<n]), keepingLast: bufferSource != nil,
                                  onLines: { say(.lines($0)) }, onLongLine: { say(.longLine($0)) },
                                  onOversized: { say(.oversizedLine) })
            }
            if let last, let bufferSource {
                let full = buffer
                buffer = bufferSource(full.count)
                say(.ownedLines(full, last))
            }
        case .bytes:
            buffer.withUnsafeBufferPointer { say(.bytes(UnsafeBufferPointer(rebasing: $0[0..<n]))) }
        }
    }

    /// Keeps the last bytes read (they are at the end of `buffer[start..<start + count]`, and before it in the
    /// old tail).
    private mutating func rememberTail(from start: Int = 0, count: Int) {
        if count >= Self.tailLength {
            consumedTail = Array(buffer[(start + count - Self.tailLength)..<(start + count)])
        } else {
            consumedTail.append(contentsOf: buffer[start..<(start + count)])
            if consumedTail.count > Self.tailLength { consumedTail.removeFirst(consumedTail.count - Self.tailLength) }
        }
    }

    /// `true` when the bytes just before ``offset`` are still the ones read there. A log truncated and
    /// rewritten between two looks can already be longer than before; only its content tells.
    private func stillHoldsConsumedTail() -> Bool {
        guard !consumedTail.isEmpty else { return true }
        var current = [UInt8](repeating: 0, count: consumedTail.count)
        let n = current.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset - consumedTail.count)) }
        return n == consumedTail.count && current == consumedTail
    }

    private func deliver(_ batch: EventLogDecoder.Batch, _ say: (Output) -> Void) {
        // Unreadable lines follow their chunk's events: they are counted and listed, not placed.
        if !batch.events.isEmpty { say(.events(batch.events)) }
        for line in batch.unreadable { say(.notice(.unreadable(line))) }
    }
}

/// `open(2)` read-only; a named wrapper because the struct's own `open` method shadows the C function.
private func Glibc_open(_ path: String) -> Int32 {
    #if canImport(Glibc)
    // O_NONBLOCK: opening a FIFO must not wait for its writer (the reader would hang, deaf to `q`).
    return Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    #else
    return Darwin.open(path, O_RDONLY | O_CLOEXEC)
    #endif
}
