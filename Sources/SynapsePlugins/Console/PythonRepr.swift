/// Parses the text Python's `repr()`/`str()` gives for the values plugins log (what synapse-sdk's
/// ConsoleLogger prints for event data) into ``JSONValue``s.
///
/// Understands `str` (both quote styles, all escapes, `b''` and `r''` prefixes), `int` (any size; beyond
/// `Int` as a double), `float` (exponents, `nan`, `inf`, `-inf`), `True`/`False`/`None`, `list`, `tuple`
/// (`()`, `(1,)`), `dict`, `set` / `set()` (as arrays). A value it cannot read as a literal (`PosixPath('/x')`,
/// `datetime.datetime(2026, 1, 1, 0, 0)`, `<object at 0x7f...>`, `Ellipsis`) is kept as its text, so one odd
/// value never loses the rest of the record. Dict keys that are not strings become their text (`1` -> "1").
package enum PythonRepr {
    /// Why a text is not a Python literal, and where.
    package struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The byte offset in the parsed text.
        package var offset: Int
        /// What was wrong.
        package var reason: String
        /// `reason at byte offset`.
        package var description: String { "\(reason) at byte \(offset)" }
    }

    /// Parses `text` as one value; fails unless all of it is consumed (surrounding blanks allowed).
    package static func parse(_ text: String) throws(ParseError) -> JSONValue {
        var p = Parser(Array(text.utf8))
        p.skipSpace()
        let value = try p.value(depth: 0)
        p.skipSpace()
        guard p.atEnd else { throw p.error("unexpected text after the value") }
        return value
    }

    /// Parses a value at the start of `text`; returns it and the rest of the text after it.
    package static func parsePrefix(_ text: Substring) throws(ParseError) -> (JSONValue, Substring) {
        var p = Parser(Array(text.utf8))
        p.skipSpace()
        let value = try p.value(depth: 0)
        let utf8 = text.utf8
        let restIndex = utf8.index(utf8.startIndex, offsetBy: p.i)
        return (value, Substring(text[restIndex...]))
    }

    static let maxDepth = 256

    struct Parser {
        let b: [UInt8]
        var i = 0

        init(_ bytes: [UInt8]) { b = bytes }

        var atEnd: Bool { i >= b.count }

        func error(_ reason: String) -> ParseError { ParseError(offset: i, reason: reason) }

        func peek(_ offset: Int = 0) -> UInt8? { i + offset < b.count ? b[i + offset] : nil }

        mutating func skipSpace() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
        }

        mutating func value(depth: Int) throws(ParseError) -> JSONValue {
            guard depth < PythonRepr.maxDepth else { throw error("nested too deeply") }
            guard let c = peek() else { throw error("expected a value") }
            switch c {
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                return .string(try string(raw: false))
            case UInt8(ascii: "{"):
                return try dictOrSet(depth: depth)
            case UInt8(ascii: "["):
                i += 1
                return .array(try sequence(close: UInt8(ascii: "]"), depth: depth))
            case UInt8(ascii: "("):
                i += 1
                return .array(try sequence(close: UInt8(ascii: ")"), depth: depth))
            case UInt8(ascii: "<"):
                return .string(try balancedText())
            case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return try number()
            default:
                if isIdentStart(c) { return try identifierValue(depth: depth) }
                throw error("unexpected character")
            }
        }

        // MARK: containers

        mutating func sequence(close: UInt8, depth: Int) throws(ParseError) -> [JSONValue] {
            var items: [JSONValue] = []
            skipSpace()
            if peek() == close { i += 1; return items }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard let c = peek() else { throw error("unterminated sequence") }
                if c == UInt8(ascii: ",") {
                    i += 1
                    skipSpace()
                    if peek() == close { i += 1; return items }  // (1,) and trailing commas
                    continue
                }
                if c == close { i += 1; return items }
                throw error("expected ',' or a closing bracket")
            }
        }

        mutating func dictOrSet(depth: Int) throws(ParseError) -> JSONValue {
            i += 1  // {
            skipSpace()
            if peek() == UInt8(ascii: "}") { i += 1; return .object([:]) }
            var object = JSONObject()
            var setItems: [JSONValue] = []
            var isSet: Bool?
            while true {
                skipSpace()
                let keyStart = i
                let key = try value(depth: depth + 1)
                let keyEnd = i
                skipSpace()
                if isSet == nil { isSet = peek() != UInt8(ascii: ":") }
                if isSet == true {
                    setItems.append(key)
                } else {
                    guard peek() == UInt8(ascii: ":") else { throw error("expected ':' in a dict") }
                    i += 1
                    skipSpace()
                    let v = try value(depth: depth + 1)
                    object[keyText(key, start: keyStart, end: keyEnd)] = v
                }
                skipSpace()
                guard let c = peek() else { throw error("unterminated dict") }
                if c == UInt8(ascii: ",") {
                    i += 1
                    skipSpace()
                    if peek() == UInt8(ascii: "}") { i += 1; break }
                    continue
                }
                if c == UInt8(ascii: "}") { i += 1; break }
                throw error("expected ',' or '}'")
            }
            return isSet == true ? .array(setItems) : .object(object)
        }

        func keyText(_ key: JSONValue, start: Int, end: Int) -> String {
            switch key {
            case .string(let s): return s
            case .int(let n): return String(n)
            case .bool(let v): return v ? "True" : "False"
            case .null: return "None"
            default:
                // the key exactly as written (tuples, floats): what Python printed
                return String(decoding: b[start..<end], as: UTF8.self)
            }
        }

        // MARK: strings

        mutating func string(raw: Bool) throws(ParseError) -> String {
            let quote = b[i]
            i += 1
            // triple-quoted strings do not come out of repr(); treat ''' as empty string + quote, like Python would not
            var out: [UInt8] = []
            while true {
                guard i < b.count else { throw error("unterminated string") }
                let c = b[i]
                if c == quote { i += 1; break }
                if c == 0x5C, !raw {  // backslash
                    i += 1
                    guard i < b.count else { throw error("unterminated escape") }
                    let e = b[i]
                    i += 1
                    switch e {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "0")...UInt8(ascii: "7"):
                        var value = UInt32(e - UInt8(ascii: "0"))
                        var digits = 1
                        while digits < 3, let d = peek(), d >= UInt8(ascii: "0"), d <= UInt8(ascii: "7") {
                            value = value * 8 + UInt32(d - UInt8(ascii: "0")); i += 1; digits += 1
                        }
                        appendScalar(value, to: &out)
                    case UInt8(ascii: "x"): appendScalar(try hex(2), to: &out)
                    case UInt8(ascii: "u"): appendScalar(try hex(4), to: &out)
                    case UInt8(ascii: "U"): appendScalar(try hex(8), to: &out)
                    case UInt8(ascii: "a"): out.append(0x07)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "v"): out.append(0x0B)
                    case 0x0A: break  // line continuation
                    case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): out.append(e)
                    default: out.append(0x5C); out.append(e)  // unknown escapes stay as written
                    }
                    continue
                }
                out.append(c)
                i += 1
            }
            return String(decoding: out, as: UTF8.self)
        }

        mutating func hex(_ count: Int) throws(ParseError) -> UInt32 {
            guard i + count <= b.count else { throw error("short hex escape") }
            var value: UInt32 = 0
            for _ in 0..<count {
                guard let d = JSONParser.hexDigit(b[i]) else { throw error("bad hex digit") }
                value = value * 16 + d
                i += 1
            }
            return value
        }

        func appendScalar(_ value: UInt32, to out: inout [UInt8]) {
            let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"  // lone surrogates -> U+FFFD
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }

        // MARK: numbers and names

        mutating func number() throws(ParseError) -> JSONValue {
            let start = i
            if peek() == UInt8(ascii: "-") || peek() == UInt8(ascii: "+") { i += 1 }
            if let c = peek(), isIdentStart(c) {  // -inf, -nan
                let word = identifier()
                let negative = b[start] == UInt8(ascii: "-")
                switch word {
                case "inf": return .double(negative ? -.infinity : .infinity)
                case "nan": return .double(.nan)
                default: i = start; throw error("unexpected name after a sign")
                }
            }
            var isFloat = false
            while let c = peek() {
                if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") || c == UInt8(ascii: "_") { i += 1; continue }
                if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                    isFloat = true; i += 1
                    if (c == UInt8(ascii: "e") || c == UInt8(ascii: "E")),
                       peek() == UInt8(ascii: "-") || peek() == UInt8(ascii: "+") { i += 1 }
                    continue
                }
                break
            }
            if peek() == UInt8(ascii: "j") { i += 1; return .string(String(decoding: b[start..<i], as: UTF8.self)) }
            let text = String(String(decoding: b[start..<i], as: UTF8.self).filter { $0 != "_" })
            if !isFloat, let n = Int(text) { return .int(n) }
            if let d = Double(text) { return .double(d) }
            i = start
            throw error("bad number")
        }

        mutating func identifier() -> String {
            let start = i
            while let c = peek(), isIdentStart(c) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: ".") {
                i += 1
            }
            return String(decoding: b[start..<i], as: UTF8.self)
        }

        mutating func identifierValue(depth: Int) throws(ParseError) -> JSONValue {
            let start = i
            // string prefixes: b'', r'', rb'', u'', f''
            if let q = stringPrefixQuote() {
                let raw = String(decoding: b[start..<q], as: UTF8.self).lowercased().contains("r")
                i = q
                return .string(try string(raw: raw))
            }
            let word = identifier()
            switch word {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "None": return .null
            case "nan": return .double(.nan)
            case "inf": return .double(.infinity)
            default: break
            }
            if peek() == UInt8(ascii: "(") {
                if word == "set" || word == "frozenset" || word == "tuple" || word == "list" {
                    let save = i
                    i += 1
                    skipSpace()
                    if peek() == UInt8(ascii: ")") { i += 1; return .array([]) }
                    i = save
                }
                i = start
                return .string(try balancedText())  // PosixPath('/x'), datetime.datetime(...), Decimal('1.5')
            }
            return .string(word)  // Ellipsis, an enum member name, a bare name
        }

        func stringPrefixQuote() -> Int? {
            var j = i
            var count = 0
            while j < b.count, count < 2, "bBrRuUfF".utf8.contains(b[j]) { j += 1; count += 1 }
            guard count > 0, j < b.count, b[j] == UInt8(ascii: "'") || b[j] == UInt8(ascii: "\"") else { return nil }
            return j
        }

        /// Text up to the bracket that closes the first one (quotes respected): an opaque repr.
        mutating func balancedText() throws(ParseError) -> String {
            let start = i
            var stack: [UInt8] = []
            while i < b.count {
                let c = b[i]
                switch c {
                case UInt8(ascii: "'"), UInt8(ascii: "\""):
                    if stack.isEmpty { break }
                    _ = try string(raw: false)
                    continue
                case UInt8(ascii: "("): stack.append(UInt8(ascii: ")"))
                case UInt8(ascii: "["): stack.append(UInt8(ascii: "]"))
                case UInt8(ascii: "{"): stack.append(UInt8(ascii: "}"))
                case UInt8(ascii: "<"): stack.append(UInt8(ascii: ">"))
                case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: ">"):
                    guard stack.last == c else { throw error("unbalanced brackets") }
                    stack.removeLast()
                    if stack.isEmpty { i += 1; return String(decoding: b[start..<i], as: UTF8.self) }
                default: break
                }
                i += 1
            }
            throw error("unterminated value")
        }

        func isIdentStart(_ c: UInt8) -> Bool {
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || c == UInt8(ascii: "_") || c >= 0x80
        }
    }
}
