import FuzzDriver
@_spi(Fuzzing) import SynapsePlugins

/// The console-line parser (synapse-sdk's console output, marked lines, plain output), fed the input in
/// two chunks on the stream the first byte picks. Invariants: no crash, and every event it makes is one
/// the event log can hold (written, it reads back to the same line).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let split = size == 0 ? 0 : Int(bytes[0]) % (size + 1)
    let events = FuzzingHooks.parseConsole(chunks: [UnsafeBufferPointer(rebasing: bytes[..<split]),
                                                    UnsafeBufferPointer(rebasing: bytes[split...])],
                                           stderr: size > 1 && bytes[1] & 1 == 1, now: 1_764_076_800)
    for event in events {
        let line = FuzzingHooks.encodeLine(event)
        let again = line.withUnsafeBufferPointer { FuzzingHooks.decodeLine($0) }
        invariant(again.map { FuzzingHooks.encodeLine($0) == line } ?? false, "a parsed console line does not survive the log")
    }
    return 0
}
