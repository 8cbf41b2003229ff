import DynamoModel

/// A bounded walk over one shard's B-tree, shared by Query on tables and on indexes: the keys that start with
/// `required` and lie within the optional bounds, forward or backward, copied out under the shard lock in batches
/// and resumed strictly after the last key of each batch.
struct KeyRangeWalk {
    var required: [UInt8]
    var lower: (key: [UInt8], inclusive: Bool)?
    var upper: (key: [UInt8], inclusive: Bool)?

    /// Where the walk begins in the given direction.
    func start(forward: Bool) -> BTree<StoredItem>.Start {
        if forward { return lower.map { .key($0.key, inclusive: $0.inclusive) } ?? .key(required, inclusive: true) }
        if let upper { return .key(upper.key, inclusive: upper.inclusive) }
        if let successor = ItemKeyLayout.successor(ofPrefix: required) { return .key(successor, inclusive: false) }
        return .end
    }

    /// Whether a key the walk reaches is still inside the range (the walk stops at the first one that is not).
    func contains(_ composite: [UInt8], forward: Bool) -> Bool {
        guard composite.starts(with: required) else { return false }
        if forward, let upper {
            return upper.inclusive ? !BTree<StoredItem>.less(upper.key, composite) : BTree<StoredItem>.less(composite, upper.key)
        }
        if !forward, let lower {
            return lower.inclusive ? !BTree<StoredItem>.less(composite, lower.key) : BTree<StoredItem>.less(lower.key, composite)
        }
        return true
    }

    /// Visits the range until `visit` returns false; no lock is held while `visit` runs.
    func run(on shard: Shard, forward: Bool, batchSize: Int, _ visit: (StoredItem) -> Bool) {
        var position = start(forward: forward)
        while true {
            var batch: [StoredItem] = []
            var lastKey: [UInt8]?
            shard.state.withReadLock { state in
                state.tree.forEach(from: position, forward: forward) { composite, stored in
                    guard contains(composite, forward: forward) else { return false }
                    batch.append(stored)
                    lastKey = composite
                    return batch.count < batchSize
                }
            }
            for stored in batch where !visit(stored) { return }
            guard batch.count == batchSize, let lastKey else { return }
            position = .key(lastKey, inclusive: false)
        }
    }
}
