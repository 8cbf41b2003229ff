import DynamoModel
import Expressions
import PartiQL
import Storage

/// The table (and index) a statement reads or writes, checked as DynamoDB checks it.
struct StatementTarget {
    var table: Table
    var indexDefinition: IndexDefinition?
    var index: SecondaryIndex?

    /// The key schema reads plan against: the index's, or the table's.
    var schema: KeySchema { indexDefinition?.keySchema ?? table.keySchema }

    static func resolve(tableName: String, indexName: String?, consistentRead: Bool,
                        in context: RequestContext) throws(DynamoError) -> StatementTarget {
        let table = try TableLookup.activeTable(tableName, in: context)
        guard let indexName else { return StatementTarget(table: table) }
        guard let definition = table.definition.allIndexes.first(where: { $0.name == indexName }),
              let index = table.index(named: indexName) else {
            throw DynamoError.validation("The table does not have the specified index: \(indexName)")
        }
        if definition.isGlobal && consistentRead {
            throw DynamoError.validation("Strongly consistent read is not supported on Global Secondary Indexes")
        }
        if definition.isGlobal && definition.backfilling {
            throw DynamoError.validation("Cannot read from backfilling global secondary index: \(indexName)")
        }
        return StatementTarget(table: table, indexDefinition: definition, index: index)
    }

    /// A global index answers only with what it projects: explicit columns outside it are refused, in statement
    /// order. (A local index reaches the base item instead.)
    func checkProjection(_ projection: [DocumentPath]?) throws(DynamoError) {
        guard let definition = indexDefinition, definition.isGlobal, definition.projectionType != .all,
              let projection else { return }
        var projected = Set(definition.keySchema.attributeNames + table.keySchema.attributeNames)
        if definition.projectionType == .include { projected.formUnion(definition.nonKeyAttributes) }
        var missing: [String] = []
        for path in projection where !projected.contains(path.rootName) && !missing.contains(path.rootName) {
            missing.append(path.rootName)
        }
        if !missing.isEmpty {
            throw DynamoError.validation("One or more parameter values were invalid: Global secondary index \(definition.name) "
                + "does not project [\(missing.joined(separator: ", "))]")
        }
    }
}
