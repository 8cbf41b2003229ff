import DynamoModel

/// One write, as the change log records it: the spine that durability, streams and replication consume.
package struct ChangeRecord: Sendable {
    package var namespace: Namespace
    package var tableName: String
    package var tableId: String
    package var key: EncodedKey
    /// The item before the write; nil when it did not exist.
    package var oldImage: Item?
    /// The item after the write; nil when the write deleted it.
    package var newImage: Item?
    /// Strictly increasing per table.
    package var sequenceNumber: UInt64
    /// Seconds since the epoch.
    package var timestamp: Double
    /// Who made the change: a request, or DynamoDB itself (Time to Live).
    package var origin: ChangeOrigin = .request
    /// The stream sequence number the table's stream gave this change (nil when no stream took it); the log then
    /// keeps the old image and this number too, so recovery rebuilds the stream record exactly.
    package var streamSequence: UInt64?

    package init(namespace: Namespace, tableName: String, tableId: String, key: EncodedKey, oldImage: Item?,
                 newImage: Item?, sequenceNumber: UInt64, timestamp: Double, origin: ChangeOrigin = .request) {
        self.namespace = namespace
        self.tableName = tableName
        self.tableId = tableId
        self.key = key
        self.oldImage = oldImage
        self.newImage = newImage
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.origin = origin
    }
}

/// Who caused a change; stream records of Time to Live deletions name the service as their user identity.
package enum ChangeOrigin: UInt8, Sendable {
    case request = 0
    case timeToLive = 1
}

/// Receives every change record, in sequence order per table, while the shard lock is held, and every
/// control-plane change. Implementations must be fast and must not call back into Storage.
package protocol ChangeSink: Sendable {
    func append(_ record: ChangeRecord)
    /// A table was created, or its definition changed (called under the table's definition lock).
    func tableDefinitionChanged(_ definition: TableDefinition, in namespace: Namespace)
    /// A table was deleted.
    func tableDeleted(named name: String, tableId: String, in namespace: Namespace)
    /// Blocks until every change handed over so far is as durable as configured; false when it cannot be.
    func awaitDurability() -> Bool
    /// Calls `done` once every change handed over so far is as durable as configured (true) or cannot be (false),
    /// without blocking the caller.
    func notifyWhenDurable(_ done: @escaping @Sendable (Bool) -> Void)
    /// The changes of one committed transaction, which must become durable together.
    func appendTransaction(_ records: [ChangeRecord])
}

extension ChangeSink {
    package func tableDefinitionChanged(_ definition: TableDefinition, in namespace: Namespace) {}
    package func tableDeleted(named name: String, tableId: String, in namespace: Namespace) {}
    package func awaitDurability() -> Bool { true }
    package func notifyWhenDurable(_ done: @escaping @Sendable (Bool) -> Void) { done(true) }
    package func appendTransaction(_ records: [ChangeRecord]) { records.forEach(append) }
}
