/// The scalar types a key attribute may have.
package enum ScalarAttributeType: String, Sendable, Hashable, CaseIterable {
    case s = "S"
    case n = "N"
    case b = "B"
}

/// One key attribute: its name and type.
package struct KeyAttribute: Sendable, Hashable {
    package var name: String
    package var type: ScalarAttributeType

    package init(name: String, type: ScalarAttributeType) {
        self.name = name
        self.type = type
    }
}

/// A table's or index's primary key: a partition (HASH) key and an optional sort (RANGE) key.
///
/// A global secondary index may have a multi-attribute key (DynamoDB, November 2025): up to four HASH and four RANGE
/// attributes. `partitionKey` and `sortKey` are then the first of each, and the rest follow in key-schema order in
/// `additionalPartitionKeys` / `additionalSortKeys` (empty arrays for every table and local index, so a single-
/// attribute schema allocates nothing more than before).
///
/// Invariants: `additionalSortKeys` is empty when `sortKey` is nil; no attribute name appears twice.
package struct KeySchema: Sendable, Hashable {
    package var partitionKey: KeyAttribute
    package var sortKey: KeyAttribute?
    /// The HASH attributes after the first, in key-schema order (multi-attribute GSI keys only).
    package var additionalPartitionKeys: [KeyAttribute] = []
    /// The RANGE attributes after the first, in key-schema order (multi-attribute GSI keys only).
    package var additionalSortKeys: [KeyAttribute] = []

    /// DynamoDB's limit on the HASH attributes, and separately on the RANGE attributes, of a global index key.
    package static let maximumAttributesPerKeySide = 4

    package init(partitionKey: KeyAttribute, sortKey: KeyAttribute? = nil) {
        self.partitionKey = partitionKey
        self.sortKey = sortKey
    }

    /// A schema of one or more HASH attributes and zero or more RANGE attributes, each list in key-schema order.
    /// - Precondition: `partitionKeys` is not empty.
    package init(partitionKeys: [KeyAttribute], sortKeys: [KeyAttribute]) {
        precondition(!partitionKeys.isEmpty, "a key schema has at least one HASH attribute")
        partitionKey = partitionKeys[0]
        additionalPartitionKeys = Array(partitionKeys.dropFirst())
        sortKey = sortKeys.first
        additionalSortKeys = Array(sortKeys.dropFirst())
    }

    /// Every HASH attribute, in key-schema order.
    package var partitionKeys: [KeyAttribute] { [partitionKey] + additionalPartitionKeys }

    /// Every RANGE attribute, in key-schema order (empty without a sort key).
    package var sortKeys: [KeyAttribute] {
        guard let sortKey else { return [] }
        return [sortKey] + additionalSortKeys
    }

    /// Every key attribute: all HASH attributes, then all RANGE attributes, in key-schema order. The item rules
    /// check each of these on every write (type, emptiness, length).
    package var keyAttributes: [KeyAttribute] { partitionKeys + sortKeys }

    /// True when either side of the key has more than one attribute.
    package var isMultiAttribute: Bool { !additionalPartitionKeys.isEmpty || !additionalSortKeys.isEmpty }

    /// Names of the key attributes: all HASH attributes, then all RANGE attributes.
    package var attributeNames: [String] {
        if !isMultiAttribute {
            if let sortKey { return [partitionKey.name, sortKey.name] }
            return [partitionKey.name]
        }
        return keyAttributes.map(\.name)
    }
}

/// An item's primary key in order-preserving byte form (see `KeyEncoding`).
package struct EncodedKey: Sendable, Hashable, Comparable {
    package var partition: [UInt8]
    /// Empty for tables without a sort key.
    package var sort: [UInt8]

    package init(partition: [UInt8], sort: [UInt8]) {
        self.partition = partition
        self.sort = sort
    }

    package static func < (lhs: EncodedKey, rhs: EncodedKey) -> Bool {
        if lhs.partition != rhs.partition { return lhs.partition.lexicographicallyPrecedes(rhs.partition) }
        return lhs.sort.lexicographicallyPrecedes(rhs.sort)
    }
}
