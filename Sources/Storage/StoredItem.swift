import DynamoModel
import JSON

/// An item as a B-tree holds it: its key, its attributes and its size packed into one byte array.
///
/// Why packed: a decoded `Item` is a dictionary with a heap box per attribute value and per number, about five
/// times the item's own size; one array per item keeps a million 200-byte items in a few hundred megabytes. Reads
/// decode (a few hundred nanoseconds per item); writes encode once, under the shard lock.
///
/// packed := u32 size · bytes partition · bytes sort · item   (BinaryWriter's encodings)
package struct StoredItem: Sendable {
    private let packed: [UInt8]

    package init(key: EncodedKey, item: Item, sizeInBytes: Int) {
        var writer = BinaryWriter(sortsNames: true)
        writer.bytes.reserveCapacity(sizeInBytes + key.partition.count + key.sort.count + 8 * item.count + 16)
        writer.u32(UInt32(truncatingIfNeeded: sizeInBytes))
        writer.data(key.partition)
        writer.data(key.sort)
        writer.item(item)
        packed = writer.bytes
    }

    /// DynamoDB's size of the item (attribute names plus values).
    package var sizeInBytes: Int {
        var reader = BinaryReader(packed)
        return Int((try? reader.u32()) ?? 0)
    }

    /// The item's primary key.
    package var key: EncodedKey {
        var reader = BinaryReader(packed, offset: 4)
        guard let partition = try? reader.data(), let sort = try? reader.data() else {
            return EncodedKey(partition: [], sort: [])
        }
        return EncodedKey(partition: partition, sort: sort)
    }

    /// The item's attributes, decoded.
    package var item: Item {
        var reader = BinaryReader(packed, offset: 4)
        do {
            _ = try reader.take(Int(try reader.u32()))
            _ = try reader.take(Int(try reader.u32()))
            return try reader.item()
        } catch {
            // Only this type writes `packed`, so this is unreachable; an empty item beats a crash if it ever is.
            assertionFailure("a packed item failed to decode")
            return [:]
        }
    }

    /// The item as DynamoDB's JSON (`{"name":{"S":"x"},...}`, names sorted), written straight from the packed form:
    /// the same bytes as serializing `item.json`, without building the item or a tree of values.
    package var json: [UInt8] {
        let sortKeyOffset = 8 + (Self.u32(packed, at: 4) ?? 0)
        let itemOffset = sortKeyOffset + 4 + (Self.u32(packed, at: sortKeyOffset) ?? 0)
        if let json = PackedItemJSON.object(packed, at: itemOffset) { return json }
        // Only this type writes `packed`, so this is unreachable; the decoded path gives the same answer if it is.
        assertionFailure("a packed item failed to convert to JSON")
        return JSONWriter.serialize(item.json)
    }

    private static func u32(_ bytes: [UInt8], at offset: Int) -> Int? {
        guard offset >= 0, offset + 4 <= bytes.count else { return nil }
        return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
    }

    /// Bytes held, for memory accounting.
    package var packedCount: Int { packed.count }
}
