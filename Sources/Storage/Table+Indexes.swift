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
        let bounds = Self.bounds(of: sortRange, base: prefix, bound: bound) { prefix + SecondaryIndex.escaped($0) }
        walkIndex(index, partition: partition, bounds: bounds, forward: forward, exclusiveStart: exclusiveStart, visit)
    }

    /// Walks one partition of an index whose sort key has several RANGE attributes (a multi-attribute key): the
    /// entries whose first RANGE attributes equal `sortPrefix` (each value's `KeyEncoding` bytes, in key-schema
    /// order) and whose next RANGE attribute is within `nextRange`, in sort-tuple order or reverse.
    package func queryIndex(_ index: SecondaryIndex, partition: [UInt8], sortPrefix: [[UInt8]], nextRange: SortKeyRange,
                            forward: Bool, exclusiveStart: [UInt8]? = nil, _ visit: (EncodedKey, Item) -> Bool) {
        // Entry keys hold escaped(tuple) · 0x00 0x00: escaping preserves order and prefixes, so the fixed components
        // form a byte prefix and one more component's bounds are computed on it.
        let base = index.partitionPrefix(partition) + SecondaryIndex.escaped(KeyTupleEncoding.tuple(sortPrefix))
        func bound(_ value: [UInt8]) -> [UInt8] { base + SecondaryIndex.escaped(KeyTupleEncoding.tuple([value])) }
        let bounds = Self.bounds(of: nextRange, base: base, bound: bound) { base + SecondaryIndex.escaped($0) }
        walkIndex(index, partition: partition, bounds: bounds, forward: forward, exclusiveStart: exclusiveStart, visit)
    }

    /// The entry-key bounds of a sort range: `bound(v)` is the first entry key whose sort part is `v`, `prefixed(v)`
    /// the bytes every entry whose sort part starts with `v` begins with.
    private static func bounds(of range: SortKeyRange, base: [UInt8], bound: ([UInt8]) -> [UInt8],
                               prefixed: ([UInt8]) -> [UInt8])
        -> (required: [UInt8], lower: (key: [UInt8], inclusive: Bool)?, upper: (key: [UInt8], inclusive: Bool)?)
    {
        func after(_ sort: [UInt8]) -> [UInt8] { ItemKeyLayout.successor(ofPrefix: bound(sort)) ?? bound(sort) }
        switch range {
        case .all: return (base, nil, nil)
        case .equal(let value): return (bound(value), nil, nil)
        case .less(let value): return (base, nil, (bound(value), false))
        case .lessOrEqual(let value): return (base, nil, (after(value), false))
        case .greater(let value): return (base, (after(value), true), nil)
        case .greaterOrEqual(let value): return (base, (bound(value), true), nil)
        case .between(let low, let high): return (base, (bound(low), true), (after(high), false))
        case .beginsWith(let value): return (prefixed(value), nil, nil)
        }
    }

    private func walkIndex(_ index: SecondaryIndex, partition: [UInt8],
                           bounds: (required: [UInt8], lower: (key: [UInt8], inclusive: Bool)?,
                                    upper: (key: [UInt8], inclusive: Bool)?),
                           forward: Bool, exclusiveStart: [UInt8]?, _ visit: (EncodedKey, Item) -> Bool) {
        var lower = bounds.lower
        var upper = bounds.upper
        if let exclusiveStart {
            if forward { lower = (exclusiveStart, false) } else { upper = (exclusiveStart, false) }
        }
        let shard = index.shards[index.shardIndex(forHash: ItemKeyLayout.hash(partition))]
        KeyRangeWalk(required: bounds.required, lower: lower, upper: upper)
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
