import Testing
@testable import SynapsePlugins

@Suite struct PythonReprTests {
    func parse(_ text: String) throws -> JSONValue { try PythonRepr.parse(text) }

    @Test func scalars() throws {
        #expect(try parse("1") == .int(1))
        #expect(try parse("-42") == .int(-42))
        #expect(try parse("0.5") == .double(0.5))
        #expect(try parse("1e-05") == .double(1e-05))
        #expect(try parse("-2.5E+3") == .double(-2500))
        #expect(try parse("True") == .bool(true))
        #expect(try parse("False") == .bool(false))
        #expect(try parse("None") == .null)
        #expect(try parse("inf") == .double(.infinity))
        #expect(try parse("-inf") == .double(-.infinity))
        let nan = try parse("nan")
        #expect(nan.doubleValue?.isNaN == true)
        #expect(try parse("123456789012345678901234567890") == .double(123456789012345678901234567890.0))
    }

    @Test func stringsWithBothQuotesAndEscapes() throws {
        #expect(try parse("'plain'") == .string("plain"))
        #expect(try parse(#"'it\'s "quoted"'"#) == .string(#"it's "quoted""#))
        #expect(try parse(#""it's""#) == .string("it's"))
        #expect(try parse(#"'a\tb\nc\\d'"#) == .string("a\tb\nc\\d"))
        #expect(try parse(#"'\x41\u00e9\U0001F600\101'"#) == .string("Aé😀A"))
        #expect(try parse("'héllo ✓'") == .string("héllo ✓"))
        #expect(try parse(#"b'\xff\x00ab'"#) == .string("\u{FF}\u{0}ab"))
        #expect(try parse(#"r'C:\path'"#) == .string(#"C:\path"#))
        #expect(try parse("''") == .string(""))
        #expect(try parse(#"'\q'"#) == .string(#"\q"#))
    }

    @Test func containers() throws {
        #expect(try parse("[1, 'two', 3.0]") == [1, "two", 3.0])
        #expect(try parse("(1, 2)") == [1, 2])
        #expect(try parse("(1,)") == [1])
        #expect(try parse("()") == [])
        #expect(try parse("[]") == [])
        #expect(try parse("{}") == .object([:]))
        #expect(try parse("{1, 2}") == [1, 2])
        #expect(try parse("set()") == [])
        let value = try parse(#"{'hello': 'world', 'n': 1, 'flag': True, 'nothing': None, 'pair': (1, 2), 'nested': {'quote': 'it\'s "quoted"', 'tab': 'a\tb'}}"#)
        #expect(value == .object([
            "hello": "world", "n": 1, "flag": true, "nothing": nil, "pair": [1, 2],
            "nested": ["quote": #"it's "quoted""#, "tab": "a\tb"],
        ]))
        #expect(value.objectValue?.keys == ["hello", "n", "flag", "nothing", "pair", "nested"])
    }

    @Test func nonStringKeysBecomeTheirText() throws {
        let value = try parse("{1: 'a', (2, 3): 'b', None: 'c', 1.5: 'd'}")
        #expect(value.objectValue?.keys == ["1", "(2, 3)", "None", "1.5"])
    }

    @Test func opaqueReprsAreKeptAsText() throws {
        let value = try parse("{'p': PosixPath('/x/y'), 'd': datetime.datetime(2026, 1, 2, 3, 4), 'o': <object object at 0x7f>, 'e': Ellipsis, 'c': 1j}")
        #expect(value == .object([
            "p": "PosixPath('/x/y')", "d": "datetime.datetime(2026, 1, 2, 3, 4)", "o": "<object object at 0x7f>",
            "e": "Ellipsis", "c": "1j",
        ]))
    }

    @Test func errorsAreThrownNotCrashed() {
        for bad in ["{'a': 1", "'unterminated", "[1, 2", "{'a' 1}", "1 2", "", "{'a': )}", "-x", String(repeating: "[", count: 1000)] {
            #expect(throws: PythonRepr.ParseError.self) { try PythonRepr.parse(bad) }
        }
    }

    @Test func prefixParsingReturnsTheRest() throws {
        let (value, rest) = try PythonRepr.parsePrefix("{'a': 1} (file: /x.jpg)")
        #expect(value == .object(["a": 1]))
        #expect(rest == " (file: /x.jpg)")
    }
}
