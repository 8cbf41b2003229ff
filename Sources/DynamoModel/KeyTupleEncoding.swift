/// Byte form of one side (HASH or RANGE) of a multi-attribute global-index key.
///
/// tuple := (escaped(encode(v₁)) · 0x00 0x00) · … · (escaped(encode(vₙ)) · 0x00 0x00)   one per attribute, in order
/// escaped(b) writes each 0x00 byte of b as 0x00 0xFF (see `KeyEncoding` for encode).
///
/// Inside a component a 0x00 byte is always followed by 0xFF, so the terminator 0x00 0x00 sorts below every
/// continuation: tuples compare attribute by attribute, which is DynamoDB's order for a multi-attribute sort key
/// (the first RANGE attribute, then the second, …), and a tuple's first k components are a byte prefix of it, so
/// a Query that fixes the first k RANGE attributes reads one contiguous run. A side with a single attribute keeps
/// the plain `KeyEncoding` bytes, so indexes of one HASH and at most one RANGE attribute are stored as before.
package enum KeyTupleEncoding {
    /// Appends one component: the escaped value bytes and the terminator.
    package static func appendComponent(_ encoded: [UInt8], to output: inout [UInt8]) {
        appendEscaped(encoded, to: &output)
        output.append(0)
        output.append(0)
    }

    /// Appends `bytes` with each 0x00 written as 0x00 0xFF (no terminator: a prefix for `begins_with`).
    package static func appendEscaped(_ bytes: [UInt8], to output: inout [UInt8]) {
        for byte in bytes {
            output.append(byte)
            if byte == 0 { output.append(0xFF) }
        }
    }

    /// The tuple of already encoded values.
    package static func tuple(_ encodedValues: [[UInt8]]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(encodedValues.reduce(0) { $0 + $1.count + 2 })
        for value in encodedValues { appendComponent(value, to: &output) }
        return output
    }
}

extension KeySchema {
    /// The encoded key of a multi-attribute schema, or nil when the item lacks one of the key attributes or holds one
    /// with another type (such an item is not in the index: a sparse index). Each side is a `KeyTupleEncoding` tuple
    /// when it has several attributes, the plain encoding when it has one, and empty without RANGE attributes.
    func encodedTupleKeyIfValid(of item: Item) -> EncodedKey? {
        func side(_ attributes: [KeyAttribute]) -> [UInt8]? {
            if attributes.count == 1 {
                guard let value = item[attributes[0].name], value.scalarType == attributes[0].type else { return nil }
                return KeyEncoding.encode(value)
            }
            var output: [UInt8] = []
            for attribute in attributes {
                guard let value = item[attribute.name], value.scalarType == attribute.type else { return nil }
                KeyTupleEncoding.appendComponent(KeyEncoding.encode(value), to: &output)
            }
            return output
        }
        guard let partition = side(partitionKeys), let sort = side(sortKeys) else { return nil }
        return EncodedKey(partition: partition, sort: sort)
    }

    /// True when every index key attribute of `item` could be stored as a key: not empty, and within DynamoDB's key
    /// size limits (2048 bytes for each HASH attribute, 1024 for each RANGE attribute). DynamoDB leaves an item
    /// that fails this out of an index being backfilled rather than failing the backfill ("Detecting and correcting
    /// index key violations"); new writes with such values are refused by the write path's item rules instead.
    package func indexKeyValuesAreStorable(in item: Item) -> Bool {
        func storable(_ attribute: KeyAttribute, limit: Int) -> Bool {
            guard let value = item[attribute.name] else { return true }
            switch value {
            case .s(let text) where text.isEmpty: return false
            case .b(let bytes) where bytes.isEmpty: return false
            default: return ItemSize.of(value) <= limit
            }
        }
        if !storable(partitionKey, limit: Self.maximumPartitionKeyBytes) { return false }
        for attribute in additionalPartitionKeys where !storable(attribute, limit: Self.maximumPartitionKeyBytes) {
            return false
        }
        if let sortKey, !storable(sortKey, limit: Self.maximumSortKeyBytes) { return false }
        for attribute in additionalSortKeys where !storable(attribute, limit: Self.maximumSortKeyBytes) { return false }
        return true
    }
}
