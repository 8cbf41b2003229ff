/// A table or one of its indexes, as the meter and the ledger know it.
package struct MeteredResource: Hashable, Sendable {
    package var accountId: String
    package var region: String
    package var tableName: String
    /// Distinguishes a table from a later one with the same name.
    package var tableId: String
    /// nil for the table itself.
    package var indexName: String?

    package init(accountId: String, region: String, tableName: String, tableId: String, indexName: String? = nil) {
        self.accountId = accountId
        self.region = region
        self.tableName = tableName
        self.tableId = tableId
        self.indexName = indexName
    }

    /// The same table's index.
    package func index(_ name: String) -> MeteredResource {
        var copy = self
        copy.indexName = name
        return copy
    }

    /// The table this resource belongs to.
    package var table: MeteredResource {
        var copy = self
        copy.indexName = nil
        return copy
    }
}

/// Reads or writes.
package enum CapacityDimension: String, Sendable, Hashable {
    case read
    case write
}
