import Testing
@testable import JSON

/// SplitMix64: a small deterministic generator so property tests repeat exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("JSON writer")
struct JSONWriterTests {
    @Test("Strings are escaped as JSON requires and non-ASCII stays raw UTF-8")
    func escaping() {
        let bytes = JSONWriter.serialize(.string("a\"b\\c\n\u{1}é"))
        #expect(String(decoding: bytes, as: UTF8.self) == #""a\"b\\c\n\u0001é""#)
    }

    /// Escapes one byte at a time: the plain reading of RFC 8259 the fast writer must match.
    static func referenceQuoted(_ text: [UInt8]) -> [UInt8] {
        var output: [UInt8] = [0x22]
        for byte in text {
            switch byte {
            case 0x22: output += Array(#"\""#.utf8)
            case 0x5C: output += Array(#"\\"#.utf8)
            case 0x08: output += Array(#"\b"#.utf8)
            case 0x0C: output += Array(#"\f"#.utf8)
            case 0x0A: output += Array(#"\n"#.utf8)
            case 0x0D: output += Array(#"\r"#.utf8)
            case 0x09: output += Array(#"\t"#.utf8)
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output += Array(#"\u00"#.utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: output.append(byte)
            }
        }
        output.append(0x22)
        return output
    }

    @Test("Every byte that needs escaping is escaped wherever it stands in a long string",
          arguments: Array(UInt8(0)..<0x20) + [0x22, 0x5C])
    func escapingAtEveryPosition(_ special: UInt8) {
        let plain = Array("The quick brown fox jumps over the lazy dog é".utf8)
        for position in 0..<plain.count {
            var text = plain
            text[position] = special
            var output: [UInt8] = []
            text.withUnsafeBufferPointer { JSONWriter.appendQuoted($0, to: &output) }
            #expect(output == Self.referenceQuoted(text), "byte \(special) at \(position)")
        }
    }

    @Test("Random byte strings are quoted exactly as one byte at a time would quote them")
    func randomStringsMatchTheReference() {
        var generator = SeededGenerator(state: 7)
        // Mostly plain text, with a fair share of bytes that need escaping.
        let alphabet: [UInt8] = Array("abcXYZ 019é".utf8) + [0x00, 0x09, 0x0A, 0x1F, 0x22, 0x5C, 0x7F, 0xFF]
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...70, using: &generator)
            let text = (0..<length).map { _ in alphabet.randomElement(using: &generator) ?? 0x61 }
            var output: [UInt8] = []
            text.withUnsafeBufferPointer { JSONWriter.appendQuoted($0, to: &output) }
            #expect(output == Self.referenceQuoted(text))
        }
    }

    @Test("The streaming calls produce the same bytes as serializing the tree")
    func streamingMatchesTree() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("TableNames")
        writer.beginArray()
        writer.string("a")
        writer.string("b")
        writer.endArray()
        writer.key("Count")
        writer.number(2)
        writer.key("Empty")
        writer.beginObject()
        writer.endObject()
        writer.key("Flag")
        writer.bool(true)
        writer.key("Nothing")
        writer.null()
        writer.endObject()
        let tree = JSONValue.object(JSONObject([
            ("TableNames", .array([.string("a"), .string("b")])), ("Count", .number("2")),
            ("Empty", .object(JSONObject())), ("Flag", .bool(true)), ("Nothing", .null),
        ]))
        #expect(writer.bytes == JSONWriter.serialize(tree))
        #expect(String(decoding: writer.bytes, as: UTF8.self)
            == #"{"TableNames":["a","b"],"Count":2,"Empty":{},"Flag":true,"Nothing":null}"#)
    }

    static func randomString(_ generator: inout SeededGenerator) -> String {
        let pool: [Unicode.Scalar] = ["a", "Z", "0", " ", "\"", "\\", "\n", "\u{1}", "é", "€", "😀", "\u{7F}", "/"]
        let length = Int.random(in: 0..<12, using: &generator)
        var text = ""
        for _ in 0..<length { text.unicodeScalars.append(pool.randomElement(using: &generator) ?? "a") }
        return text
    }

    static func randomValue(_ generator: inout SeededGenerator, depth: Int) -> JSONValue {
        let choice = Int.random(in: 0..<(depth > 4 ? 5 : 7), using: &generator)
        switch choice {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .number(String(Int.random(in: -1_000_000...1_000_000, using: &generator)))
        case 3: return .number("\(Int.random(in: 0...99, using: &generator)).5e-3")
        case 4: return .string(randomString(&generator))
        case 5:
            let count = Int.random(in: 0..<4, using: &generator)
            return .array((0..<count).map { _ in randomValue(&generator, depth: depth + 1) })
        default:
            let count = Int.random(in: 0..<4, using: &generator)
            return .object(JSONObject((0..<count).map { _ in
                (randomString(&generator), randomValue(&generator, depth: depth + 1))
            }))
        }
    }

    @Test("Random documents round-trip: parse(serialize(v)) == v")
    func roundTrip() throws {
        var generator = SeededGenerator(state: 42)
        for _ in 0..<3000 {
            let value = Self.randomValue(&generator, depth: 0)
            #expect(try JSONParser.parse(JSONWriter.serialize(value)) == value)
        }
    }
}

@Suite("Base64")
struct Base64Tests {
    @Test("RFC 4648 test vectors")
    func vectors() {
        let vectors = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
                       ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")]
        for (plain, encoded) in vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.decode(encoded) == Array(plain.utf8))
        }
    }

    @Test("Invalid base64 is refused")
    func invalid() {
        for text in ["Zg=", "Z===", "Zm9v!", "Zg==Zg==", "=Zg=", "Zm=v"] {
            #expect(Base64.decode(text) == nil, "\(text)")
        }
    }

    @Test("Random bytes round-trip")
    func roundTrip() {
        var generator = SeededGenerator(state: 7)
        for length in 0..<200 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
    }
}

@Suite("Encoded values and base64 into a buffer")
struct EncodedJSONTests {
    @Test("An encoded value is written as is, with separators around it like any other value")
    func encodedValuesAreCopied() {
        let value = JSONValue.object(JSONObject([
            ("a", .encoded(Array(#"{"S":"x"}"#.utf8))),
            ("b", .array([.encoded(Array("1".utf8)), .encoded(Array("[]".utf8)), .string("z")])),
        ]))
        #expect(String(decoding: JSONWriter.serialize(value), as: UTF8.self) == #"{"a":{"S":"x"},"b":[1,[],"z"]}"#)
    }

    @Test("Base64 into a buffer appends what encode returns", arguments: [0, 1, 2, 3, 4, 5, 31])
    func base64IntoBuffer(length: Int) {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 250) }
        var output = Array("prefix".utf8)
        bytes.withUnsafeBufferPointer { Base64.encode($0, into: &output) }
        #expect(output == Array(("prefix" + Base64.encode(bytes)).utf8))
    }
}
