/// Item size by DynamoDB's rules (attribute names + values). TODO(model helper): implement.
package enum ItemSize {
    /// DynamoDB's maximum item size: 400 KB.
    package static let maximumBytes = 400 * 1024

    /// The size of an item in bytes as DynamoDB counts it.
    package static func of(_ item: Item) -> Int { 0 }

    /// The size of one value as DynamoDB counts it.
    package static func of(_ value: AttributeValue) -> Int { 0 }
}
