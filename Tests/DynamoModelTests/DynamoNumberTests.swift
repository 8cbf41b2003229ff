import TestSupport
import Testing
@testable import DynamoModel

@Suite("DynamoDB numbers")
struct DynamoNumberTests {
    static let canonical: [(String, String)] = [
        ("1.50", "1.5"), ("-0", "0"), ("0.000", "0"), ("+7", "7"), ("1E+2", "100"), ("1e2", "100"), ("1e-5", "0.00001"),
        ("-1.0e3", "-1000"), ("00012", "12"), ("123.4500", "123.45"), (".5", "0.5"), ("5.", "5"), ("-0.0001", "-0.0001"),
        ("12345678901234567890123456789012345678", "12345678901234567890123456789012345678"),
        ("1E+125", "1" + String(repeating: "0", count: 125)),
        ("1E-130", "0." + String(repeating: "0", count: 129) + "1"),
    ]

    @Test("Numbers come out in DynamoDB's canonical text", arguments: canonical)
    func canonicalText(_ input: String, _ expected: String) throws {
        #expect(try DynamoNumber(parsing: input).canonicalText == expected)
    }

    static let invalid: [(String, String)] = [
        ("abc", "The parameter cannot be converted to a numeric value: abc"),
        ("", "The parameter cannot be converted to a numeric value: "),
        ("1.2.3", "The parameter cannot be converted to a numeric value: 1.2.3"),
        ("1e", "The parameter cannot be converted to a numeric value: 1e"),
        (" 1", "The parameter cannot be converted to a numeric value:  1"),
        ("123456789012345678901234567890123456789", "Attempting to store more than 38 significant digits in a Number"),
        ("1E+126", "Number overflow. Attempting to store a number with magnitude larger than supported range"),
        ("1E-131", "Number underflow. Attempting to store a number with magnitude smaller than supported range"),
    ]

    @Test("Invalid numbers fail with DynamoDB's messages", arguments: invalid)
    func invalidNumbers(_ input: String, _ message: String) {
        #expect(throws: DynamoError.validation(message)) { try DynamoNumber(parsing: input) }
    }

    static func random(_ generator: inout SeededGenerator) -> DynamoNumber {
        let digits = Int.random(in: 1...12, using: &generator)
        var text = Bool.random(using: &generator) ? "-" : ""
        for _ in 0..<digits { text += String(Int.random(in: 0...9, using: &generator)) }
        text += "e\(Int.random(in: -20...20, using: &generator))"
        return (try? DynamoNumber(parsing: text)) ?? .zero
    }

    @Test("Canonical text parses back to the same number, and equal numbers hash alike")
    func roundTrip() throws {
        var generator = SeededGenerator(state: 11)
        for _ in 0..<2000 {
            let number = Self.random(&generator)
            let again = try DynamoNumber(parsing: number.canonicalText)
            #expect(again == number)
            #expect(again.hashValue == number.hashValue)
        }
        #expect(try DynamoNumber(parsing: "1.50") == DynamoNumber(parsing: "15E-1"))
    }

    @Test("Ordering agrees with Double where Double is exact")
    func ordering() throws {
        var generator = SeededGenerator(state: 12)
        for _ in 0..<2000 {
            let a = Int.random(in: -100_000...100_000, using: &generator)
            let b = Int.random(in: -100_000...100_000, using: &generator)
            let scale = Int.random(in: 0...4, using: &generator)
            let left = try DynamoNumber(parsing: "\(a)e-\(scale)")
            let right = try DynamoNumber(parsing: "\(b)e-\(scale)")
            #expect((left < right) == (a < b))
        }
    }

    @Test("Addition and subtraction are exact")
    func arithmetic() throws {
        var generator = SeededGenerator(state: 13)
        for _ in 0..<2000 {
            let a = Int.random(in: -1_000_000_000...1_000_000_000, using: &generator)
            let b = Int.random(in: -1_000_000_000...1_000_000_000, using: &generator)
            #expect(try DynamoNumber(a).adding(DynamoNumber(b)) == DynamoNumber(a + b))
            #expect(try DynamoNumber(a).subtracting(DynamoNumber(b)) == DynamoNumber(a - b))
        }
        #expect(try DynamoNumber(parsing: "0.1").adding(DynamoNumber(parsing: "0.2")).canonicalText == "0.3")
        #expect(try DynamoNumber(parsing: "1E+30").adding(DynamoNumber(parsing: "1")).canonicalText == "1" + String(repeating: "0", count: 29) + "1")
        #expect(throws: DynamoError.self) {
            try DynamoNumber(parsing: "1E+38").adding(DynamoNumber(parsing: "1E-10"))
        }
        #expect(throws: DynamoError.validation("Number overflow. Attempting to store a number with magnitude larger than supported range")) {
            try DynamoNumber(parsing: "9.9E+125").adding(DynamoNumber(parsing: "9.9E+125"))
        }
    }
}
