import FuzzDriver
@_spi(Fuzzing) import SynapsePlugins

/// The Python-repr parser (the dicts synapse-sdk prints). Invariants: no crash, and a value it reads is
/// valid JSON that reads back to the same text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let value = FuzzingHooks.parsePythonRepr(text) {
        let json = value.jsonText
        let again = FuzzingHooks.parseJSON(json)
        invariant(again?.jsonText == json, "a Python value's JSON does not read back: \(json.prefix(200))")
    }
    _ = FuzzingHooks.parsePythonReprPrefix(text[...])
    return 0
}
