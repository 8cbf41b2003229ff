import Capacity
import DynamoModel
import Expressions
import JSON
import PartiQL
import Storage

/// ExecuteTransaction: up to 100 statements run as one transaction on the transaction engine: all reads (each a
/// SELECT of one item by its full key, answered from one consistent snapshot) or all writes (INSERT, UPDATE,
/// DELETE and `EXISTS(SELECT …)` checks, applied all or nothing). Idempotent by `ClientRequestToken`.
enum ExecuteTransaction {
    static let maximumStatements = 100

    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let list = try reader.array("TransactStatements")
        let token = try reader.string("ClientRequestToken")
        let returnConsumedCapacity = try reader.string("ReturnConsumedCapacity")
        var entries: [(text: String?, parameters: JSONValue?, returnValuesOnFailure: String?)] = []
        for (index, element) in (list ?? []).enumerated() {
            let object = try InputReader.object(element) ?? JSONObject()
            let entryReader = InputReader(object)
            let text = try entryReader.string("Statement")
            _ = try InputReader.array(object["Parameters"])
            let returnValuesOnFailure = try entryReader.string("ReturnValuesOnConditionCheckFailure")
            StatementRequest.validate(text, parameters: object["Parameters"], at: "transactStatements.\(index + 1).member.",
                                      into: &reader)
            reader.validateEnum(returnValuesOnFailure,
                                at: "transactStatements.\(index + 1).member.returnValuesOnConditionCheckFailure",
                                allowed: CommonParameters.returnValuesOnConditionCheckFailure)
            entries.append((text, object["Parameters"], returnValuesOnFailure))
        }
        if let list {
            if list.isEmpty {
                reader.addViolation("Value '[]' at 'transactStatements' failed to satisfy constraint: Member must have length greater than or equal to 1")
            }
            if list.count > maximumStatements {
                reader.addViolation("Value at 'transactStatements' failed to satisfy constraint: Member must have length less than or equal to 100")
            }
        } else {
            reader.require(false, at: "transactStatements")
        }
        if let token {
            reader.validate(!token.isEmpty, value: token, at: "clientRequestToken", "Member must have length greater than or equal to 1")
            reader.validate(token.utf8.count <= 36, value: token, at: "clientRequestToken", "Member must have length less than or equal to 36")
        }
        reader.validateEnum(returnConsumedCapacity, at: "returnConsumedCapacity", allowed: CommonParameters.returnConsumedCapacity)
        try reader.throwValidationErrors()

        let fingerprint = JSONWriter.serialize(.object(JSONObject(input.members.filter { $0.key != "ReturnConsumedCapacity" })))
        if let token, let previous = try context.idempotencyTokens.previous(token: token, namespace: context.namespace,
                                                                            fingerprint: fingerprint, now: context.now) {
            return previous
        }

        var parameters: [[AttributeValue]] = []
        for entry in entries { parameters.append(try StatementRequest.decodeParameters(entry.parameters)) }
        var requests: [StatementRequest] = []
        for (index, entry) in entries.enumerated() {
            requests.append(try inStatement(index) { () throws(DynamoError) in
                try StatementRequest.make(text: entry.text ?? "", parameters: parameters[index],
                                          returnValuesOnFailure: entry.returnValuesOnFailure)
            })
        }
        let reads = requests.filter { $0.statement.isRead }.count
        if reads > 0 && reads < requests.count {
            let position = requests.firstIndex { $0.statement.isRead != requests[0].statement.isRead } ?? 0
            throw DynamoError.validation("Validation failed in TransactStatements[\(position)]: Unsupported operation in transaction.")
        }
        let response = reads > 0 ? try readTransaction(requests, returnConsumedCapacity: returnConsumedCapacity, in: context)
                                 : try writeTransaction(requests, returnConsumedCapacity: returnConsumedCapacity, in: context)
        if let token {
            context.idempotencyTokens.remember(token: token, namespace: context.namespace, fingerprint: fingerprint,
                                               response: response, now: context.now)
        }
        return response
    }

    /// Wraps a statement's validation failure as DynamoDB does: "Validation failed in TransactStatements[i]: …".
    static func inStatement(_ index: Int, _ message: String) -> DynamoError {
        .validation("Validation failed in TransactStatements[\(index)]: \(message)")
    }

    /// Runs one statement's parsing or planning; its validation failures name the statement.
    static func inStatement<Value>(_ index: Int, _ body: () throws(DynamoError) -> Value) throws(DynamoError) -> Value {
        do {
            return try body()
        } catch where error.kind == .validation && !(error.message ?? "").hasPrefix("Validation failed in") {
            throw inStatement(index, error.message ?? "")
        }
    }

    static func readTransaction(_ requests: [StatementRequest], returnConsumedCapacity: String?,
                                in context: RequestContext) throws(DynamoError) -> JSONValue {
        var reads: [KeyedRead] = []
        for (index, request) in requests.enumerated() {
            guard case .select(let select) = request.statement else { continue }
            reads.append(try inStatement(index) { () throws(DynamoError) in
                try KeyedRead.make(select, request: request, in: context,
                                   keyRequired: .validation("Select statements within ExecuteTransaction must specify the primary key in the where clause."),
                                   indexRefused: .validation("Reads on indices are not supported within transactions."))
            })
        }
        let items = Transactions.read(reads.map { ($0.table, $0.key) })
        var responses: [JSONValue] = []
        var consumption: [ConsumedCapacity] = []
        for (read, item) in zip(reads, items) {
            if let result = item.flatMap(read.result) {
                responses.append(.object(JSONObject([("Item", result.json)])))
            } else {
                responses.append(.object(JSONObject()))
            }
            // Transactional reads cost twice a strongly consistent read.
            var consumed = ConsumedCapacity(tableName: read.table.name, dimension: .read)
            consumed.tableUnits = CapacityUnits.read(sizeInBytes: item.map(ItemSize.of) ?? 0, consistent: true)
            add(&consumption, consumed.doubled(), table: read.table, context: context)
        }
        return output(responses, consumption: consumption, mode: returnConsumedCapacity)
    }

    static func writeTransaction(_ requests: [StatementRequest], returnConsumedCapacity: String?,
                                 in context: RequestContext) throws(DynamoError) -> JSONValue {
        var statements: [StatementWrite] = []
        var seen = Set<String>()
        var consumption: [ConsumedCapacity] = []
        for (index, request) in requests.enumerated() {
            let write = try inStatement(index) { () throws(DynamoError) in try StatementWrite.make(request, in: context) }
            guard seen.insert("\(write.table.tableId)\u{0}\(write.key.partition)\u{0}\(write.key.sort)").inserted else {
                throw DynamoError.validation("Transaction request cannot include multiple operations on one item")
            }
            statements.append(write)
        }
        let settings = context.settings
        let writes = statements.map { statement in
            TransactionWrite(table: statement.table, key: statement.key) { current in
                do throws(DynamoError) {
                    return .success(try statement.decide(current, settings: settings))
                } catch {
                    return .failure(error)
                }
            }
        }
        switch Transactions.write(writes) {
        case .cancelled(let failures):
            throw cancellation(failures)
        case .committed(let outcomes):
            for (statement, outcome) in zip(statements, outcomes) {
                add(&consumption, statement.consumption(outcome, in: context).doubled(), table: statement.table, context: context)
            }
            return output([], consumption: consumption, mode: returnConsumedCapacity)
        }
    }

    /// Charges one statement's consumption and adds it to its table's total.
    static func add(_ consumption: inout [ConsumedCapacity], _ consumed: ConsumedCapacity, table: Table,
                    context: RequestContext) {
        CapacityGate(table: table, context: context).charge(consumed)
        if let position = consumption.firstIndex(where: { $0.tableName == consumed.tableName }) {
            consumption[position].add(consumed)
        } else {
            consumption.append(consumed)
        }
    }

    static func output(_ responses: [JSONValue], consumption: [ConsumedCapacity], mode: String?) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("Responses", .array(responses))]
        if let member = ConsumedCapacity.listMember(consumption, mode: mode) { members.append(member) }
        return .object(JSONObject(members))
    }

    /// DynamoDB's TransactionCanceledException: a reason per statement, in request order.
    static func cancellation(_ failures: [DynamoError?]) -> DynamoError {
        var codes: [String] = []
        var reasons: [JSONValue] = []
        for failure in failures {
            guard let failure else {
                codes.append("None")
                reasons.append(.object(JSONObject([("Code", .string("None"))])))
                continue
            }
            let code = StatementErrorCodes.code(for: failure)
            codes.append(code)
            reasons.append(StatementErrorCodes.errorObject(failure))
        }
        return DynamoError(.transactionCanceled,
                           "Transaction cancelled, please refer cancellation reasons for specific reasons [\(codes.joined(separator: ", "))]",
                           details: JSONObject([("CancellationReasons", .array(reasons))]))
    }
}
