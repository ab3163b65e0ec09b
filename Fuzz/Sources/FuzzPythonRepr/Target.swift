import FuzzDriver
import SynapsePlugins

/// The Python-repr parser (the dicts synapse-sdk prints). Invariants: no crash, and a value it reads is
/// valid JSON that reads back to the same text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let value = try? PythonRepr.parse(text) {
        let json = value.jsonText
        let again = try? JSONParser.parse(json)
        invariant(again?.jsonText == json, "a Python value's JSON does not read back: \(json.prefix(200))")
    }
    _ = try? PythonRepr.parsePrefix(text[...])
    return 0
}
