import Capacity
import DynamoModel
import Expressions
import JSON
import PartiQL
import Storage

/// ExecuteStatement: one PartiQL statement. A SELECT reads one page (`Limit`, `NextToken`); INSERT, UPDATE and
/// DELETE write one item, answering with an empty `Items` list or the item their RETURNING clause asks for.
enum ExecuteStatement {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let text = try reader.string("Statement")
        let parameters = input["Parameters"]
        _ = try InputReader.array(parameters)
        let consistentRead = try reader.boolean("ConsistentRead") ?? false
        let nextToken = try reader.string("NextToken")
        let returnConsumedCapacity = try reader.string("ReturnConsumedCapacity")
        let limit = try reader.integer("Limit")
        let returnValuesOnFailure = try reader.string("ReturnValuesOnConditionCheckFailure")

        StatementRequest.validate(text, parameters: parameters, at: "", into: &reader)
        if let nextToken {
            reader.validate(!nextToken.isEmpty, value: nextToken, at: "nextToken", "Member must have length greater than or equal to 1")
            reader.validate(nextToken.utf8.count <= 32768, value: nextToken, at: "nextToken",
                            "Member must have length less than or equal to 32768")
        }
        if let limit {
            reader.validate(limit >= 1, value: String(limit), at: "limit", "Member must have value greater than or equal to 1")
        }
        reader.validateEnum(returnConsumedCapacity, at: "returnConsumedCapacity", allowed: CommonParameters.returnConsumedCapacity)
        reader.validateEnum(returnValuesOnFailure, at: "returnValuesOnConditionCheckFailure",
                            allowed: CommonParameters.returnValuesOnConditionCheckFailure)
        try reader.throwValidationErrors()
        guard let text else { throw .validation("Missing required parameters") }

        let request = try StatementRequest.make(text: text, parameters: parameters, returnValuesOnFailure: returnValuesOnFailure,
                                                consistentRead: consistentRead)
        switch request.statement {
        case .select(let select):
            let execution = SelectExecution(select: select, request: request, limit: limit,
                                            fingerprint: PageToken.fingerprint(statement: text, parameters: parameters))
            // The statement's own resolution reports a missing table or index in PartiQL's words; admission waits
            // for a table that exists.
            let gate = context.catalog.table(named: TableLookup.tableName(from: select.tableName), in: context.namespace)
                .map { CapacityGate(table: $0, context: context) }
            try gate?.admitRead(index: select.indexName, expectedUnits: CapacityUnits.read(sizeInBytes: 0, consistent: consistentRead))
            let result = try execution.run(nextToken: nextToken, in: context)
            var output: [(key: String, value: JSONValue)] = [("Items", .array(result.items))]
            if let token = result.nextToken {
                output.append(("NextToken", .string(token.encoded())))
                output.append(("LastEvaluatedKey", token.lastKey.json))
            }
            var consumed = ConsumedCapacity(tableName: result.tableName, dimension: .read)
            let units = CapacityUnits.read(sizeInBytes: result.bytesRead, consistent: consistentRead)
            if let indexName = select.indexName,
               let index = gate?.snapshot.value.allIndexes.first(where: { $0.name == indexName }) {
                consumed.addIndex(indexName, isGlobal: index.isGlobal, units: units)
            } else {
                consumed.tableUnits = units
            }
            gate?.charge(consumed)
            if let member = consumed.member(mode: returnConsumedCapacity) { output.append(member) }
            return .object(JSONObject(output))
        case .exists:
            throw DynamoError.validation("EXISTS can only be used in ExecuteTransaction write requests.")
        case .insert, .update, .delete:
            let write = try StatementWrite.make(request, in: context)
            let gate = CapacityGate(table: write.table, context: context)
            try gate.admitWrite(expectedUnits: 1)
            let outcome: WriteOutcome
            do throws(DynamoError) {
                outcome = try write.apply(settings: context.settings)
            } catch {
                if error.kind == .conditionalCheckFailed { gate.chargeFailedCondition(existingItem: write.table.getItem(write.key)) }
                throw error
            }
            let consumed = write.consumption(outcome, in: context)
            gate.charge(consumed)
            let returned = write.returnedItem(outcome).map { [$0.json] } ?? []
            var output: [(key: String, value: JSONValue)] = [("Items", .array(returned))]
            if let member = consumed.member(mode: returnConsumedCapacity) { output.append(member) }
            return .object(JSONObject(output))
        }
    }
}
