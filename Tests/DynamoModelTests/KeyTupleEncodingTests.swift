import TestSupport
import Testing
@testable import DynamoModel

@Suite("Multi-attribute key tuples")
struct KeyTupleEncodingTests {
    /// Short byte strings over {0x00, 0x01, 0xFF}, the bytes that could confuse an escaping scheme.
    static func randomBytes(_ generator: inout SeededGenerator) -> [UInt8] {
        (0..<Int(generator.next() % 4)).map { _ in [0x00, 0x01, 0xFF][Int(generator.next() % 3)] }
    }

    @Test("Tuples compare attribute by attribute: a < b exactly when tuple(a) precedes tuple(b)")
    func order() {
        var generator = SeededGenerator(state: 23)
        for _ in 0..<2_000 {
            let count = 1 + Int(generator.next() % 3)
            let a = (0..<count).map { _ in Self.randomBytes(&generator) }
            let b = (0..<count).map { _ in Self.randomBytes(&generator) }
            let expected = a.lexicographicallyPrecedes(b) { $0.lexicographicallyPrecedes($1) }
            #expect(KeyTupleEncoding.tuple(a).lexicographicallyPrecedes(KeyTupleEncoding.tuple(b)) == expected)
            #expect((KeyTupleEncoding.tuple(a) == KeyTupleEncoding.tuple(b)) == (a == b))
        }
    }

    @Test("The first k components of a tuple are a byte prefix of it")
    func prefixes() {
        let parts: [[UInt8]] = [[0x61, 0x00], [], [0xFF, 0x00, 0x00]]
        for k in 0...parts.count {
            #expect(KeyTupleEncoding.tuple(parts).starts(with: KeyTupleEncoding.tuple(Array(parts.prefix(k)))))
        }
    }

    static let schema = KeySchema(partitionKeys: [KeyAttribute(name: "h1", type: .s), KeyAttribute(name: "h2", type: .n)],
                                  sortKeys: [KeyAttribute(name: "r1", type: .s)])

    @Test("Every key attribute, HASH first, is listed for the item rules; a missing or mistyped one leaves the item out")
    func keyAttributes() {
        #expect(Self.schema.keyAttributes.map(\.name) == ["h1", "h2", "r1"])
        #expect(Self.schema.attributeNames == ["h1", "h2", "r1"])
        #expect(Self.schema.isMultiAttribute)
        let item: Item = ["h1": .s("a"), "h2": .n(DynamoNumber(1)), "r1": .s("z")]
        let key = Self.schema.encodedKeyIfValid(of: item)
        #expect(key?.partition == KeyTupleEncoding.tuple([Array("a".utf8), KeyEncoding.encode(.n(DynamoNumber(1)))]))
        #expect(key?.sort == Array("z".utf8))
        var missing = item
        missing["h2"] = nil
        #expect(Self.schema.encodedKeyIfValid(of: missing) == nil)
        var mistyped = item
        mistyped["r1"] = .n(DynamoNumber(3))
        #expect(Self.schema.encodedKeyIfValid(of: mistyped) == nil)
    }

    @Test("Empty or oversized key values are not storable in an index")
    func storable() {
        let item: Item = ["h1": .s("a"), "h2": .n(DynamoNumber(1)), "r1": .s("z")]
        #expect(Self.schema.indexKeyValuesAreStorable(in: item))
        var empty = item
        empty["h1"] = .s("")
        #expect(!Self.schema.indexKeyValuesAreStorable(in: empty))
        var long = item
        long["r1"] = .s(String(repeating: "x", count: 1025))
        #expect(!Self.schema.indexKeyValuesAreStorable(in: long))
        long["r1"] = .s(String(repeating: "x", count: 1024))
        #expect(Self.schema.indexKeyValuesAreStorable(in: long))
    }
}
