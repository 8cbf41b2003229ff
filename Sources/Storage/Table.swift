import DynamoModel
import Locking

/// One table: its definition and its items in shards chosen by partition-key hash.
///
/// Thread safety: the definition and each shard behind their own readers–writer locks; the change-log sequence
/// behind `changeLog`. Lock order: catalog → shard → changeLog. Reads copy items out under the shard lock.
/// Invariants: change records of a table carry strictly increasing sequence numbers and reach the sink in that
/// order, because sequence allocation and the sink call happen together under `changeLog`.
package final class Table: Sendable {
    package let namespace: Namespace
    /// Fixed at creation: the hot path reads it without a lock.
    package let keySchema: KeySchema
    package let name: String
    package let tableId: String
    let shards: [Shard]
    private let shardBits: Int
    private let definitionState: ReadWriteLock<DefinitionSnapshot>
    private let changeLog: Lock<UInt64>
    private let changeSink: (any ChangeSink)?
    private let clock: @Sendable () -> Double
    /// The table's secondary indexes (the list is replaced, never mutated in place, when indexes come and go).
    let indexState: Lock<[SecondaryIndex]>
    /// Local indexes exist only from creation on; with them, DynamoDB limits each partition's item collection.
    package let hasLocalIndexes: Bool
    /// Item-collection sizes per partition key (tables with local indexes only): base items plus local index entries.
    let collectionSizes: Lock<[[UInt8]: Int]>

    package init(definition: TableDefinition, namespace: Namespace, shardCount: Int, changeSink: (any ChangeSink)?,
                 nodeCapacity: Int = 64, clock: @escaping @Sendable () -> Double = { 0 }) {
        precondition(shardCount > 0 && shardCount & (shardCount - 1) == 0, "shardCount must be a power of two")
        self.namespace = namespace
        keySchema = definition.keySchema
        name = definition.name
        tableId = definition.tableId
        shards = (0..<shardCount).map { _ in Shard(nodeCapacity: nodeCapacity) }
        shardBits = shardCount.trailingZeroBitCount
        definitionState = ReadWriteLock(DefinitionSnapshot(definition))
        changeLog = Lock(0)
        hasLocalIndexes = !definition.localSecondaryIndexes.isEmpty
        collectionSizes = Lock([:])
        indexState = Lock(definition.allIndexes.map {
            SecondaryIndex(definition: $0, tableKey: definition.keySchema, shardCount: shardCount)
        })
        self.changeSink = changeSink
        self.clock = clock
    }

    /// A copy of the current definition.
    package var definition: TableDefinition { definitionSnapshot.value }

    /// The current definition, shared: one reference to hold rather than a copy of every field (item operations
    /// read a few fields of it on every request).
    package var definitionSnapshot: DefinitionSnapshot { definitionState.withReadLock { $0 } }

    /// The table's status, without copying the definition (item operations check it on every request).
    package var status: TableStatus { definitionState.withReadLock { $0.value.status } }

    /// Changes the definition atomically; the closure may throw to refuse the change.
    package func updateDefinition<E: Error>(_ body: (inout TableDefinition) throws(E) -> Void) throws(E) {
        try definitionState.withLock { (snapshot: inout DefinitionSnapshot) throws(E) in
            var definition = snapshot.value
            try body(&definition)
            snapshot = DefinitionSnapshot(definition)
            changeSink?.tableDefinitionChanged(definition, in: namespace)
        }
    }

    /// Recovery only: replaces the definition without logging it again, adding (and filling) or dropping indexes
    /// to match it.
    package func restoreDefinition(_ definition: TableDefinition) {
        definitionState.withLock { $0 = DefinitionSnapshot(definition) }
        let wanted = definition.allIndexes
        let present = indexState.withLock { $0.map(\.name) }
        for index in present where !wanted.contains(where: { $0.name == index }) { removeIndex(named: index) }
        for index in wanted where !present.contains(index.name) { backfill(addIndex(index)) }
    }

    /// Recovery only: sets an item (or removes it, for nil) without producing a change record, and advances the
    /// table's sequence to at least `sequence`.
    package func restore(_ key: EncodedKey, item: Item?, sequence: UInt64) {
        let hash = ItemKeyLayout.hash(key.partition)
        var composite = ItemKeyLayout.partitionPrefix(key.partition, hash: hash)
        composite.append(contentsOf: key.sort)
        shards[shardIndex(forHash: hash)].state.withLock { state in
            let size = item.map(ItemSize.of) ?? 0
            let old: StoredItem?
            if let item {
                old = state.tree.insert(StoredItem(key: key, item: item, sizeInBytes: size), for: composite)
            } else {
                old = state.tree.remove(composite)
            }
            state.sizeInBytes += size - (old?.sizeInBytes ?? 0)
            maintainIndexes(key: key, old: old?.item, new: item)
        }
        changeLog.withLock { $0 = max($0, sequence) }
    }

    /// The encoded primary key of an item, or nil when the item lacks a key attribute or has the wrong type.
    package func encodedKey(of item: Item) -> EncodedKey? { keySchema.encodedKeyIfValid(of: item) }

    /// The shard that holds a partition with this hash.
    func shardIndex(forHash hash: UInt64) -> Int {
        shardBits == 0 ? 0 : Int(hash >> UInt64(64 - shardBits))
    }

    /// The item stored under `key`, if any.
    package func getItem(_ key: EncodedKey) -> Item? {
        storedItem(key)?.item
    }

    /// The item stored under `key` in its packed form (for answers that need only its JSON and size).
    package func storedItem(_ key: EncodedKey) -> StoredItem? {
        let hash = ItemKeyLayout.hash(key.partition)
        var composite = ItemKeyLayout.partitionPrefix(key.partition, hash: hash)
        composite.append(contentsOf: key.sort)
        return shards[shardIndex(forHash: hash)].state.withReadLock { $0.tree.value(for: composite) }
    }

    /// Reads the current item and writes what `body` decides, atomically under the shard lock. Appends one change
    /// record when something changed. When `body` throws, nothing changes.
    @discardableResult
    package func write<E: Error>(_ key: EncodedKey, origin: ChangeOrigin = .request,
                                 _ body: (Item?) throws(E) -> WriteDecision) throws(E) -> WriteOutcome {
        let hash = ItemKeyLayout.hash(key.partition)
        var composite = ItemKeyLayout.partitionPrefix(key.partition, hash: hash)
        composite.append(contentsOf: key.sort)
        let shard = shards[shardIndex(forHash: hash)]
        return try shard.state.withLock { (state: inout Shard.State) throws(E) -> WriteOutcome in
            let current = state.tree.value(for: composite)
            let currentItem = current?.item
            let decision = try body(currentItem)
            let newItem: Item?
            switch decision {
            case .unchanged:
                return WriteOutcome(oldItem: currentItem, newItem: currentItem)
            case .put(let item):
                let size = ItemSize.of(item)
                state.tree.insert(StoredItem(key: key, item: item, sizeInBytes: size), for: composite)
                state.sizeInBytes += size - (current?.sizeInBytes ?? 0)
                newItem = item
            case .delete:
                guard let current else { return WriteOutcome(oldItem: nil, newItem: nil) }
                state.tree.remove(composite)
                state.sizeInBytes -= current.sizeInBytes
                newItem = nil
            }
            maintainIndexes(key: key, old: currentItem, new: newItem)
            record(key: key, oldImage: currentItem, newImage: newItem, origin: origin)
            return WriteOutcome(oldItem: currentItem, newItem: newItem)
        }
    }

    /// Where an item lives: its shard and composite key.
    func location(of key: EncodedKey) -> (shard: Int, composite: [UInt8]) {
        let hash = ItemKeyLayout.hash(key.partition)
        var composite = ItemKeyLayout.partitionPrefix(key.partition, hash: hash)
        composite.append(contentsOf: key.sort)
        return (shardIndex(forHash: hash), composite)
    }

    func shardKey(_ shard: Int) -> ShardKey { ShardKey(tableId: tableId, shard: shard) }

    var changeSinkForTransactions: (any ChangeSink)? { changeSink }

    /// Allocates a sequence number for a transaction's change. Called under the shard lock.
    func makeRecord(_ draft: ChangeRecordDraft) -> ChangeRecord {
        changeLog.withLock { sequence in
            sequence += 1
            return ChangeRecord(namespace: namespace, tableName: name, tableId: tableId, key: draft.key,
                                oldImage: draft.oldImage, newImage: draft.newImage, sequenceNumber: sequence,
                                timestamp: clock())
        }
    }

    /// Allocates the next sequence number and hands the record to the sink, in order. Called under a shard lock.
    private func record(key: EncodedKey, oldImage: Item?, newImage: Item?, origin: ChangeOrigin) {
        changeLog.withLock { sequence in
            sequence += 1
            guard let changeSink else { return }
            changeSink.append(ChangeRecord(namespace: namespace, tableName: name, tableId: tableId, key: key,
                                           oldImage: oldImage, newImage: newImage, sequenceNumber: sequence,
                                           timestamp: clock(), origin: origin))
        }
    }

    /// The last sequence number allocated.
    package var lastSequenceNumber: UInt64 { changeLog.withLock { $0 } }

    /// Number of items (exact and live; DynamoDB's is refreshed about every six hours).
    package var itemCount: Int { shards.reduce(0) { total, shard in total + shard.state.withLock { $0.tree.count } } }

    /// Total item size in bytes by DynamoDB's rules.
    package var sizeInBytes: Int { shards.reduce(0) { total, shard in total + shard.state.withLock { $0.sizeInBytes } } }
}

/// An immutable table definition behind one reference (see `Table.definitionSnapshot`).
package final class DefinitionSnapshot: Sendable {
    package let value: TableDefinition

    init(_ value: TableDefinition) { self.value = value }
}
