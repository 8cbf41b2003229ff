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
    enum Kind {
        case insert(Item)
        case update(UpdateExpression, keyMap: Item)
        case delete
        /// `EXISTS(SELECT …)` in a transaction: a condition on the item, no change.
        case conditionCheck
    }

    var table: Table
    var key: EncodedKey
    var kind: Kind
    var condition: Condition?
    var returning: ReturningClause?
    var returnValuesOnFailure: String?

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
            let key = try table.keySchema.encodedKey(of: item, source: .putItem)
            if ItemSize.of(item) > ItemSize.maximumBytes {
                throw DynamoError.validation("Item size has exceeded the maximum allowed size")
            }
            return StatementWrite(table: table, key: key, kind: .insert(item), condition: nil, returning: nil,
                                  returnValuesOnFailure: request.returnValuesOnFailure)
        case .update(let update):
            let actions = try UpdatePlanner(binder: binder).expression(update.clauses)
            let condition = try update.whereClause.map { (clause: StatementExpression) throws(DynamoError) in
                try translator.condition(clause)
            }
            let table = try TableLookup.activeTable(update.tableName, in: context)
            let keyed = try KeyExtractor.extract(condition, schema: table.keySchema)
            let key = try keyOf(keyed.key, table: table)
            try actions.checkKeyAttributes(table.keySchema.attributeNames)
            return StatementWrite(table: table, key: key, kind: .update(actions, keyMap: keyed.key),
                                  condition: keyed.condition, returning: update.returning,
                                  returnValuesOnFailure: request.returnValuesOnFailure)
        case .delete(let delete):
            let condition = try delete.whereClause.map { (clause: StatementExpression) throws(DynamoError) in
                try translator.condition(clause)
            }
            let table = try TableLookup.activeTable(delete.tableName, in: context)
            let keyed = try KeyExtractor.extract(condition, schema: table.keySchema)
            return StatementWrite(table: table, key: try keyOf(keyed.key, table: table), kind: .delete,
                                  condition: keyed.condition, returning: delete.returning,
                                  returnValuesOnFailure: request.returnValuesOnFailure)
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
            return StatementWrite(table: table, key: try keyOf(keyed.key, table: table), kind: .conditionCheck,
                                  condition: keyed.condition, returning: nil,
                                  returnValuesOnFailure: request.returnValuesOnFailure)
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
    func decide(_ current: Item?) throws(DynamoError) -> WriteDecision {
        let check = WriteCondition(condition: condition)
        switch kind {
        case .insert(let item):
            if current != nil { throw Self.duplicateItem }
            return .put(item)
        case .update(let actions, _):
            guard let current else { throw DynamoError.conditionalCheckFailed }
            try check.verify(current, returnValuesOnFailure: returnValuesOnFailure)
            let updated = try actions.apply(to: current)
            if ItemSize.of(updated) > ItemSize.maximumBytes {
                throw DynamoError.validation("Item size to update has exceeded the maximum allowed size")
            }
            return .put(updated)
        case .delete:
            guard let current else { return .unchanged }
            try check.verify(current, returnValuesOnFailure: returnValuesOnFailure)
            return .delete
        case .conditionCheck:
            try check.verify(current, returnValuesOnFailure: returnValuesOnFailure)
            return .unchanged
        }
    }

    /// Runs the statement on its own: the decision and the item-collection limit, atomically under the shard lock.
    func apply(settings: APISettings) throws(DynamoError) -> WriteOutcome {
        try table.write(key) { (current: Item?) throws(DynamoError) -> WriteDecision in
            let decision = try decide(current)
            if case .put(let item) = decision {
                try ItemCollections.checkLimit(table: table, key: key, oldItem: current, newItem: item, settings: settings)
            }
            return decision
        }
    }

    /// The item a RETURNING clause asks for (nil: nothing to return).
    func returnedItem(_ outcome: WriteOutcome) -> Item? {
        guard let returning else { return nil }
        var paths: [DocumentPath] = []
        if case .update(let actions, _) = kind { paths = actions.paths }
        return UpdateItem.returnedAttributes(returning.returnValues, outcome: outcome, paths: paths)
    }

    /// What the write consumed by DynamoDB's rules: 1 KB units of the larger image, plus each affected index.
    func consumption(_ outcome: WriteOutcome, in context: RequestContext) -> ConsumedCapacity {
        CapacityGate(table: table, context: context).writeConsumption(oldItem: outcome.oldItem, newItem: outcome.newItem)
    }
}
