import Capacity
import DynamoModel
import Expressions
import JSON
import PartiQL
import Storage

/// BatchExecuteStatement: up to 25 statements, all reads (each a SELECT naming one item by its full primary key)
/// or all writes, each run on its own. A statement's failure is reported in its slot of `Responses`
/// (`Error {Code, Message}`); the request itself succeeds.
enum BatchExecuteStatement {
    static let maximumStatements = 25
    static let selectNeedsKey = DynamoError.validation(
        "Select statements within BatchExecuteStatement must specify the primary key in the where clause.")

    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let list = try reader.array("Statements")
        let returnConsumedCapacity = try reader.string("ReturnConsumedCapacity")
        var entries: [(text: String?, parameters: JSONValue?, consistentRead: Bool, returnValuesOnFailure: String?)] = []
        for (index, element) in (list ?? []).enumerated() {
            let object = try InputReader.object(element) ?? JSONObject()
            let entryReader = InputReader(object)
            let text = try entryReader.string("Statement")
            _ = try InputReader.array(object["Parameters"])
            let entry = (text: text, parameters: object["Parameters"], consistentRead: try entryReader.boolean("ConsistentRead") ?? false,
                         returnValuesOnFailure: try entryReader.string("ReturnValuesOnConditionCheckFailure"))
            StatementRequest.validate(text, parameters: entry.parameters, at: "statements.\(index + 1).member.", into: &reader)
            reader.validateEnum(entry.returnValuesOnFailure, at: "statements.\(index + 1).member.returnValuesOnConditionCheckFailure",
                                allowed: CommonParameters.returnValuesOnConditionCheckFailure)
            entries.append(entry)
        }
        if let list {
            if list.isEmpty {
                reader.addViolation("Value '[]' at 'statements' failed to satisfy constraint: Member must have length greater than or equal to 1")
            }
            if list.count > maximumStatements {
                reader.addViolation("Value at 'statements' failed to satisfy constraint: Member must have length less than or equal to 25")
            }
        } else {
            reader.require(false, at: "statements")
        }
        reader.validateEnum(returnConsumedCapacity, at: "returnConsumedCapacity", allowed: CommonParameters.returnConsumedCapacity)
        try reader.throwValidationErrors()

        var requests: [Result<StatementRequest, DynamoError>] = []
        for entry in entries {
            do throws(DynamoError) {
                requests.append(.success(try StatementRequest.make(text: entry.text ?? "", parameters: entry.parameters,
                                                                   returnValuesOnFailure: entry.returnValuesOnFailure,
                                                                   consistentRead: entry.consistentRead)))
            } catch {
                requests.append(.failure(error))
            }
        }
        let kinds = Set(requests.compactMap { try? $0.get().statement.isRead })
        if kinds.count > 1 {
            throw DynamoError.validation("Unsupported operation: A batch must consist of either read statements or write "
                + "statements, you cannot mix both in one batch.")
        }

        var responses: [JSONValue] = []
        var consumption: [ConsumedCapacity] = []
        func record(_ consumed: ConsumedCapacity, on table: Table) {
            CapacityGate(table: table, context: context).charge(consumed)
            if let position = consumption.firstIndex(where: { $0.tableName == consumed.tableName }) {
                consumption[position].add(consumed)
            } else {
                consumption.append(consumed)
            }
        }
        for request in requests {
            var members: [(key: String, value: JSONValue)] = []
            do throws(DynamoError) {
                let request = try request.get()
                if case .select(let select) = request.statement {
                    let (tableName, item, bytes) = try read(select, request: request, in: context)
                    members.append(("TableName", .string(tableName)))
                    if let item { members.append(("Item", item.json)) }
                    if let table = context.catalog.table(named: tableName, in: context.namespace) {
                        var consumed = ConsumedCapacity(tableName: tableName, dimension: .read)
                        consumed.tableUnits = CapacityUnits.read(sizeInBytes: bytes, consistent: request.consistentRead)
                        record(consumed, on: table)
                    }
                } else {
                    let write = try StatementWrite.make(request, in: context)
                    members.append(("TableName", .string(write.table.name)))
                    let outcome = try write.apply(settings: context.settings)
                    record(write.consumption(outcome, in: context), on: write.table)
                }
            } catch {
                // A failed statement names its table, unless the table is what was not found.
                if !members.contains(where: { $0.key == "TableName" }), error.kind != .resourceNotFound,
                   let tableName = try? request.get().statement.tableName {
                    members.append(("TableName", .string(tableName)))
                }
                members.append(("Error", StatementErrorCodes.errorObject(error)))
            }
            responses.append(.object(JSONObject(members)))
        }

        var output: [(key: String, value: JSONValue)] = [("Responses", .array(responses))]
        if let member = ConsumedCapacity.listMember(consumption, mode: returnConsumedCapacity) { output.append(member) }
        return .object(JSONObject(output))
    }

    /// A batch SELECT: one item by its full key, the rest of the WHERE as a filter, projected.
    static func read(_ select: SelectStatement, request: StatementRequest,
                     in context: RequestContext) throws(DynamoError) -> (String, Item?, Int) {
        let read = try KeyedRead.make(select, request: request, in: context, keyRequired: selectNeedsKey,
                                      indexRefused: selectNeedsKey)
        let item = read.table.getItem(read.key)
        return (read.table.name, item.flatMap(read.result), item.map(ItemSize.of) ?? 0)
    }
}
