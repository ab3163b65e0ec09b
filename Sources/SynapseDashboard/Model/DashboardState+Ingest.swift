import SynapsePlugins

extension DashboardState {
    /// Applies a block of log lines read by a ``LogBlockReader``: exactly what applying the lines' events
    /// and unreadable lines does, without an ``Event`` per line.
    package mutating func apply(_ block: LogBlock) {
        apply(block, lines: block.lines.indices)
    }

    /// Applies some of a block's lines (`block.lines[range]`): the time cursor stops inside a block.
    mutating func apply(_ block: LogBlock, lines range: Range<Int>) {
        let lines = block.lines
        let blanks = max(0, block.lineCount - lines.count)
        for k in range {
            let line = lines[k]
            switch line.kind {
            case .progress:
                let time = line.timestamp
                noteTimestamp(time)
                let step = line.step >= 0 ? block.stepNames[Int(line.step)] : nil
                guard let i = progressSlot(step ?? Self.defaultStepName, total: line.total, time) else { continue }
                updateProgress(i, current: line.current, total: line.total, step: step,
                               elapsed: line.elapsed.isNaN ? nil : line.elapsed,
                               timeRemaining: line.timeRemaining.isNaN ? nil : line.timeRemaining, time)
            case .metrics:
                noteTimestamp(line.timestamp)
                let step = line.step >= 0 ? block.stepNames[Int(line.step)] : Self.defaultStepName
                let range = Int(line.index)..<Int(line.index + line.count)
                mergeMetrics(step, keys: block.metricKeys[range], values: block.metricValues[range], names: block.keyNames,
                             time: line.timestamp)
            case .message:
                let time = line.timestamp
                noteTimestamp(time)
                let step = line.step >= 0 ? block.stepNames[Int(line.step)] : nil
                let level = line.level ?? .info
                if block.contentBytes.isEmpty {
                    // The text's bytes go from the block into the ring without a String between.
                    block.withContent(Int(line.index)) {
                        appendMessage(time: time, level: level, text: $0, step: step, line: (block.firstLine + k, blanks))
                    }
                } else {
                    appendMessage(MessageEntry(time: time, level: level, text: block.content(Int(line.index)), step: step),
                                  line: (block.firstLine + k, blanks), wholeBytes: block.contentBytes[line.index])
                }
            case .custom:
                noteTimestamp(line.timestamp)
                let at = Int(line.index)
                let step = line.step >= 0 ? block.stepNames[Int(line.step)] : nil
                block.withTexts { texts in
                    appendCustom(time: line.timestamp, name: block.text(at, in: texts), dataText: block.text(at + 1, in: texts),
                                 file: line.count == 1 ? block.text(at + 2, in: texts) : nil, step: step)
                }
            case .devEvent:
                noteTimestamp(line.timestamp)
                let at = Int(line.index)
                block.withTexts { texts in
                    appendDev(time: line.timestamp, message: block.text(at, in: texts),
                              dataText: line.count == 1 ? block.text(at + 1, in: texts) : nil)
                }
            case .output:
                noteTimestamp(line.timestamp)
                block.withContent(Int(line.index)) {
                    appendOutput(time: line.timestamp, stream: line.count == 1 ? .stderr : .stdout, text: $0)
                }
            case .event:
                // Read in place: a copy of the event would retain and release each of its parts.
                block.events.withUnsafeBufferPointer { events in
                    let event = events[Int(line.index)]
                    guard case .message(let m) = event.payload else { return apply(event) }
                    // As `apply(event)` does, plus where the record lies, for a text cut in memory.
                    noteTimestamp(event.timestamp)
                    appendMessage(MessageEntry(time: event.timestamp, level: event.level ?? .info, text: m.content,
                                               step: event.step), line: (block.firstLine + k, blanks), wholeBytes: m.wholeBytes)
                }
            case .unreadable:
                apply(unreadable: block.unreadable(at: line.index))
            }
        }
    }

    /// Applies what a log source says beside its events: blocks of lines, unreadable lines, and a restart
    /// (the log was truncated or replaced: everything before is void). Other notices do not change the run.
    package mutating func apply(_ notice: SourceNotice) {
        switch notice {
        case .lines(let block): apply(block)
        case .unreadable(let line): apply(unreadable: line)
        case .restarted: self = DashboardState(capacities: capacities)
        case .waiting, .following, .finished, .problem, .logWriteFailed: break
        }
    }

    /// Reads and applies complete lines of an event log on this thread (``LogBlockReader`` then
    /// ``apply(_:)-(LogBlock)``): the same as decoding each line with ``EventLogDecoder`` and applying the
    /// events and unreadable lines in order, only faster.
    ///
    /// - Parameters:
    ///   - lines: `\n`-separated lines; a last line without its newline counts as a line.
    ///   - firstLine: the 1-based line number of the first line (unreadable lines are reported by number).
    /// - Returns: the number of lines read.
    @discardableResult
    package mutating func ingest(lines: UnsafeBufferPointer<UInt8>, firstLine: Int) -> Int {
        let block = lineReader.read(lines, firstLine: firstLine)
        apply(block)
        return block.lineCount
    }
}
