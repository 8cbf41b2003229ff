import Testing
@testable import JSON

@Suite("JSON parser")
struct JSONParserTests {
    func parse(_ text: String) throws(JSONError) -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test("Scalars, arrays and objects parse; numbers keep their text")
    func parsesDocuments() throws {
        #expect(try parse(" {\"a\": [1, -2.50e+3, true, false, null, \"x\"]} ") == .object(JSONObject([
            ("a", .array([.number("1"), .number("-2.50e+3"), .bool(true), .bool(false), .null, .string("x")])),
        ])))
        #expect(try parse("123456789012345678901234567890123456789") == .number("123456789012345678901234567890123456789"))
        #expect(try parse("{}") == .object(JSONObject()))
        #expect(try parse("[]") == .array([]))
    }

    @Test("Every escape decodes, including surrogate pairs")
    func escapes() throws {
        #expect(try parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{8}\u{C}\n\r\t"))
        #expect(try parse(#""\u0041\u00e9\u20ac""#) == .string("Aé€"))
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try parse("\"héllo wörld 😀\"") == .string("héllo wörld 😀"))
    }

    @Test("A duplicate key keeps both members; lookup returns the last")
    func duplicateKeys() throws {
        guard case .object(let object) = try parse(#"{"a":1,"a":2}"#) else { Issue.record("not an object"); return }
        #expect(object.count == 2)
        #expect(object["a"] == .number("2"))
    }

    static let malformed: [(String, JSONError.Reason)] = [
        ("", .unexpectedEndOfInput),
        ("   ", .unexpectedEndOfInput),
        ("\"abc", .unexpectedEndOfInput),
        ("tru", .unexpectedEndOfInput),
        ("trux", .unexpectedCharacter(UInt8(ascii: "x"))),
        ("01", .invalidNumber),
        ("1.", .invalidNumber),
        (".5", .unexpectedCharacter(UInt8(ascii: "."))),
        ("-", .invalidNumber),
        ("1e", .invalidNumber),
        ("\"a\u{1}b\"", .controlCharacterInString),
        ("\"\\x\"", .invalidEscape),
        (#""\ud83d""#, .invalidUnicodeEscape),
        (#""\ude00""#, .invalidUnicodeEscape),
        (#""\u12g4""#, .invalidUnicodeEscape),
        ("[1,]", .unexpectedCharacter(UInt8(ascii: "]"))),
        ("{\"a\" 1}", .unexpectedCharacter(UInt8(ascii: "1"))),
        ("{\"a\":1,}", .unexpectedCharacter(UInt8(ascii: "}"))),
        ("{1:2}", .unexpectedCharacter(UInt8(ascii: "1"))),
        ("[1] x", .trailingCharacters),
        ("{} {}", .trailingCharacters),
    ]

    @Test("Malformed input fails with the specific reason", arguments: malformed)
    func malformedInput(_ text: String, _ reason: JSONError.Reason) {
        #expect(throws: JSONError.self) { try parse(text) }
        do {
            _ = try parse(text)
        } catch {
            #expect(error.reason == reason)
        }
    }

    static let invalidUTF8: [[UInt8]] = [
        [0x22, 0xC0, 0xAF, 0x22],  // overlong "/"
        [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong
        [0x22, 0xED, 0xA0, 0x80, 0x22],  // UTF-16 surrogate encoded in UTF-8
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // beyond U+10FFFF
        [0x22, 0x80, 0x22],  // lone continuation byte
        [0x22, 0xE2, 0x82, 0x22],  // truncated sequence
        [0x22, 0xFF, 0x22],
    ]

    @Test("Invalid UTF-8 in strings is rejected", arguments: invalidUTF8)
    func invalidUTF8Rejected(_ bytes: [UInt8]) {
        do {
            _ = try JSONParser.parse(bytes)
            Issue.record("accepted invalid UTF-8")
        } catch {
            #expect(error.reason == .invalidUTF8)
        }
    }

    @Test("Deep nesting is refused without exhausting the stack")
    func deepNesting() {
        let deep = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        do {
            _ = try JSONParser.parse(deep)
            Issue.record("accepted")
        } catch {
            #expect(error.reason == .nestingTooDeep)
        }
        let ok = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        #expect((try? parse(ok)) != nil)
    }
}
