import DynamoModel

/// One write of a transaction: the item's table and key, and a decision taken on the current item once every
/// shard of the transaction is locked. A decision that fails cancels the whole transaction.
package struct TransactionWrite {
    package var table: Table
    package var key: EncodedKey
    package var decide: (Item?) -> Result<WriteDecision, DynamoError>

    package init(table: Table, key: EncodedKey, decide: @escaping (Item?) -> Result<WriteDecision, DynamoError>) {
        self.table = table
        self.key = key
        self.decide = decide
    }
}

/// How a transaction ended.
package enum TransactionOutcome {
    /// Every write applied, atomically; the outcomes in request order.
    case committed([WriteOutcome])
    /// Nothing applied; per write, why it failed (nil: it would have succeeded).
    case cancelled([DynamoError?])
}

/// Serializable multi-item operations: all shards involved are locked in one global order (table id, then shard
/// index), so transactions never deadlock with each other or with single-item writes (which lock one shard), and
/// no reader that locks the same way sees half of one.
///
/// Thread safety: the shards' own Mutexes, taken in the order above; the change-log lock is taken inside them,
/// as for single writes.
package enum Transactions {
    /// Checks every write's decision, then applies all of them or none. The change records of a committed
    /// transaction reach the sink together (one durable log record), so recovery never shows half of it.
    package static func write(_ writes: [TransactionWrite]) -> TransactionOutcome {
        let locations = writes.map { ($0.table, $0.table.location(of: $0.key)) }
        return withLockedShards(locations.map { ($0.0, $0.1.shard) }) { states in
            var decisions: [WriteDecision] = []
            var current: [(stored: StoredItem, item: Item)?] = []
            var failures: [DynamoError?] = []
            var failed = false
            for (index, write) in writes.enumerated() {
                let state = states[locations[index].0.shardKey(locations[index].1.shard)]
                let stored = state?.pointee.tree.value(for: locations[index].1.composite)
                let item = stored?.item
                current.append(stored.flatMap { stored in item.map { (stored, $0) } })
                switch write.decide(item) {
                case .success(let decision):
                    decisions.append(decision)
                    failures.append(nil)
                case .failure(let error):
                    decisions.append(.unchanged)
                    failures.append(error)
                    failed = true
                }
            }
            if failed { return .cancelled(failures) }
            var outcomes: [WriteOutcome] = []
            var records: [(Table, ChangeRecordDraft)] = []
            for (index, write) in writes.enumerated() {
                let (table, location) = locations[index]
                guard let state = states[table.shardKey(location.shard)] else { continue }
                let old = current[index]
                switch decisions[index] {
                case .unchanged:
                    outcomes.append(WriteOutcome(oldItem: old?.item, newItem: old?.item))
                case .put(let item):
                    let size = ItemSize.of(item)
                    state.pointee.tree.insert(StoredItem(key: write.key, item: item, sizeInBytes: size), for: location.composite)
                    state.pointee.sizeInBytes += size - (old?.stored.sizeInBytes ?? 0)
                    table.maintainIndexes(key: write.key, old: old?.item, new: item)
                    outcomes.append(WriteOutcome(oldItem: old?.item, newItem: item))
                    records.append((table, ChangeRecordDraft(key: write.key, oldImage: old?.item, newImage: item)))
                case .delete:
                    if let old {
                        state.pointee.tree.remove(location.composite)
                        state.pointee.sizeInBytes -= old.stored.sizeInBytes
                        table.maintainIndexes(key: write.key, old: old.item, new: nil)
                        records.append((table, ChangeRecordDraft(key: write.key, oldImage: old.item, newImage: nil)))
                    }
                    outcomes.append(WriteOutcome(oldItem: old?.item, newItem: nil))
                }
            }
            let changes = records.map { table, draft in table.makeRecord(draft) }
            if let sink = writes.first?.table.changeSinkForTransactions, !changes.isEmpty { sink.appendTransaction(changes) }
            return .committed(outcomes)
        }
    }

    /// Reads items under the locks of all their shards at once: a consistent snapshot across tables.
    package static func read(_ reads: [(Table, EncodedKey)]) -> [Item?] {
        let locations = reads.map { ($0.0, $0.0.location(of: $0.1)) }
        return withLockedShards(locations.map { ($0.0, $0.1.shard) }) { states in
            locations.map { table, location in
                states[table.shardKey(location.shard)]?.pointee.tree.value(for: location.composite)?.item
            }
        }
    }

    /// Locks the distinct shards in global order, runs `body` with pointers to their states, unlocks.
    /// The pointers are valid only inside `body`.
    static func withLockedShards<Value>(_ shards: [(Table, Int)],
                                        _ body: ([ShardKey: UnsafeMutablePointer<Shard.State>]) -> Value) -> Value {
        var unique: [ShardKey: Shard] = [:]
        for (table, index) in shards { unique[table.shardKey(index)] = table.shards[index] }
        let ordered = unique.keys.sorted()
        var pointers: [ShardKey: UnsafeMutablePointer<Shard.State>] = [:]
        func lock(_ position: Int) -> Value {
            guard position < ordered.count else { return body(pointers) }
            let key = ordered[position]
            guard let shard = unique[key] else { return lock(position + 1) }
            var result: Value?
            shard.state.withLock { state in
                withUnsafeMutablePointer(to: &state) { pointer in
                    pointers[key] = pointer
                    result = lock(position + 1)
                }
            }
            guard let result else { preconditionFailure("the locked body runs exactly once") }
            return result
        }
        return lock(0)
    }
}

/// A shard's place in the global lock order.
package struct ShardKey: Hashable, Comparable {
    var tableId: String
    var shard: Int

    package static func < (lhs: ShardKey, rhs: ShardKey) -> Bool {
        lhs.tableId == rhs.tableId ? lhs.shard < rhs.shard : lhs.tableId.utf8.lexicographicallyPrecedes(rhs.tableId.utf8)
    }
}

/// A change before its sequence number is allocated.
struct ChangeRecordDraft {
    var key: EncodedKey
    var oldImage: Item?
    var newImage: Item?
}
