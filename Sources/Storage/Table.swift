import DynamoModel

/// One table: its definition and its items in shards. TODO(storage helper): implement.
///
/// Thread safety: the definition behind its own Mutex; each shard behind its own Mutex.
package final class Table: Sendable {
    package let namespace: Namespace

    package init(definition: TableDefinition, namespace: Namespace, shardCount: Int,
                 changeSink: (any ChangeSink)?) {
        self.namespace = namespace
    }

    /// A copy of the current definition.
    package var definition: TableDefinition { fatalError("TODO") }

    /// Changes the definition atomically; the closure may throw to refuse the change.
    package func updateDefinition<E: Error>(_ body: (inout TableDefinition) throws(E) -> Void) throws(E) {}

    /// The encoded primary key of an item, or nil when the item lacks a key attribute or has the wrong type.
    package func encodedKey(of item: Item) -> EncodedKey? { nil }

    /// The item stored under `key`, if any.
    package func getItem(_ key: EncodedKey) -> Item? { nil }

    /// Reads the current item and writes what `body` decides, atomically under the shard lock. Appends one
    /// change record when something changed.
    @discardableResult
    package func write<E: Error>(_ key: EncodedKey, _ body: (Item?) throws(E) -> WriteDecision) throws(E)
        -> WriteOutcome
    {
        WriteOutcome(oldItem: nil, newItem: nil)
    }

    /// Number of items (exact; DynamoDB's is refreshed every six hours, ours is live).
    package var itemCount: Int { 0 }

    /// Total item size in bytes by DynamoDB's rules.
    package var sizeInBytes: Int { 0 }
}
