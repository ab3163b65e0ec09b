import FuzzDriver
@_spi(Fuzzing) import SynapsePlugins

/// The record decoder, every path a line can take: the whole input as one line (the record scanner,
/// then the general parser), as a log fed in two chunks split where the first byte says (partial lines
/// carried over), and as a block (``RecordScanner`` in place, names interned, the rest decoded in full).
/// Invariants: no crash; the block reader and the decoder agree line for line; every event read re-encodes
/// to a line the decoder reads back to the same line (the writer never writes what the reader rejects); an
/// input that is one JSON number reads as `strtod` reads it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    if let event = FuzzingHooks.decodeLine(bytes) { checkRoundTrip(event) }
    // An input that is one number reads as strtod reads it, through the parser and the record scanner.
    let number = FuzzingHooks.numberDifference(bytes)
    invariant(number == nil, "a number read wrong: \(number ?? "")")

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
    // Every line read as a long one (piece by piece, strings over a few bytes cut) reads as the whole line
    // does with its long strings cut, and a bad line gives the same reason at the same byte.
    let limit = 1 + (bytes.last.map(Int.init) ?? 0) % 48
    let difference = FuzzingHooks.longLineDifference(bytes, chunks: [UnsafeBufferPointer(rebasing: bytes[..<split]),
                                                                     UnsafeBufferPointer(rebasing: bytes[split...])], limit: limit)
    invariant(difference == nil, "a long line read piece by piece differs from the whole line cut: \(difference ?? "")")
    return 0
}

func checkRoundTrip(_ event: Event) {
    let line = FuzzingHooks.encodeLine(event)
    let again = line.withUnsafeBufferPointer { FuzzingHooks.decodeLine($0) }
    invariant(again != nil, "the reader rejects a line the writer wrote")
    invariant(again.map { FuzzingHooks.encodeLine($0) == line } ?? false, "a written line reads back as something else")
}
