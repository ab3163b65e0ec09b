import SynapsePlugins

/// Indented JSON for the detail view and exports (keys in their order; strings escaped as JSON).
package enum PrettyJSON {
    /// The value as indented JSON text.
    package static func text(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: 0, into: &out)
        return out
    }

    static func write(_ value: JSONValue, indent: Int, into out: inout String) {
        let pad = String(repeating: "  ", count: indent + 1), end = String(repeating: "  ", count: indent)
        switch value {
        case .array(let items) where !items.isEmpty:
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                write(item, indent: indent + 1, into: &out)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += end + "]"
        case .object(let object) where !object.isEmpty:
            out += "{\n"
            for (i, (key, item)) in object.members.enumerated() {
                out += pad + JSONValue.string(key).jsonText + ": "
                write(item, indent: indent + 1, into: &out)
                out += i == object.count - 1 ? "\n" : ",\n"
            }
            out += end + "}"
        default:
            out += value.jsonText
        }
    }
}
