/// Order-preserving byte encoding of key values: for two values of the same scalar type,
/// `a < b` in DynamoDB's order ⇔ `encode(a)` lexicographically precedes `encode(b)`.
/// TODO(model helper): implement (numbers need a decimal encoding whose byte order is numeric order).
package enum KeyEncoding {
    /// Encodes a key value (S, N or B). - Precondition: the value is scalar S, N or B.
    package static func encode(_ value: AttributeValue) -> [UInt8] { [] }

    /// Decodes bytes produced by `encode` for the given type.
    package static func decode(_ bytes: [UInt8], as type: ScalarAttributeType) -> AttributeValue { .null }
}
