/// A DynamoDB number: a decimal with up to 38 significant digits and magnitude from 1E-130 to 9.99…E+125.
/// Stored normalised so that equal numbers are equal values. TODO(model helper): implement.
package struct DynamoNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Significant digits, most significant first, no leading or trailing zeros; empty means zero.
    package var digits: [UInt8]
    /// Power of ten of the first digit's place: value = 0.d1d2d3… × 10^exponent.
    package var exponent: Int
    package var isNegative: Bool

    package init(digits: [UInt8], exponent: Int, isNegative: Bool) {
        self.digits = digits
        self.exponent = exponent
        self.isNegative = isNegative
    }

    /// Parses a number string as DynamoDB accepts it; throws DynamoDB's ValidationException otherwise.
    package init(parsing text: String) throws(DynamoError) {
        throw DynamoError.validation("TODO")
    }

    /// DynamoDB's canonical text ("1.50" → "1.5", "-0" → "0", "1E+2" → "100").
    package var canonicalText: String { "0" }

    package var description: String { canonicalText }

    package static func < (lhs: DynamoNumber, rhs: DynamoNumber) -> Bool { false }
}
