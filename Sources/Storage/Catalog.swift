import DynamoModel

/// All tables of all namespaces. TODO(storage helper): implement.
///
/// Thread safety: one Mutex guards the table map; tables have their own locks. Lock order: catalog → shards.
package final class Catalog: Sendable {
    /// Shards per table (a power of two).
    package let shardCount: Int
    package let changeSink: (any ChangeSink)?

    package init(shardCount: Int = 16, changeSink: (any ChangeSink)? = nil) {
        precondition(shardCount > 0 && shardCount & (shardCount - 1) == 0, "shardCount must be a power of two")
        self.shardCount = shardCount
        self.changeSink = changeSink
    }

    /// Adds a table; throws `.tableAlreadyExists` when the name is taken in the namespace.
    @discardableResult
    package func createTable(_ definition: TableDefinition, in namespace: Namespace) throws(StorageError) -> Table {
        throw .tableAlreadyExists(definition.name)
    }

    /// The table with this name, if any.
    package func table(named name: String, in namespace: Namespace) -> Table? { nil }

    /// Removes a table and returns it (its items are dropped).
    @discardableResult
    package func deleteTable(named name: String, in namespace: Namespace) throws(StorageError) -> Table {
        throw .tableNotFound(name)
    }

    /// Table names in the namespace, sorted by Unicode code points as ListTables returns them.
    package func tableNames(in namespace: Namespace) -> [String] { [] }
}
