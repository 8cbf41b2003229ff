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
package struct KeySchema: Sendable, Hashable {
    package var partitionKey: KeyAttribute
    package var sortKey: KeyAttribute?

    package init(partitionKey: KeyAttribute, sortKey: KeyAttribute? = nil) {
        self.partitionKey = partitionKey
        self.sortKey = sortKey
    }

    /// Names of the key attributes, partition key first.
    package var attributeNames: [String] {
        if let sortKey { return [partitionKey.name, sortKey.name] }
        return [partitionKey.name]
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
