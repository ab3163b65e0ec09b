import FuzzDriver
import SynapsePlugins

/// The record decoder, every path a line can take: the whole input as one line (the record scanner,
/// then the general parser), as a log fed in two chunks split where the first byte says (partial lines
/// carried over), and as a block (``RecordScanner`` in place, names interned, the rest decoded in full).
/// Invariants: no crash; the block reader and the decoder agree line for line; every event read re-encodes
/// to a line the decoder reads back to the same line (the writer never writes what the reader rejects).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    if let event = try? EventCodec.decodeLine(bytes) { checkRoundTrip(event) }

    var decoder = EventLogDecoder()
    let split = size == 0 ? 0 : Int(bytes[0]) % (size + 1)
    var events: [Event] = []
    var unreadable = 0
    for part in [bytes[..<split], bytes[split...]] {
        decoder.feed(UnsafeBufferPointer(rebasing: part), onEvent: { events.append($0) }, onUnreadable: { _ in unreadable += 1 })
    }
    let last = decoder.finish()
    events += last.events
    unreadable += last.unreadable.count

    var reader = LogBlockReader()
    let block = reader.read(bytes)
    let fromBlock = block.decodedEvents()
    invariant(fromBlock.count == events.count && block.problems.count == unreadable,
              "block read \(fromBlock.count) events and \(block.problems.count) unreadable, decoder \(events.count) and \(unreadable)")
    for (a, b) in zip(fromBlock, events) {
        // Compared as written: NaN is not equal to itself, but is written the same.
        invariant(EventCodec.encodeLine(a) == EventCodec.encodeLine(b), "block and decoder disagree on a line")
    }
    for event in events { checkRoundTrip(event) }
    return 0
}

func checkRoundTrip(_ event: Event) {
    let line = EventCodec.encodeLine(event)
    let again: Event?
    do {
        again = try line.withUnsafeBufferPointer { try EventCodec.decodeLine($0) }
    } catch {
        invariant(false, "the reader rejects a line the writer wrote: \(error)")
        return
    }
    invariant(again.map { EventCodec.encodeLine($0) == line } ?? false, "a written line reads back as something else")
}
