import DynamoModel
import Locking
import Synchronization

/// All tables of all namespaces.
///
/// Thread safety: one readers–writer lock guards the table map; tables have their own locks. Lock order: catalog → shards.
package final class Catalog: Sendable {
    /// Shards per table (a power of two).
    package let shardCount: Int
    package let changeSink: (any ChangeSink)?
    private let clock: @Sendable () -> Double
    private let tables = ReadWriteLock<[Namespace: [String: Table]]>([:])

    package init(shardCount: Int = 16, changeSink: (any ChangeSink)? = nil,
                 clock: @escaping @Sendable () -> Double = { 0 }) {
        precondition(shardCount > 0 && shardCount & (shardCount - 1) == 0, "shardCount must be a power of two")
        self.shardCount = shardCount
        self.changeSink = changeSink
        self.clock = clock
    }

    /// The time change records are stamped with (seconds since the epoch).
    package func now() -> Double { clock() }

    /// Adds a table; throws `.tableAlreadyExists` when the name is taken in the namespace.
    @discardableResult
    package func createTable(_ definition: TableDefinition, in namespace: Namespace) throws(StorageError) -> Table {
        let table = Table(definition: definition, namespace: namespace, shardCount: shardCount, changeSink: changeSink,
                          clock: clock)
        let added = tables.withLock { tables -> Bool in
            if tables[namespace]?[definition.name] != nil { return false }
            tables[namespace, default: [:]][definition.name] = table
            return true
        }
        guard added else { throw .tableAlreadyExists(definition.name) }
        changeSink?.tableDefinitionChanged(definition, in: namespace)
        return table
    }

    /// The table with this name, if any.
    package func table(named name: String, in namespace: Namespace) -> Table? {
        tables.withReadLock { $0[namespace]?[name] }
    }

    /// Removes a table and returns it (its items are dropped with it).
    @discardableResult
    package func deleteTable(named name: String, in namespace: Namespace) throws(StorageError) -> Table {
        let removed = tables.withLock { $0[namespace]?.removeValue(forKey: name) }
        guard let removed else { throw .tableNotFound(name) }
        changeSink?.tableDeleted(named: name, tableId: removed.tableId, in: namespace)
        return removed
    }

    /// Table names in the namespace, sorted by their bytes as ListTables returns them.
    package func tableNames(in namespace: Namespace) -> [String] {
        tables.withLock { ($0[namespace].map { Array($0.keys) } ?? []) }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Recovery only: adds a table without logging it.
    @discardableResult
    package func restoreTable(_ definition: TableDefinition, in namespace: Namespace) -> Table {
        let table = Table(definition: definition, namespace: namespace, shardCount: shardCount, changeSink: changeSink,
                          clock: clock)
        tables.withLock { $0[namespace, default: [:]][definition.name] = table }
        return table
    }

    /// Recovery only: removes a table without logging it.
    package func restoreDeletion(named name: String, tableId: String, in namespace: Namespace) {
        tables.withLock { tables in
            if tables[namespace]?[name]?.tableId == tableId { tables[namespace]?[name] = nil }
        }
    }

    /// Every table with its namespace.
    package func allTablesWithNamespaces() -> [(Namespace, Table)] {
        tables.withLock { $0.flatMap { namespace, tables in tables.values.map { (namespace, $0) } } }
    }

    /// Every table, for subsystems that sweep them all (TTL, streams, snapshots).
    package func allTables() -> [Table] {
        tables.withLock { $0.values.flatMap { $0.values } }
    }
}
