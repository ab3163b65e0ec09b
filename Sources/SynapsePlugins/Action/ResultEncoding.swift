import Foundation

/// Turns an action's result into the JSON recorded in the run's final status.
///
/// `JSONValue` and `JSONObject` results are kept as they are; any other `Encodable` goes through
/// `JSONEncoder` with snake_case keys, matching how params are read (`finalLoss` -> `final_loss`).
enum ResultEncoding {
    static func json(_ result: some Encodable) throws -> JSONValue {
        if let value = result as? JSONValue { return value }
        if let object = result as? JSONObject { return .object(object) }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        // Top-level fragments (a bare number or string) are fine for JSONEncoder on every platform we use.
        let data = try encoder.encode(result)
        return try JSONParser.parse([UInt8](data))
    }
}
