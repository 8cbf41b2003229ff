/// Key checks of item operations, with DynamoDB's messages. The wording differs by where the key comes from:
/// PutItem's `Item` names the missing or mistyped key; `Key` maps and batch writes say only that the key does not
/// match the schema.
extension KeySchema {
    /// DynamoDB's key size limits (the message for the partition key really lacks a space before 2048).
    package static let maximumPartitionKeyBytes = 2048
    package static let maximumSortKeyBytes = 1024

    /// How a key mismatch is worded.
    package enum KeySource: Sendable {
        /// PutItem's `Item`: "Missing the key …" / "Type mismatch for key …".
        case putItem
        /// A `Key` map or a BatchWriteItem put: "The provided key element does not match the schema".
        case keyMap
    }

    /// Validates the key attributes of `item` and returns the encoded key.
    /// For `.keyMap`, the map must hold exactly the key attributes.
    package func encodedKey(of item: Item, source: KeySource, exactKeyMap: Bool = false) throws(DynamoError) -> EncodedKey {
        do throws(KeyViolation) {
            return try classifiedEncodedKey(of: item, source: source, exactKeyMap: exactKeyMap)
        } catch {
            throw error.error
        }
    }

    /// `encodedKey(of:source:exactKeyMap:)`, with the violation's kind: a transaction cancels an action whose key
    /// does not match the schema, but refuses the whole request for a value no key may hold (empty, too large).
    package func classifiedEncodedKey(of item: Item, source: KeySource,
                                      exactKeyMap: Bool = false) throws(KeyViolation) -> EncodedKey {
        if exactKeyMap && item.count != (sortKey == nil ? 1 : 2) { throw KeyViolation(.mismatch, Self.keyMismatch) }
        let partition = try encodedPart(partitionKey, isPartition: true, of: item, source: source)
        guard let sortKey else { return EncodedKey(partition: partition, sort: []) }
        return EncodedKey(partition: partition, sort: try encodedPart(sortKey, isPartition: false, of: item, source: source))
    }

    private static let keyMismatch = DynamoError.validation("The provided key element does not match the schema")

    /// One key attribute of `item`, validated and encoded.
    private func encodedPart(_ attribute: KeyAttribute, isPartition: Bool, of item: Item,
                             source: KeySource) throws(KeyViolation) -> [UInt8] {
        let mismatch = KeyViolation(.mismatch, Self.keyMismatch)
        guard let value = item[attribute.name] else {
            if source == .putItem {
                throw KeyViolation(.mismatch, .validation(
                    "One or more parameter values were invalid: Missing the key \(attribute.name) in the item"))
            }
            throw mismatch
        }
        guard value.scalarType == attribute.type else {
            if source == .putItem {
                throw KeyViolation(.mismatch, .validation("One or more parameter values were invalid: Type mismatch for "
                    + "key \(attribute.name) expected: \(attribute.type.rawValue) actual: \(value.typeDescriptor)"))
            }
            throw mismatch
        }
        if let tooLarge = Self.sizeViolation(of: value, isPartition: isPartition) {
            throw KeyViolation(.invalidValue, tooLarge)
        }
        switch value {
        case .s(let text) where text.isEmpty:
            throw KeyViolation(.invalidValue, .validation("One or more parameter values are not valid. The AttributeValue "
                + "for a key attribute cannot contain an empty string value. Key: \(attribute.name)"))
        case .b(let bytes) where bytes.isEmpty:
            throw KeyViolation(.invalidValue, .validation("One or more parameter values are not valid. The AttributeValue "
                + "for a key attribute cannot contain an empty binary value. Key: \(attribute.name)"))
        default:
            return KeyEncoding.encode(value)
        }
    }

    /// DynamoDB's key-size limits, the same for table and index keys: 2048 bytes for a partition key, 1024 for a
    /// sort key (strings in UTF-8 bytes, binaries in bytes; numbers always fit).
    package static func sizeViolation(of value: AttributeValue, isPartition: Bool) -> DynamoError? {
        if isPartition && ItemSize.of(value) > maximumPartitionKeyBytes {
            return .validation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes")
        }
        if !isPartition && ItemSize.of(value) > maximumSortKeyBytes {
            return .validation("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes")
        }
        return nil
    }

    /// The encoded key when the item has well-typed key attributes; nil otherwise (no validation messages).
    package func encodedKeyIfValid(of item: Item) -> EncodedKey? {
        if isMultiAttribute { return encodedTupleKeyIfValid(of: item) }
        guard let partition = item[partitionKey.name], partition.scalarType == partitionKey.type else { return nil }
        var sortBytes: [UInt8] = []
        if let sortKey {
            guard let sort = item[sortKey.name], sort.scalarType == sortKey.type else { return nil }
            sortBytes = KeyEncoding.encode(sort)
        }
        return EncodedKey(partition: KeyEncoding.encode(partition), sort: sortBytes)
    }
}

/// A key that breaks DynamoDB's key rules, with the message DynamoDB answers.
package struct KeyViolation: Error, Sendable {
    package enum Kind: Sendable {
        /// Missing, mistyped or extra key attributes: the key does not match the schema.
        case mismatch
        /// A value no key may hold: empty, or over the size limit.
        case invalidValue
    }

    package var kind: Kind
    package var error: DynamoError

    package init(_ kind: Kind, _ error: DynamoError) {
        self.kind = kind
        self.error = error
    }
}

extension AttributeValue {
    /// The scalar key type of this value, nil for non-key types.
    package var scalarType: ScalarAttributeType? {
        switch self {
        case .s: return .s
        case .n: return .n
        case .b: return .b
        default: return nil
        }
    }
}
