import DynamoModel
import Expressions
import PartiQL
import Storage

/// An INSERT, UPDATE or DELETE resolved against its table: the item's key and the decision it takes on the
/// current item (the same decision whether it runs alone, in a batch or in a transaction).
///
/// INSERT fails with DuplicateItemException when the key exists; UPDATE requires the item to exist (a missing
/// item fails its condition, as in DynamoDB) and treats the rest of the WHERE clause as a condition; DELETE of a
/// missing item does nothing, and the rest of its WHERE is a condition on an existing item.
struct StatementWrite {
    /// The write as every write path describes it.
    var write: ItemWrite
    var returning: ReturningClause?

    var table: Table { write.table }
    var key: EncodedKey { write.key }

    static let duplicateItem = DynamoError(.duplicateItem, "Duplicate primary key exists in table")

    /// Resolves a write statement (or a transaction's EXISTS check) against the catalog.
    static func make(_ request: StatementRequest, in context: RequestContext) throws(DynamoError) -> StatementWrite {
        let binder = request.binder
        let translator = ConditionTranslator(binder: binder)
        switch request.statement {
        case .insert(let insert):
            let unsupported = DynamoError.validation("Unsupported format in item expression. Please use struct format {...} "
                + "to express item values for insert statement.")
            guard let item = try binder.item(of: insert.value) else { throw unsupported }
            let table = try TableLookup.activeTable(insert.tableName, in: context)
            var write = ItemWrite(table: table, key: try table.keySchema.encodedKey(of: item, source: .putItem),
                                  action: .put(item), returnValuesOnFailure: request.returnValuesOnFailure)
            write.failsWhenPresent = duplicateItem
            try write.prepareAlone()
            return StatementWrite(write: write, returning: nil)
        case .update(let update):
            let actions = try UpdatePlanner(binder: binder).expression(update.clauses)
            let condition = try update.whereClause.map { (clause: StatementExpression) throws(DynamoError) in
                try translator.condition(clause)
            }
            let table = try TableLookup.activeTable(update.tableName, in: context)
            let keyed = try KeyExtractor.extract(condition, schema: table.keySchema)
            let key = try keyOf(keyed.key, table: table)
            try actions.checkKeyAttributes(table.keySchema.attributeNames)
            // UPDATE needs an existing item: a missing one fails like a false condition, as in DynamoDB.
            var write = ItemWrite(table: table, key: key, action: .update(actions, keyMap: keyed.key),
                                  condition: WriteCondition(condition: keyed.condition),
                                  returnValuesOnFailure: request.returnValuesOnFailure)
            write.whenMissing = .fail(DynamoError.conditionalCheckFailed)
            return StatementWrite(write: write, returning: update.returning)
        case .delete(let delete):
            let condition = try delete.whereClause.map { (clause: StatementExpression) throws(DynamoError) in
                try translator.condition(clause)
            }
            let table = try TableLookup.activeTable(delete.tableName, in: context)
            let keyed = try KeyExtractor.extract(condition, schema: table.keySchema)
            // DELETE of a missing item does nothing; the rest of its WHERE is a condition on an existing item.
            var write = ItemWrite(table: table, key: try keyOf(keyed.key, table: table), action: .delete,
                                  condition: WriteCondition(condition: keyed.condition),
                                  returnValuesOnFailure: request.returnValuesOnFailure)
            write.whenMissing = .skip
            return StatementWrite(write: write, returning: delete.returning)
        case .exists(let select):
            if select.indexName != nil {
                throw DynamoError.validation("Operations on indices are not supported in transactions")
            }
            let condition = try select.whereClause.map { (clause: StatementExpression) throws(DynamoError) in
                try translator.condition(clause)
            }
            let table = try TableLookup.activeTable(select.tableName, in: context)
            let invalid = DynamoError.validation("EXISTS() must contain a single item read with additional condition")
            guard let keyed = try? KeyExtractor.extract(condition, schema: table.keySchema), keyed.condition != nil else {
                throw invalid
            }
            let write = ItemWrite(table: table, key: try keyOf(keyed.key, table: table), action: .check,
                                  condition: WriteCondition(condition: keyed.condition),
                                  returnValuesOnFailure: request.returnValuesOnFailure)
            return StatementWrite(write: write, returning: nil)
        case .select:
            throw DynamoError.internalServerError("not a write statement")
        }
    }

    /// The encoded key of a WHERE clause's key values.
    static func keyOf(_ keyMap: Item, table: Table) throws(DynamoError) -> EncodedKey {
        for attribute in [table.keySchema.partitionKey] + (table.keySchema.sortKey.map { [$0] } ?? []) {
            if let value = keyMap[attribute.name], value.scalarType != attribute.type {
                throw DynamoError.validation("One or more parameter values were invalid: Type mismatch for key "
                    + "\(attribute.name) expected: \(attribute.type.rawValue) actual: \(value.typeDescriptor)")
            }
        }
        return try table.keySchema.encodedKey(of: keyMap, source: .keyMap, exactKeyMap: true)
    }

    /// The write this statement makes of the current item; throws the statement's failure.
    func decide(_ current: Item?, settings: APISettings) throws(DynamoError) -> WriteDecision {
        try write.decide(current, settings: settings)
    }

    /// Runs the statement on its own, atomically under the shard lock.
    func apply(settings: APISettings) throws(DynamoError) -> WriteOutcome {
        var current: Item?
        return try write.apply(settings: settings, seen: &current)
    }

    /// The item a RETURNING clause asks for (nil: nothing to return).
    func returnedItem(_ outcome: WriteOutcome) -> Item? {
        guard let returning else { return nil }
        var paths: [DocumentPath] = []
        if case .update(let actions, _) = write.action { paths = actions.paths }
        return UpdateItem.returnedAttributes(returning.returnValues, outcome: outcome, paths: paths)
    }

    /// What the write consumed by DynamoDB's rules: 1 KB units of the larger image, plus each affected index.
    func consumption(_ outcome: WriteOutcome, in context: RequestContext) -> ConsumedCapacity {
        CapacityGate(table: table, context: context).writeConsumption(oldItem: outcome.oldItem, newItem: outcome.newItem)
    }
}
