import Foundation

/// Params that passed validation, ready for an action.
struct ValidatedParams<P: ActionParams>: Sendable {
    var value: P
    /// The params as JSON with every default filled in (recorded in the run's `running` status).
    var json: JSONValue
    /// Given fields the params type does not have (ignored, reported as a warning).
    var unknownFields: [String]
}

/// Decodes and validates JSON params for a params type, collecting every problem before failing.
///
/// Steps: (1) the defaults are the JSON encoding of `P()`; (2) each given field is checked against the
/// JSON type of its default, recursively; (3) given values are merged over the defaults; (4) the rules
/// run on the merged values; (5) if nothing is wrong, `JSONDecoder` decodes the merged JSON (any error
/// it still finds, e.g. an enum's unknown raw value, is reported the same way).
enum ParamsDecoding {
    static func decode<P: ActionParams>(_ type: P.Type, from given: JSONValue) throws(ParamsValidationError)
        -> ValidatedParams<P> {
        let typeName = displayName(of: P.self)
        var issues: [ParamsValidationError.Issue] = []
        let givenObject: JSONObject
        switch given {
        case .object(let o): givenObject = o
        case .null: givenObject = [:]
        default:
            throw ParamsValidationError(typeName: typeName, issues: [
                .init(path: "", rule: "dict_type", message: "Input should be a valid dictionary", input: given)])
        }

        let defaults = defaultsJSON(P.self)
        // Declared fields in declaration order; optionals whose default is nil are absent from `defaults`.
        var declared = Mirror(reflecting: P()).children.compactMap { child in
            child.label.map { snakeCase($0.hasPrefix("_") ? String($0.dropFirst()) : $0) }
        }
        for key in defaults.keys where !declared.contains(key) { declared.append(key) }
        let known = Set(declared)

        // Given keys may be camelCase too; store them under their snake_case names.
        var normalized = JSONObject()
        var unknown: [String] = []
        for (key, value) in givenObject {
            let snake = snakeCase(key)
            normalized[snake] = value
            if !known.contains(snake) { unknown.append(key) }
        }

        var badPaths = Set<String>()
        for (key, value) in normalized {
            guard let expected = defaults[key] else { continue }
            checkType(value, against: expected, path: key, issues: &issues, badPaths: &badPaths)
        }

        var merged = defaults
        mergeDeep(&merged, normalized, expected: defaults)

        for rule in P.rules {
            if badPaths.contains(where: { rule.path == $0 || rule.path.hasPrefix($0 + ".") }) { continue }
            let value = lookup(.object(merged), path: rule.path)
            let givenValue = lookup(.object(normalized), path: rule.path)
            for constraint in rule.constraints {
                // Absence is judged on what was given: a default does not satisfy `required`.
                let subject = constraint.checksAbsence ? givenValue : value
                guard subject != nil || constraint.checksAbsence else { continue }
                if let message = constraint.check(subject) {
                    issues.append(.init(path: rule.path, rule: constraint.name, message: message, input: subject))
                }
            }
        }
        if !issues.isEmpty {
            // Report in declaration order, as pydantic does; unknown paths last, ties in discovery order.
            let order = Dictionary(declared.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            let rank = { (issue: ParamsValidationError.Issue) in
                order[String(issue.path.split(separator: ".").first ?? "")] ?? Int.max
            }
            let sorted = issues.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }
            throw ParamsValidationError(typeName: typeName, issues: sorted.map(\.element))
        }

        let mergedJSON = JSONValue.object(merged)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do {
            let value = try decoder.decode(P.self, from: Data(mergedJSON.jsonText.utf8))
            return ValidatedParams(value: value, json: mergedJSON, unknownFields: unknown)
        } catch let error as DecodingError {
            throw ParamsValidationError(typeName: typeName, issues: [issue(from: error, in: mergedJSON)])
        } catch {
            throw ParamsValidationError(typeName: typeName, issues: [
                .init(path: "", rule: "invalid", message: String(describing: error))])
        }
    }

    /// The JSON encoding of `P()` with snake_case keys: the defaults and the expected JSON types.
    static func defaultsJSON<P: ActionParams>(_ type: P.Type) -> JSONObject {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let defaults = P()
        guard let data = try? encoder.encode(defaults),
              let object = (try? JSONParser.parse([UInt8](data)))?.objectValue else { return [:] }
        // JSONEncoder's key order is not the declaration order; people read params in declaration order.
        var ordered = JSONObject()
        for child in Mirror(reflecting: defaults).children {
            guard let label = child.label else { continue }
            let key = snakeCase(label.hasPrefix("_") ? String(label.dropFirst()) : label)
            if let value = object[key] { ordered[key] = value }
        }
        for (key, value) in object where ordered[key] == nil { ordered[key] = value }
        return ordered
    }

    /// Checks that `value` has the JSON type of `expected`, recursing into objects and arrays.
    static func checkType(_ value: JSONValue, against expected: JSONValue, path: String,
                          issues: inout [ParamsValidationError.Issue], badPaths: inout Set<String>) {
        func fail(_ rule: String, _ message: String) {
            issues.append(.init(path: path, rule: rule, message: message, input: value))
            badPaths.insert(path)
        }
        switch (expected, value) {
        case (.null, _):
            return  // an optional whose default is nil: JSONDecoder judges it
        case (.int, .int):
            return
        case (.int, .double(let d)):
            if d.rounded(.towardZero) != d || !d.isFinite {
                fail("int_from_float", "Input should be a valid integer, got a number with a fractional part")
            }
        case (.int, _):
            fail("int_type", "Input should be a valid integer")
        case (.double, .int), (.double, .double):
            return
        case (.double, _):
            fail("float_type", "Input should be a valid number")
        case (.bool, .bool):
            return
        case (.bool, _):
            fail("bool_type", "Input should be a valid boolean")
        case (.string, .string):
            return
        case (.string, _):
            fail("string_type", "Input should be a valid string")
        case (.array(let template), .array(let items)):
            guard let first = template.first else { return }
            for (i, item) in items.enumerated() {
                checkType(item, against: first, path: "\(path).\(i)", issues: &issues, badPaths: &badPaths)
            }
        case (.array, _):
            fail("list_type", "Input should be a valid list")
        case (.object(let template), .object(let given)):
            for (key, item) in given {
                let snake = snakeCase(key)
                guard let sub = template[snake] else { continue }
                checkType(item, against: sub, path: "\(path).\(snake)", issues: &issues, badPaths: &badPaths)
            }
        case (.object, _):
            fail("dict_type", "Input should be a valid dictionary")
        }
    }

    /// Merges given values over defaults; objects merge key by key, integral numbers become ints where
    /// an int is expected (so `5.0` decodes into an `Int` field).
    static func mergeDeep(_ target: inout JSONObject, _ given: JSONObject, expected: JSONObject) {
        for (key, value) in given {
            let snake = snakeCase(key)
            switch (target[snake], value) {
            case (.object(var inner)?, .object(let givenInner)):
                mergeDeep(&inner, givenInner, expected: expected[snake]?.objectValue ?? [:])
                target[snake] = .object(inner)
            case (.int?, .double(let d)) where d.isFinite && d.rounded(.towardZero) == d && abs(d) < 9e18:
                target[snake] = .int(Int(d))
            default:
                target[snake] = value
            }
        }
    }

    /// The value at a dotted path, or `nil`.
    static func lookup(_ value: JSONValue, path: String) -> JSONValue? {
        var current: JSONValue? = value
        for part in path.split(separator: ".") {
            switch current {
            case .object(let o)?: current = o[String(part)]
            case .array(let a)?:
                guard let i = Int(part), a.indices.contains(i) else { return nil }
                current = a[i]
            default: return nil
            }
        }
        return current
    }

    /// `batchSize` -> `batch_size`, `apiURL` -> `api_url` (as `JSONEncoder.convertToSnakeCase`).
    static func snakeCase(_ key: String) -> String {
        guard key.contains(where: \.isUppercase) else { return key }
        var out = ""
        let chars = Array(key)
        for (i, c) in chars.enumerated() {
            if c.isUppercase {
                let prevLower = i > 0 && (chars[i - 1].isLowercase || chars[i - 1].isNumber)
                let nextLower = i + 1 < chars.count && chars[i + 1].isLowercase
                let prevUpper = i > 0 && chars[i - 1].isUppercase
                if i > 0 && (prevLower || (prevUpper && nextLower)) && out.last != "_" { out.append("_") }
                out += c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }

    static func issue(from error: DecodingError, in json: JSONValue) -> ParamsValidationError.Issue {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map(String.init) ?? snakeCase($0.stringValue) }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context):
            let p = path(context.codingPath)
            return .init(path: p, rule: "type", message: "Input should be a valid \(type)", input: lookup(json, path: p))
        case .valueNotFound(_, let context):
            return .init(path: path(context.codingPath), rule: "required", message: "Field required")
        case .keyNotFound(let key, let context):
            return .init(path: path(context.codingPath + [key]), rule: "required", message: "Field required")
        case .dataCorrupted(let context):
            let p = path(context.codingPath)
            return .init(path: p, rule: "invalid", message: context.debugDescription, input: lookup(json, path: p))
        @unknown default:
            return .init(path: "", rule: "invalid", message: String(describing: error))
        }
    }
}

/// `TrainAction.Params` rather than `SynapsePlugins.TrainAction.Params` or a bare `Params`.
func displayName(of type: Any.Type) -> String {
    let full = String(reflecting: type)
    guard let dot = full.firstIndex(of: ".") else { return full }
    return String(full[full.index(after: dot)...])
}
