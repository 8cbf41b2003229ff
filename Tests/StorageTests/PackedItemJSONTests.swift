import TestSupport
import DynamoModel
import JSON
import Testing
@testable import Storage

/// A stored item's JSON, written straight from its packed form, is byte for byte what serializing the decoded
/// item gives.
@Suite("Packed items to JSON")
struct PackedItemJSONTests {
    static let key = EncodedKey(partition: Array("p".utf8), sort: [])

    static func stored(_ item: Item) -> StoredItem {
        StoredItem(key: key, item: item, sizeInBytes: ItemSize.of(item))
    }

    static func number(_ text: String) -> AttributeValue { .n(decimal(text)) }

    /// The texts below are valid DynamoDB numbers.
    static func decimal(_ text: String) -> DynamoNumber { (try? DynamoNumber(parsing: text)) ?? .zero }

    @Test("Every attribute type, nesting, escapes and non-ASCII text come out as the decoded item's JSON")
    func everyTypeMatchesTheDecodedJSON() {
        let item: Item = [
            "pk": .s("p"),
            "text": .s("quote \" backslash \\ newline \n tab \t bell \u{07} é 😀"),
            "empty": .s(""),
            "number": Self.number("-12.500"),
            "big": Self.number("1E+3"),
            "binary": .b([0, 1, 2, 255]),
            "odd binary": .b([7]),
            "yes": .bool(true),
            "no": .bool(false),
            "nothing": .null,
            "list": .l([.s("a"), Self.number("1"), .l([]), .m(["y": .s("1"), "x": .ss(["q", "p"])])]),
            "map": .m(["zz": .ns([Self.decimal("3"), Self.decimal("1.0")]), "aa": .bs([[0], [1, 2]]), "mm": .m([:])]),
            "naïve": .s("x"),
            "Zed": .s("capital first"),
        ]
        let json = Self.stored(item).json
        #expect(json == JSONWriter.serialize(item.json))
        #expect(String(decoding: json, as: UTF8.self).hasPrefix(#"{"Zed":{"S":"capital first"},"big":{"N":"1000"}"#))
    }

    @Test("Random items match the decoded path", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func randomItemsMatch(seed: UInt64) {
        var generator = SeededGenerator(state: seed)
        for _ in 0..<50 {
            var item: Item = ["pk": .s("p")]
            for index in 0..<Int.random(in: 0...12, using: &generator) {
                item["a\(index)\(Int.random(in: 0...99, using: &generator))"] = Self.randomValue(depth: 0, &generator)
            }
            #expect(Self.stored(item).json == JSONWriter.serialize(item.json))
        }
    }

    static func randomValue(depth: Int, _ generator: inout SeededGenerator) -> AttributeValue {
        let characters = Array("aZ\"\\\n\u{01}é😀 0")
        func text() -> String {
            String((0..<Int.random(in: 0...6, using: &generator)).map { _ in characters.randomElement(using: &generator) ?? "a" })
        }
        func bytes() -> [UInt8] { (0..<Int.random(in: 0...5, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        switch Int.random(in: 0...(depth < 3 ? 9 : 6), using: &generator) {
        case 0: return .s(text())
        case 1: return number(String(Int.random(in: -1_000_000...1_000_000, using: &generator)))
        case 2: return .b(bytes())
        case 3: return .bool(Bool.random(using: &generator))
        case 4: return .null
        case 5: return .ss(Array(Set((0..<3).map { _ in text() + "s" })))
        case 6: return .bs([bytes() + [1], bytes() + [2]])
        case 7: return .ns([decimal("1"), decimal("2.5")])
        case 8: return .l((0..<Int.random(in: 0...3, using: &generator)).map { _ in randomValue(depth: depth + 1, &generator) })
        default:
            var map: Item = [:]
            for index in 0..<Int.random(in: 0...3, using: &generator) {
                map["m\(index)\(text())"] = randomValue(depth: depth + 1, &generator)
            }
            return .m(map)
        }
    }

    @Test("Truncated or unknown packed bytes are refused rather than read past their end")
    func malformedBytesAreRefused() {
        var writer = BinaryWriter(sortsNames: true)
        writer.item(["a": .s("text"), "b": .l([.bool(true)])])
        let whole = writer.bytes
        #expect(PackedItemJSON.object(whole, at: 0) != nil)
        for length in 0..<whole.count {
            #expect(PackedItemJSON.object(Array(whole[0..<length]), at: 0) == nil)
        }
        var unknownTag = whole
        unknownTag[9] = 42  // count (4 bytes), the name's length (4) and "a" (1), then the first value's tag
        #expect(PackedItemJSON.object(unknownTag, at: 0) == nil)
        #expect(PackedItemJSON.object(whole + [0], at: 0) == nil)
    }
}
