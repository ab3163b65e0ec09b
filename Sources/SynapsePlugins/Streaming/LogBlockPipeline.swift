import Foundation

/// Reads blocks of event-log lines into ``LogBlock``s on several threads and delivers them, with the
/// source's notices, in the order they were submitted.
///
/// Reading a line costs several times more than reducing it, and a machine has more than one core: a log
/// reader (``EventLogTailer``) submits the complete lines it reads, the workers read them in parallel, and
/// ``deliver`` hands them on in order (to an ``EventQueue``, for the one UI thread to reduce). Numbering
/// happens at delivery: each block learns its first line number then, and a
/// ``SourceNotice/restarted(reason:)`` notice starts the count again.
///
/// Memory stays bounded: ``submit(lines:)`` waits while ``maxInFlight`` blocks are submitted but not yet
/// delivered.
package final class LogBlockPipeline: @unchecked Sendable {
    /// What comes out, in order.
    package enum Item: Sendable {
        case block(LogBlock)
        case notice(SourceNotice)
    }

    /// Blocks submitted but not yet delivered beyond which ``submit(lines:)`` waits.
    package let maxInFlight: Int
    private let deliver: @Sendable (Item) -> Void
    private let mutex = PThreadMutex()
    private let workReady = PThreadCondition()
    private let progressed = PThreadCondition()
    /// Lines to read: a block of them at a range of a buffer (`lent`: one ``buffer(count:)`` gave, to be
    /// lent out again once read), or one long line already shortened.
    private enum Work {
        case lines([UInt8], Range<Int>, lent: Bool)
        case long(ShortenedLine)
    }
    private var jobs: [(sequence: Int, work: Work)] = []
    /// Lent buffers whose lines were read, lent out again by ``buffer(count:)``: a fresh 256 KiB array per
    /// block costs a trip to the kernel (new pages) every time.
    private var spare: [[UInt8]] = []
    private var nextJob = 0
    private var finished: [Int: Item] = [:]
    private var nextSequence = 0
    private var nextDelivery = 0
    /// Items handed to `deliver` and returned from it. ``nextDelivery`` counts items taken for delivery,
    /// which the delivering thread may still be handing on outside the lock: ``flush()`` waits for this one.
    private var delivered = 0
    private var delivering = false
    private var nextLine = 1
    private var stopping = false
    private var running = 0
    private let exited = DispatchSemaphore(value: 0)

    /// One reader more than the cores: while a reader waits (for a job, or to hand its block on) another
    /// keeps that core busy (docs/benchmarks.md, round 17: x0.83-0.95 of the wall time on 2 cores).
    package static var defaultWorkers: Int { ProcessInfo.processInfo.activeProcessorCount + 1 }

    /// Starts `workers` threads (default: ``defaultWorkers``).
    ///
    /// - Parameter deliver: receives every item in submission order, one call at a time, on a worker
    ///   thread or the submitter's. It may block (waiting for room downstream); the pipeline then fills up
    ///   and ``submit(lines:)`` waits in turn.
    package init(workers: Int = LogBlockPipeline.defaultWorkers, maxInFlight: Int = 8,
                deliver: @escaping @Sendable (Item) -> Void) {
        self.maxInFlight = max(1, maxInFlight)
        self.deliver = deliver
        let count = max(1, workers)
        running = count
        for i in 0..<count {
            let thread = Thread { [self] in work() }
            thread.name = "synapse.reader.\(i)"
            thread.start()
        }
    }

    /// Submits complete lines (copied; the buffer can be reused at once). Waits while the pipeline is full.
    package func submit(lines: UnsafeBufferPointer<UInt8>) {
        enqueue(.lines(Array(lines), 0..<lines.count, lent: false))
    }

    /// Submits the complete lines at `range` of `bytes`, a buffer from ``buffer(count:)``, without copying
    /// them: the pipeline keeps the buffer and lends it out again once they are read. Waits while the
    /// pipeline is full.
    package func submit(_ bytes: [UInt8], lines range: Range<Int>) {
        enqueue(.lines(bytes, range, lent: true))
    }

    /// A buffer of `count` bytes to read the next lines into: one whose lines were read (its old bytes
    /// still in it), or a new one.
    package func buffer(count: Int) -> [UInt8] {
        if let kept = mutex.withLock({ spare.popLast() }), kept.count == count { return kept }
        return [UInt8](repeating: 0, count: count)
    }

    /// Submits one line a ``LongLineShortener`` read. Waits while the pipeline is full.
    package func submit(_ long: ShortenedLine) {
        enqueue(.long(long))
    }

    private func enqueue(_ work: Work) {
        mutex.withLock {
            while nextSequence - nextDelivery >= maxInFlight, !stopping { mutex.wait(progressed, seconds: 0.1) }
            jobs.append((nextSequence, work))
            nextSequence += 1
            workReady.broadcast()
        }
    }

    /// Submits a notice, delivered after everything submitted before it.
    package func submit(_ notice: SourceNotice) {
        let sequence = mutex.withLock { () -> Int in
            defer { nextSequence += 1 }
            return nextSequence
        }
        complete(sequence, .notice(notice))
    }

    /// Marks the place of a line over ``EventCodec/maxLineBytes`` (unreadable, its bytes never kept).
    package func submitOversizedLine() {
        let sequence = mutex.withLock { () -> Int in
            defer { nextSequence += 1 }
            return nextSequence
        }
        complete(sequence, .block(LogBlock.oversizedLine()))
    }

    /// Waits until everything submitted so far was delivered.
    package func flush() {
        mutex.withLock {
            while delivered < nextSequence, !stopping { mutex.wait(progressed, seconds: 0.1) }
        }
    }

    /// Stops the workers (what was submitted and not yet read is dropped) and waits until they exited.
    /// Call it when done: the workers keep the pipeline alive until then.
    package func close() {
        let count = mutex.withLock { () -> Int in
            if stopping { return 0 }
            stopping = true
            workReady.broadcast()
            progressed.broadcast()
            return running
        }
        for _ in 0..<count { exited.wait() }
    }

    private func work() {
        var reader = LogBlockReader()
        while true {
            let job = mutex.withLock { () -> (sequence: Int, work: Work)? in
                while nextJob >= jobs.count, !stopping { mutex.wait(workReady, seconds: 1) }
                if stopping { return nil }
                defer {
                    nextJob += 1
                    // Drop taken jobs now and then, not on every take (removing from the front is O(n)).
                    if nextJob > 64 { jobs.removeFirst(nextJob); nextJob = 0 }
                }
                let job = jobs[nextJob]
                jobs[nextJob].work = .lines([], 0..<0, lent: false)  // the worker's copy is then the only one: it can be reused
                return job
            }
            guard var job else { break }
            switch job.work {
            case .lines(let bytes, let range, let lent):
                job.work = .lines([], 0..<0, lent: false)  // `bytes` is then the only reference: it can be lent out again
                let block = bytes.withUnsafeBufferPointer { reader.read(UnsafeBufferPointer(rebasing: $0[range])) }
                if lent { mutex.withLock { if spare.count < maxInFlight { spare.append(bytes) } } }
                complete(job.sequence, .block(block))
            case .long(let long):
                complete(job.sequence, .block(reader.read(long)))
            }
        }
        exited.signal()
    }

    /// Files a finished item; whoever finds the next item in order ready delivers it and those after it.
    private func complete(_ sequence: Int, _ item: Item) {
        var ready: [Item] = []
        mutex.withLock {
            finished[sequence] = item
            guard !delivering else { return }  // the thread delivering now will find it
            takeReady(&ready)
            delivering = !ready.isEmpty
        }
        while !ready.isEmpty {
            for item in ready { deliver(item) }
            let count = ready.count
            ready.removeAll(keepingCapacity: true)
            mutex.withLock {
                delivered += count
                progressed.broadcast()
                takeReady(&ready)
                if ready.isEmpty { delivering = false }
            }
        }
    }

    /// Moves the items ready in order into `ready`, numbering blocks as they go. Call with the lock held.
    private func takeReady(_ ready: inout [Item]) {
        while let item = finished.removeValue(forKey: nextDelivery) {
            switch item {
            case .block(var block):
                block.firstLine = nextLine
                nextLine += block.lineCount
                ready.append(.block(block))
            case .notice(let notice):
                if case .restarted = notice { nextLine = 1 }
                ready.append(item)
            }
            nextDelivery += 1
        }
    }
}
