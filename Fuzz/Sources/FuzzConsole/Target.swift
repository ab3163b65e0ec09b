import FuzzDriver
import SynapsePlugins

/// The console-line parser (synapse-sdk's console output, marked lines, plain output), fed the input in
/// two chunks on the stream the first byte picks. Invariants: no crash, and every event it makes is one
/// the event log can hold (written, it reads back to the same line).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    var parser = ConsoleLineParser(now: { 1_764_076_800 })
    let split = size == 0 ? 0 : Int(bytes[0]) % (size + 1)
    let stream: OutputLine.Stream = size > 1 && bytes[1] & 1 == 1 ? .stderr : .stdout
    var events = parser.feed(bytes[..<split], stream: stream)
    events += parser.feed(bytes[split...], stream: stream)
    events += parser.finish()
    for event in events {
        let line = EventCodec.encodeLine(event)
        let again = try? line.withUnsafeBufferPointer { try EventCodec.decodeLine($0) }
        invariant(again.map { EventCodec.encodeLine($0) == line } ?? false, "a parsed console line does not survive the log")
    }
    return 0
}
