import TestSupport
import Testing
@testable import DynamoModel

@Suite("Order-preserving key encoding")
struct KeyEncodingTests {
    func precedes(_ a: [UInt8], _ b: [UInt8]) -> Bool { a.lexicographicallyPrecedes(b) }

    @Test("Numbers: a < b exactly when enc(a) precedes enc(b); decoding inverts encoding")
    func numbers() throws {
        var generator = SeededGenerator(state: 21)
        var values = [DynamoNumber.zero]
        for _ in 0..<400 { values.append(DynamoNumberTests.random(&generator)) }
        values += try ["1", "10", "9", "0.1", "-0.1", "-1", "-10", "1E+125", "-1E+125", "1E-130", "-1E-130", "0.12", "0.123",
                       "-0.12", "-0.123"].map { try DynamoNumber(parsing: $0) }
        for a in values {
            let encoded = KeyEncoding.encode(.n(a))
            #expect(KeyEncoding.decode(encoded, as: .n) == .n(a))
            for b in values.prefix(120) {
                #expect((a < b) == precedes(encoded, KeyEncoding.encode(.n(b))), "\(a) vs \(b)")
            }
        }
    }

    @Test("Strings order by their UTF-8 bytes and binaries by unsigned bytes")
    func stringsAndBinaries() {
        let strings = ["", "a", "b", "ab", "Z", "é", "😀", "\u{FFFD}", "a\u{0}"]
        for a in strings {
            for b in strings {
                #expect(precedes(Array(a.utf8), Array(b.utf8)) == precedes(KeyEncoding.encode(.s(a)), KeyEncoding.encode(.s(b))))
            }
            #expect(KeyEncoding.decode(KeyEncoding.encode(.s(a)), as: .s) == .s(a))
        }
        #expect(precedes(KeyEncoding.encode(.b([0x7F])), KeyEncoding.encode(.b([0x80]))))
        #expect(KeyEncoding.decode([1, 2, 255], as: .b) == .b([1, 2, 255]))
    }
}

@Suite("Item size")
struct ItemSizeTests {
    @Test("Sizes follow DynamoDB's rules")
    func sizes() throws {
        #expect(ItemSize.of(["ab": .s("héllo")]) == 2 + 6)
        #expect(ItemSize.of(["b": .b([1, 2, 3])]) == 1 + 3)
        #expect(ItemSize.of(["t": .bool(true), "n": .null]) == 2 + 2)
        #expect(ItemSize.of(["n": .n(.zero)]) == 2)
        #expect(ItemSize.of(["n": .n(try DynamoNumber(parsing: "12"))]) == 1 + 2)
        #expect(ItemSize.of(["n": .n(try DynamoNumber(parsing: "123"))]) == 1 + 3)
        #expect(ItemSize.of(["n": .n(try DynamoNumber(parsing: "-123"))]) == 1 + 4)
        #expect(ItemSize.of(["l": .l([.s("ab"), .null])]) == 1 + 3 + (1 + 2) + (1 + 1))
        #expect(ItemSize.of(["m": .m(["k": .s("v")])]) == 1 + 3 + (1 + 1 + 1))
        #expect(ItemSize.of(["ss": .ss(["a", "bc"])]) == 2 + 3)
    }
}
