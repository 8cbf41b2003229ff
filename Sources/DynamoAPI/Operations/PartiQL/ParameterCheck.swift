import DynamoModel
import JSON

/// What DynamoDB checks in PartiQL `Parameters` before it decodes them, in document order: nesting depth, and
/// numbers read the way Java's BigDecimal reads a string — an exponent outside a 32-bit integer cannot be
/// converted at all, and the magnitude check works on precision less scale in 32-bit arithmetic, which wraps.
/// (Attribute values sent to PutItem follow other rules; `AttributeValue(json:)` has those.)
enum ParameterCheck {
    static let tooDeep = DynamoError.validation(
        "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit")

    static func check(_ parameters: [JSONValue]) throws(DynamoError) {
        for parameter in parameters { try check(parameter, depth: 1) }
    }

    static func check(_ value: JSONValue, depth: Int) throws(DynamoError) {
        guard case .object(let object) = value else { return }
        if depth > AttributeValue.maximumNestingDepth { throw tooDeep }
        for member in object.members {
            switch (member.key, member.value) {
            case ("N", .string(let text)):
                try checkNumber(text)
            case ("NS", .array(let elements)):
                for case .string(let text) in elements { try checkNumber(text) }
            case ("L", .array(let elements)):
                for element in elements { try check(element, depth: depth + 1) }
            case ("M", .object(let map)):
                for entry in map.members { try check(entry.value, depth: depth + 1) }
            default:
                break
            }
        }
    }

    static func checkNumber(_ text: String) throws(DynamoError) {
        guard !text.isEmpty else { throw DynamoError.validation("The parameter cannot be converted to a numeric value") }
        let unconvertible = DynamoError.validation("The parameter cannot be converted to a numeric value: \(text)")
        var characters = Substring(text)
        if characters.first == "+" || characters.first == "-" { characters = characters.dropFirst() }
        let mantissa = characters.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let rest = characters.dropFirst(mantissa.count)
        let pieces = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count <= 2, mantissa.contains(where: \.isNumber) else { throw unconvertible }
        var exponent: Int64 = 0
        if !rest.isEmpty {
            guard rest.first == "e" || rest.first == "E", let value = Int64(rest.dropFirst()) else { throw unconvertible }
            exponent = value
        }
        guard exponent >= Int64(Int32.min), exponent <= Int64(Int32.max) else { throw unconvertible }
        let fractionDigits = Int64(pieces.count == 2 ? pieces[1].count : 0)
        let digits = mantissa.filter(\.isNumber).drop { $0 == "0" }
        let precision = Int32(clamping: max(1, digits.count))
        let scale = fractionDigits - exponent
        guard scale >= Int64(Int32.min), scale <= Int64(Int32.max) else { throw unconvertible }
        // Only a wrapped result differs from what DynamoNumber computes; report that one as DynamoDB does.
        let (wrapped, overflowed) = precision.subtractingReportingOverflow(Int32(scale))
        if overflowed {
            if wrapped < 0 {
                throw DynamoError.validation("Number underflow. Attempting to store a number with magnitude smaller than supported range")
            }
            throw DynamoError.validation("Number overflow. Attempting to store a number with magnitude larger than supported range")
        }
    }
}
