import DynamoModel

/// Secondary indexes of a table: maintenance under the base shard lock, creation with backfill, removal, reads.
extension Table {
    /// Keeps every index in step with one item's change. Called with the item's base shard locked, so an index
    /// never misses or reorders an update.
    func maintainIndexes(key: EncodedKey, old: Item?, new: Item?) {
        let indexes = indexState.withLock { $0 }
        for index in indexes { index.update(key: key, old: old, new: new) }
        guard hasLocalIndexes else { return }
        var delta = (new.map(ItemSize.of) ?? 0) - (old.map(ItemSize.of) ?? 0)
        for index in indexes where !index.projection.isGlobal {
            delta += (new.map { ItemSize.of(index.projection.project($0, tableKey: keySchema)) } ?? 0)
                - (old.map { ItemSize.of(index.projection.project($0, tableKey: keySchema)) } ?? 0)
        }
        collectionSizes.withLock { sizes in
            let size = (sizes[key.partition] ?? 0) + delta
            sizes[key.partition] = size > 0 ? size : nil
        }
    }

    /// The size of one partition's item collection (items plus their local-index entries), in bytes.
    package func itemCollectionSize(partition: [UInt8]) -> Int {
        collectionSizes.withLock { $0[partition] ?? 0 }
    }

    /// The index with this name.
    package func index(named name: String) -> SecondaryIndex? {
        indexState.withLock { $0.first { $0.name == name } }
    }

    /// Registers a new index (maintained for every write from now on) and fills it from existing items, one shard
    /// batch at a time under that shard's lock, so writes during the backfill are never lost or overwritten.
    package func addIndex(_ definition: IndexDefinition) -> SecondaryIndex {
        let index = SecondaryIndex(definition: definition, tableKey: keySchema, shardCount: shards.count)
        indexState.withLock { $0 = $0 + [index] }
        return index
    }

    /// Fills `index` from the table's items.
    package func backfill(_ index: SecondaryIndex) {
        for shard in shards {
            var start: BTree<StoredItem>.Start = .end
            while true {
                var last: [UInt8]?
                var count = 0
                shard.state.withLock { state in
                    state.tree.forEach(from: start, forward: true) { composite, stored in
                        index.update(key: stored.key, old: nil, new: stored.item)
                        last = composite
                        count += 1
                        return count < Self.readBatchSize
                    }
                }
                guard count == Self.readBatchSize, let last else { break }
                start = .key(last, inclusive: false)
            }
        }
    }

    /// Stops maintaining and drops an index.
    package func removeIndex(named name: String) {
        indexState.withLock { $0 = $0.filter { $0.name != name } }
    }

    /// Walks one index partition in index-sort order (then table-key order), or reverse, within `sortRange`,
    /// strictly after the entry `exclusiveStart` (an entry key from `entryKey(of:tableKey:)`) when given.
    /// The visitor gets the table key and the projected item.
    package func queryIndex(_ index: SecondaryIndex, partition: [UInt8], sortRange: SortKeyRange, forward: Bool,
                            exclusiveStart: [UInt8]? = nil, _ visit: (EncodedKey, Item) -> Bool) {
        let prefix = index.partitionPrefix(partition)
        func bound(_ sort: [UInt8]) -> [UInt8] { prefix + index.sortComponent(sort) }
        func after(_ sort: [UInt8]) -> [UInt8] { ItemKeyLayout.successor(ofPrefix: bound(sort)) ?? bound(sort) }
        var lower: (key: [UInt8], inclusive: Bool)?
        var upper: (key: [UInt8], inclusive: Bool)?
        var required = prefix
        switch sortRange {
        case .all: break
        case .equal(let value): required = bound(value)
        case .less(let value): upper = (bound(value), false)
        case .lessOrEqual(let value): upper = (after(value), false)
        case .greater(let value): lower = (after(value), true)
        case .greaterOrEqual(let value): lower = (bound(value), true)
        case .between(let low, let high): lower = (bound(low), true); upper = (after(high), false)
        case .beginsWith(let value): required = prefix + SecondaryIndex.escaped(value)
        }
        if let exclusiveStart {
            if forward { lower = (exclusiveStart, false) } else { upper = (exclusiveStart, false) }
        }
        let shard = index.shards[index.shardIndex(forHash: ItemKeyLayout.hash(partition))]
        KeyRangeWalk(required: required, lower: lower, upper: upper)
            .run(on: shard, forward: forward, batchSize: Self.readBatchSize) { visit($0.key, $0.item) }
    }

    /// Walks one parallel-scan segment of an index in hash order, strictly after the entry `exclusiveStart`.
    package func scanIndex(_ index: SecondaryIndex, segment: Int = 0, totalSegments: Int = 1, exclusiveStart: [UInt8]? = nil,
                           _ visit: (EncodedKey, Item) -> Bool) {
        let range = Self.hashRange(segment: segment, totalSegments: totalSegments)
        var start: BTree<StoredItem>.Start = .key(ItemKeyLayout.hashPrefix(range.lower), inclusive: true)
        var startKey = ItemKeyLayout.hashPrefix(range.lower)
        if let exclusiveStart, ItemKeyLayout.hash(ofComposite: exclusiveStart) >= range.lower {
            start = .key(exclusiveStart, inclusive: false)
            startKey = exclusiveStart
        }
        var shardIndex = index.shardIndex(forHash: ItemKeyLayout.hash(ofComposite: startKey))
        while shardIndex < index.shards.count {
            while true {
                var batch: [StoredItem] = []
                var lastKey: [UInt8]?
                var reachedEnd = false
                index.shards[shardIndex].state.withReadLock { state in
                    state.tree.forEach(from: start, forward: true) { composite, stored in
                        if let upper = range.upper, ItemKeyLayout.hash(ofComposite: composite) >= upper {
                            reachedEnd = true
                            return false
                        }
                        batch.append(stored)
                        lastKey = composite
                        return batch.count < Self.readBatchSize
                    }
                }
                for stored in batch where !visit(stored.key, stored.item) { return }
                if reachedEnd { return }
                guard batch.count == Self.readBatchSize, let lastKey else { break }
                start = .key(lastKey, inclusive: false)
            }
            shardIndex += 1
            start = .end
        }
    }
}
