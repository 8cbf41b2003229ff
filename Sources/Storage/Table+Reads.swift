import DynamoModel

/// Query and Scan reads. Items are copied out under the shard lock in bounded batches, so a long read never blocks
/// writers for long, and a read resumes after the last key it returned: an item present for the whole read is
/// returned exactly once, even under concurrent writes.
extension Table {
    /// Items copied out per lock acquisition.
    static let readBatchSize = 256

    /// Walks one partition's items in sort order (or reverse) within `sortRange`, strictly after
    /// `exclusiveStartSort` when given, until `visit` returns false.
    package func query(partition: [UInt8], sortRange: SortKeyRange, forward: Bool, exclusiveStartSort: [UInt8]? = nil,
                       _ visit: (EncodedKey, Item) -> Bool) {
        queryStored(partition: partition, sortRange: sortRange, forward: forward,
                    exclusiveStartSort: exclusiveStartSort) { visit($0.key, $0.item) }
    }

    /// `query`, visiting items in their packed form (decoding is the visitor's choice).
    package func queryStored(partition: [UInt8], sortRange: SortKeyRange, forward: Bool,
                             exclusiveStartSort: [UInt8]? = nil, _ visit: (StoredItem) -> Bool) {
        let hash = ItemKeyLayout.hash(partition)
        let prefix = ItemKeyLayout.partitionPrefix(partition, hash: hash)
        func key(_ sort: [UInt8]) -> [UInt8] { prefix + sort }
        // Bounds on the composite key, and the prefix every visited key must have.
        var lower: (key: [UInt8], inclusive: Bool)?
        var upper: (key: [UInt8], inclusive: Bool)?
        var required = prefix
        switch sortRange {
        case .all: break
        case .equal(let value): lower = (key(value), true); upper = (key(value), true)
        case .less(let value): upper = (key(value), false)
        case .lessOrEqual(let value): upper = (key(value), true)
        case .greater(let value): lower = (key(value), false)
        case .greaterOrEqual(let value): lower = (key(value), true)
        case .between(let low, let high): lower = (key(low), true); upper = (key(high), true)
        case .beginsWith(let value): required = key(value)
        }
        if let exclusiveStartSort {
            let start = key(exclusiveStartSort)
            if forward {
                if lower == nil || !BTree<StoredItem>.less(start, lower?.key ?? []) { lower = (start, false) }
            } else {
                if upper == nil || BTree<StoredItem>.less(start, upper?.key ?? []) { upper = (start, false) }
            }
        }
        KeyRangeWalk(required: required, lower: lower, upper: upper)
            .run(on: shards[shardIndex(forHash: hash)], forward: forward, batchSize: Self.readBatchSize, visit)
    }

    /// The hash range [lower, upper) of a parallel-scan segment; upper nil means the end of the hash space.
    package static func hashRange(segment: Int, totalSegments: Int) -> (lower: UInt64, upper: UInt64?) {
        func boundary(_ index: Int) -> UInt64? {
            if index >= totalSegments { return nil }
            return UInt64((UInt128(index) << 64) / UInt128(totalSegments))
        }
        return (boundary(segment) ?? 0, boundary(segment + 1))
    }

    /// Walks the items of one parallel-scan segment in hash order, strictly after `exclusiveStart` when given,
    /// until `visit` returns false. Each batch is copied with all of the segment's shards locked at once, so a
    /// batch (and so a small table's whole scan) is a consistent snapshot: it never shows half of a transaction.
    package func scan(segment: Int = 0, totalSegments: Int = 1, exclusiveStart: EncodedKey? = nil,
                      _ visit: (EncodedKey, Item) -> Bool) {
        scanStored(segment: segment, totalSegments: totalSegments, exclusiveStart: exclusiveStart) {
            visit($0.key, $0.item)
        }
    }

    /// `scan`, visiting items in their packed form (decoding is the visitor's choice).
    package func scanStored(segment: Int = 0, totalSegments: Int = 1, exclusiveStart: EncodedKey? = nil,
                            _ visit: (StoredItem) -> Bool) {
        let range = Self.hashRange(segment: segment, totalSegments: totalSegments)
        var start: BTree<StoredItem>.Start = .key(ItemKeyLayout.hashPrefix(range.lower), inclusive: true)
        var startKey = ItemKeyLayout.hashPrefix(range.lower)
        if let exclusiveStart {
            let composite = ItemKeyLayout.composite(exclusiveStart)
            if ItemKeyLayout.hash(ofComposite: composite) >= range.lower {
                start = .key(composite, inclusive: false)
                startKey = composite
            }
        }
        var shardIndex = self.shardIndex(forHash: ItemKeyLayout.hash(ofComposite: startKey))
        let lastShard = range.upper.map { self.shardIndex(forHash: $0 &- 1) } ?? shards.count - 1
        while shardIndex <= lastShard {
            var batch: [StoredItem] = []
            var resume: (shard: Int, start: BTree<StoredItem>.Start)?
            var reachedEnd = false
            let locked = (shardIndex...lastShard).map { (self, $0) }
            Transactions.withLockedShards(locked) { states in
                var current = shardIndex
                var from = start
                while current <= lastShard {
                    var last: [UInt8]?
                    states[shardKey(current)]?.pointee.tree.forEach(from: from, forward: true) { composite, stored in
                        if let upper = range.upper, ItemKeyLayout.hash(ofComposite: composite) >= upper {
                            reachedEnd = true
                            return false
                        }
                        batch.append(stored)
                        last = composite
                        return batch.count < Self.readBatchSize
                    }
                    if reachedEnd { return }
                    if batch.count >= Self.readBatchSize, let last {
                        resume = (current, .key(last, inclusive: false))
                        return
                    }
                    current += 1
                    from = .end
                }
            }
            for stored in batch where !visit(stored) { return }
            guard !reachedEnd, let resume else { return }
            shardIndex = resume.shard
            start = resume.start
        }
    }
}
