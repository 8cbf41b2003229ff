import Capacity
import DynamoModel
import Expressions
import JSON
import Storage

/// TransactWriteItems: up to 100 Put, Update, Delete and ConditionCheck actions across tables, all or nothing,
/// serializable, idempotent by `ClientRequestToken`.
enum TransactWriteItems {
    static let maximumActions = 100
    static let maximumTotalBytes = 4 * 1024 * 1024

    /// One parsed action.
    struct Action {
        var kind: String
        var tableName: String
        var item: Item?
        var keyMap: Item?
        var condition: WriteCondition
        var update: UpdateExpression?
        var returnValuesOnFailure: String?
    }

    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let list = try reader.array("TransactItems")
        let returnConsumedCapacity = try reader.string("ReturnConsumedCapacity")
        let returnItemCollectionMetrics = try reader.string("ReturnItemCollectionMetrics")
        let token = try reader.string("ClientRequestToken")

        if let list {
            if list.isEmpty {
                reader.addViolation("Value at 'TransactItems' failed to satisfy constraint: Member must have length greater than or equal to 1")
            }
            if list.count > maximumActions {
                reader.addViolation("Value at 'TransactItems' failed to satisfy constraint: Member must have length less than or equal to 100")
            }
        } else {
            reader.require(false, at: "transactItems")
        }
        if let token {
            reader.validate(!token.isEmpty, value: token, at: "clientRequestToken", "Member must have length greater than or equal to 1")
            reader.validate(token.utf8.count <= 36, value: token, at: "clientRequestToken", "Member must have length less than or equal to 36")
        }
        reader.validateEnum(returnConsumedCapacity, at: "returnConsumedCapacity", allowed: CommonParameters.returnConsumedCapacity)
        reader.validateEnum(returnItemCollectionMetrics, at: "returnItemCollectionMetrics",
                            allowed: CommonParameters.returnItemCollectionMetrics)
        try reader.throwValidationErrors()
        let entries = list ?? []

        let fingerprint = JSONWriter.serialize(.object(JSONObject(input.members.filter { $0.key != "ReturnConsumedCapacity" })))
        if let token, let previous = try context.idempotencyTokens.previous(token: token, namespace: context.namespace,
                                                                            fingerprint: fingerprint, now: context.now) {
            return previous
        }

        var actions: [Action] = []
        var totalBytes = 0
        for entry in entries {
            let action = try parse(entry)
            totalBytes += action.item.map(ItemSize.of) ?? 0
            actions.append(action)
        }
        if totalBytes > maximumTotalBytes {
            throw .validation("Transaction request size has exceeded the maximum allowed size of 4 MB")
        }

        // Tables, keys, item rules and duplicates, before any lock is taken. An action whose key does not match the
        // schema, or whose item breaks an item rule, cancels the transaction with a ValidationError reason; DynamoDB
        // stops validating actions there, so the later ones get reason None. A value no key may hold (empty, too
        // large) refuses the whole request.
        var writes: [TransactionWrite] = []
        var seen = Set<String>()
        var firstInvalidAction: (position: Int, error: DynamoError)?
        var expectedByTable: [(table: Table, units: Double)] = []
        let settings = context.settings
        for (position, action) in actions.enumerated() {
            let table = try TableLookup.activeTable(action.tableName, in: context)
            let write: ItemWrite
            do throws(RuleViolation) {
                write = try itemWrite(for: action, in: table)
                try write.prepare()
            } catch {
                if error.scope == .request { throw error.error }
                if firstInvalidAction == nil { firstInvalidAction = (position, error.error) }
                continue
            }
            if let update = action.update { try update.checkKeyAttributes(table.keySchema.attributeNames) }
            guard seen.insert("\(table.tableId)\u{0}\(write.key.partition)\u{0}\(write.key.sort)").inserted else {
                throw .validation("Transaction request cannot include multiple operations on one item")
            }
            writes.append(TransactionWrite(table: table, key: write.key) { current in
                do throws(DynamoError) {
                    return .success(try write.decide(current, settings: settings))
                } catch {
                    return .failure(error)
                }
            })
            let units = CapacityUnits.transactional(
                CapacityUnits.write(oldSizeInBytes: 0, newSizeInBytes: action.item.map(ItemSize.of) ?? 0))
            if let index = expectedByTable.firstIndex(where: { $0.table === table }) {
                expectedByTable[index].units += units
            } else {
                expectedByTable.append((table, units))
            }
        }
        if let firstInvalidAction {
            throw cancellation(actions.indices.map { $0 == firstInvalidAction.position ? firstInvalidAction.error : nil },
                               actions: actions, items: nil)
        }

        // Throughput: the whole transaction is admitted or cancelled, with the throttled tables' actions named.
        let gates = expectedByTable.map { CapacityGate(table: $0.table, context: context) }
        for (position, entry) in expectedByTable.enumerated() {
            guard let refusal = gates[position].refusalOfWrite(expectedUnits: entry.units) else { continue }
            throw cancellation(writes.map { $0.table === entry.table ? refusal : nil }, actions: actions, items: nil)
        }

        switch Transactions.write(writes) {
        case .cancelled(let failures):
            // A cancelled transaction still consumed its prepare phase: the expected units, doubled.
            for (position, entry) in expectedByTable.enumerated() {
                var consumed = ConsumedCapacity(tableName: entry.table.name, dimension: .write)
                consumed.tableUnits = entry.units
                gates[position].charge(consumed)
            }
            throw cancellation(failures, actions: actions, items: nil)
        case .committed(let outcomes):
            var consumedByTable: [ConsumedCapacity] = expectedByTable.map {
                var consumed = ConsumedCapacity(tableName: $0.table.name, dimension: .write)
                consumed.isTransactional = true
                return consumed
            }
            for (write, outcome) in zip(writes, outcomes) {
                guard let position = expectedByTable.firstIndex(where: { $0.table === write.table }) else { continue }
                consumedByTable[position].add(gates[position].writeConsumption(oldItem: outcome.oldItem,
                                                                               newItem: outcome.newItem).doubled())
            }
            for (position, consumed) in consumedByTable.enumerated() { gates[position].charge(consumed) }
            var output: [(key: String, value: JSONValue)] = []
            if let member = ConsumedCapacity.listMember(consumedByTable, mode: returnConsumedCapacity) {
                output.append(member)
            }
            let response = JSONValue.object(JSONObject(output))
            if let token {
                context.idempotencyTokens.remember(token: token, namespace: context.namespace, fingerprint: fingerprint,
                                                   response: response, now: context.now)
            }
            return response
        }
    }

    /// DynamoDB's TransactionCanceledException: a reason per action, in request order.
    static func cancellation(_ failures: [DynamoError?], actions: [Action], items: [Item?]?) -> DynamoError {
        var codes: [String] = []
        var reasons: [JSONValue] = []
        for failure in failures {
            guard let failure else {
                codes.append("None")
                reasons.append(.object(JSONObject([("Code", .string("None"))])))
                continue
            }
            let code: String
            switch failure.kind {
            case .conditionalCheckFailed: code = "ConditionalCheckFailed"
            case .provisionedThroughputExceeded: code = "ProvisionedThroughputExceeded"
            default: code = "ValidationError"
            }
            codes.append(code)
            var members: [(key: String, value: JSONValue)] = [("Code", .string(code)), ("Message", .string(failure.message ?? ""))]
            if let item = failure.details?["Item"] { members.append(("Item", item)) }
            reasons.append(.object(JSONObject(members)))
        }
        return DynamoError(.transactionCanceled,
                           "Transaction cancelled, please refer cancellation reasons for specific reasons [\(codes.joined(separator: ", "))]",
                           details: JSONObject([("CancellationReasons", .array(reasons))]))
    }

    /// The action as the write funnel describes it, its key checked against the table's schema.
    static func itemWrite(for action: Action, in table: Table) throws(RuleViolation) -> ItemWrite {
        let key: EncodedKey
        do throws(KeyViolation) {
            if let item = action.item {
                key = try table.keySchema.classifiedEncodedKey(of: item, source: .putItem)
            } else {
                key = try table.keySchema.classifiedEncodedKey(of: action.keyMap ?? [:], source: .keyMap, exactKeyMap: true)
            }
        } catch {
            throw RuleViolation(error)
        }
        let kind: ItemWrite.Action
        switch action.kind {
        case "Put": kind = .put(action.item ?? [:])
        case "Delete": kind = .delete
        case "Update": kind = .update(action.update ?? UpdateExpression(actions: []), keyMap: action.keyMap ?? [:])
        default: kind = .check
        }
        return ItemWrite(table: table, key: key, action: kind, condition: action.condition,
                         returnValuesOnFailure: action.returnValuesOnFailure)
    }

    /// Parses one `TransactItems` entry; expression errors are top-level ValidationExceptions.
    static func parse(_ entry: JSONValue) throws(DynamoError) -> Action {
        let wrapper = try InputReader.object(entry) ?? JSONObject()
        let kinds = ["ConditionCheck", "Put", "Delete", "Update"].filter { wrapper[$0] != nil && wrapper[$0] != .null }
        guard kinds.count == 1, let kind = kinds.first, let body = try InputReader.object(wrapper[kind]) else {
            throw .validation("TransactItems can only contain one of Check, Put, Update or Delete")
        }
        var reader = InputReader(body)
        let tableName = try reader.string("TableName")
        let item = kind == "Put" ? try CommonParameters.item(body["Item"]) : nil
        let keyMap = kind == "Put" ? nil : try CommonParameters.item(body["Key"])
        let updateText = kind == "Update" ? try reader.string("UpdateExpression") : nil
        let returnValuesOnFailure = try reader.string("ReturnValuesOnConditionCheckFailure")
        let conditionText = try reader.string("ConditionExpression")
        let expressionParameters = try ExpressionParameters.read(body)
        reader.validateTableNameOrArn(tableName, at: "transactItems.member.\(kind.prefix(1).lowercased() + kind.dropFirst()).tableName")
        if kind == "Put" { reader.require(item != nil, at: "transactItems.member.put.item") } else { reader.require(keyMap != nil, at: "transactItems.member.\(kind.prefix(1).lowercased() + kind.dropFirst()).key") }
        if kind == "Update" { reader.require(updateText != nil, at: "transactItems.member.update.updateExpression") }
        if kind == "ConditionCheck" { reader.require(conditionText != nil, at: "transactItems.member.conditionCheck.conditionExpression") }
        reader.validateEnum(returnValuesOnFailure, at: "returnValuesOnConditionCheckFailure",
                            allowed: CommonParameters.returnValuesOnConditionCheckFailure)
        let usesExpressions = conditionText != nil || updateText != nil
        expressionParameters.validate(into: &reader, usesNames: usesExpressions, usesValues: usesExpressions)
        try reader.throwValidationErrors()
        var attributes = expressionParameters.attributes
        let update = try updateText.map { (text: String) throws(DynamoError) in try UpdateExpression.parse(text, attributes: &attributes) }
        var condition = WriteCondition(condition: nil)
        if let conditionText {
            condition = WriteCondition(condition: try ConditionExpression.parse(conditionText, kind: .condition,
                                                                                attributes: &attributes).condition)
        }
        try attributes.checkAllUsed()
        return Action(kind: kind, tableName: tableName ?? "", item: item, keyMap: keyMap, condition: condition,
                      update: update, returnValuesOnFailure: returnValuesOnFailure)
    }
}
