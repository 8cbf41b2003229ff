/// Order-preserving byte encoding of key values: for two values of the same scalar type,
/// `a < b` in DynamoDB's order ⇔ `encode(a)` lexicographically precedes `encode(b)` (unsigned bytes).
///
/// S := UTF-8 bytes (DynamoDB orders strings by their UTF-8 bytes)
/// B := the bytes
/// N := class: u8 · [exponent: u16be · digits: u8* · terminator: u8]
///      class 0x01 negative (exponent and digits inverted: 0xFFFF − (e+32768), 0xFE − d, terminator 0xFF),
///      class 0x02 zero (nothing follows),
///      class 0x03 positive (exponent e+32768, digits d+1, terminator 0x00).
package enum KeyEncoding {
    /// Encodes a key value (S, N or B). - Precondition: the value is scalar S, N or B.
    package static func encode(_ value: AttributeValue) -> [UInt8] {
        switch value {
        case .s(let text): return Array(text.utf8)
        case .b(let bytes): return bytes
        case .n(let number): return encode(number)
        default: preconditionFailure("only S, N and B values are key values")
        }
    }

    static func encode(_ number: DynamoNumber) -> [UInt8] {
        if number.isZero { return [0x02] }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(number.digits.count + 4)
        let biased = UInt16(truncatingIfNeeded: number.exponent + 32768)
        if number.isNegative {
            bytes.append(0x01)
            let inverted = 0xFFFF - biased
            bytes.append(UInt8(inverted >> 8))
            bytes.append(UInt8(inverted & 0xFF))
            for digit in number.digits { bytes.append(0xFE - digit) }
            bytes.append(0xFF)
        } else {
            bytes.append(0x03)
            bytes.append(UInt8(biased >> 8))
            bytes.append(UInt8(biased & 0xFF))
            for digit in number.digits { bytes.append(digit + 1) }
            bytes.append(0x00)
        }
        return bytes
    }

    /// Decodes bytes produced by `encode` for the given type; nil for bytes `encode` never produces.
    package static func decode(_ bytes: [UInt8], as type: ScalarAttributeType) -> AttributeValue? {
        switch type {
        case .s: return .s(String(decoding: bytes, as: UTF8.self))
        case .b: return .b(bytes)
        case .n: return decodeNumber(bytes).map { .n($0) }
        }
    }

    static func decodeNumber(_ bytes: [UInt8]) -> DynamoNumber? {
        guard let first = bytes.first else { return nil }
        if first == 0x02 { return bytes.count == 1 ? .zero : nil }
        guard bytes.count >= 4, first == 0x01 || first == 0x03 else { return nil }
        let negative = first == 0x01
        var biased = UInt16(bytes[1]) << 8 | UInt16(bytes[2])
        if negative { biased = 0xFFFF - biased }
        let digitBytes = bytes[3..<(bytes.count - 1)]
        let digits = digitBytes.map { negative ? 0xFE - $0 : $0 - 1 }
        guard digits.allSatisfy({ $0 <= 9 }) else { return nil }
        return DynamoNumber(normalizedDigits: digits, exponent: Int(biased) - 32768, isNegative: negative)
    }
}
