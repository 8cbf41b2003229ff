import DynamoModel
import Synchronization

/// One secondary index's entries: a sharded B-tree keyed by (index key, table key), holding projected items.
///
/// entry key := hash(indexPartition): u64be · length: u32be · indexPartition · escaped(indexSort) · 0x00 0x00
///              · tableKeyLength: u32be · tablePartition · tableSort          (sort part absent without a sort key)
/// escaped(b) writes each 0x00 byte as 0x00 0xFF, so the terminator 0x00 0x00 sorts below every continuation and
/// entries order by index sort key, then by table key. Index keys need not be unique; items without the index key
/// (or with a key of the wrong type) have no entry: the index is sparse.
/// For a multi-attribute key, indexPartition and indexSort are `KeyTupleEncoding` tuples of the HASH and RANGE
/// attributes (each side with one attribute keeps its plain bytes); an item missing any of them has no entry.
///
/// Thread safety: each shard behind its own Mutex, taken only while the base table's shard lock for the item is
/// held (or during a backfill batch); never two index shard locks at once.
package final class SecondaryIndex: Sendable {
    package let name: String
    package let keySchema: KeySchema
    let projection: IndexDefinition
    let tableKey: KeySchema
    let shards: [Shard]
    private let shardBits: Int

    init(definition: IndexDefinition, tableKey: KeySchema, shardCount: Int) {
        name = definition.name
        keySchema = definition.keySchema
        projection = definition
        self.tableKey = tableKey
        shards = (0..<shardCount).map { _ in Shard(nodeCapacity: 64) }
        shardBits = shardCount.trailingZeroBitCount
    }

    static func escaped(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 2)
        KeyTupleEncoding.appendEscaped(bytes, to: &output)
        return output
    }

    /// The bytes every entry of an index partition starts with.
    func partitionPrefix(_ partition: [UInt8]) -> [UInt8] {
        ItemKeyLayout.partitionPrefix(partition, hash: ItemKeyLayout.hash(partition))
    }

    /// The index sort bytes as they appear in entry keys (escaped, terminated); empty without a sort key.
    func sortComponent(_ sort: [UInt8]) -> [UInt8] {
        keySchema.sortKey == nil ? [] : Self.escaped(sort) + [0, 0]
    }

    /// The entry key of an item, or nil when the item is not in the index.
    package func entryKey(of item: Item, tableKey key: EncodedKey) -> (shard: Int, composite: [UInt8], indexKey: EncodedKey)? {
        guard let indexKey = keySchema.encodedKeyIfValid(of: item), keySchema.indexKeyValuesAreStorable(in: item) else {
            return nil
        }
        let hash = ItemKeyLayout.hash(indexKey.partition)
        var composite = ItemKeyLayout.partitionPrefix(indexKey.partition, hash: hash)
        composite.append(contentsOf: sortComponent(indexKey.sort))
        ItemKeyLayout.appendBigEndian(UInt32(truncatingIfNeeded: key.partition.count), to: &composite)
        composite.append(contentsOf: key.partition)
        composite.append(contentsOf: key.sort)
        return (shardIndex(forHash: hash), composite, indexKey)
    }

    func shardIndex(forHash hash: UInt64) -> Int {
        shardBits == 0 ? 0 : Int(hash >> UInt64(64 - shardBits))
    }

    /// Moves an item's entry from its old state to its new one. Called with the item's base shard locked.
    func update(key: EncodedKey, old: Item?, new: Item?) {
        let oldEntry = old.flatMap { entryKey(of: $0, tableKey: key) }
        let newEntry = new.flatMap { entryKey(of: $0, tableKey: key) }
        if let oldEntry, oldEntry.composite != newEntry?.composite {
            shards[oldEntry.shard].state.withLock { state in
                if let removed = state.tree.remove(oldEntry.composite) { state.sizeInBytes -= removed.sizeInBytes }
            }
        }
        if let newEntry, let new {
            let projected = projection.project(new, tableKey: tableKey)
            let size = ItemSize.of(projected)
            shards[newEntry.shard].state.withLock { state in
                let replaced = state.tree.insert(StoredItem(key: key, item: projected, sizeInBytes: size), for: newEntry.composite)
                state.sizeInBytes += size - (replaced?.sizeInBytes ?? 0)
            }
        }
    }

    /// Entries in the index.
    package var itemCount: Int { shards.reduce(0) { total, shard in total + shard.state.withLock { $0.tree.count } } }

    /// Size of the projected entries by DynamoDB's rules.
    package var sizeInBytes: Int { shards.reduce(0) { total, shard in total + shard.state.withLock { $0.sizeInBytes } } }
}
