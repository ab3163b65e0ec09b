import FuzzDriver
@_spi(Fuzzing) import SynapsePlugins

/// The record decoder, every path a line can take: the whole input as one line (the record scanner,
/// then the general parser), as a log fed in two chunks split where the first byte says (partial lines
/// carried over), and as a block (``RecordScanner`` in place, names interned, the rest decoded in full).
/// Invariants: no crash; the block reader and the decoder agree line for line; every event read re-encodes
/// to a line the decoder reads back to the same line (the writer never writes what the reader rejects).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    if let event = FuzzingHooks.decodeLine(bytes) { checkRoundTrip(event) }

    let split = size == 0 ? 0 : Int(bytes[0]) % (size + 1)
    let (events, unreadable) = FuzzingHooks.decodeLog(chunks: [UnsafeBufferPointer(rebasing: bytes[..<split]),
                                                               UnsafeBufferPointer(rebasing: bytes[split...])])
    let (fromBlock, problems) = FuzzingHooks.readBlock(bytes)
    invariant(fromBlock.count == events.count && problems == unreadable,
              "block read \(fromBlock.count) events and \(problems) unreadable, decoder \(events.count) and \(unreadable)")
    for (a, b) in zip(fromBlock, events) {
        // Compared as written: NaN is not equal to itself, but is written the same.
        invariant(FuzzingHooks.encodeLine(a) == FuzzingHooks.encodeLine(b), "block and decoder disagree on a line")
    }
    for event in events { checkRoundTrip(event) }
    return 0
}

func checkRoundTrip(_ event: Event) {
    let line = FuzzingHooks.encodeLine(event)
    let again = line.withUnsafeBufferPointer { FuzzingHooks.decodeLine($0) }
    invariant(again != nil, "the reader rejects a line the writer wrote")
    invariant(again.map { FuzzingHooks.encodeLine($0) == line } ?? false, "a written line reads back as something else")
}
