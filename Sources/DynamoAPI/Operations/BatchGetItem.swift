import Capacity
import DynamoModel
import Expressions
import JSON
import Storage

/// BatchGetItem: up to 100 keys across tables, each table with its own projection and consistency; answers at most
/// 16 MB and returns the rest as `UnprocessedKeys`, as DynamoDB does.
enum BatchGetItem {
    static let maximumKeys = 100
    static let maximumResponseBytes = 16 * 1024 * 1024

    /// One table's request, decoded.
    struct TableRequest {
        var tableName: String
        var keys: [Item]
        var projection: ProjectionParameters
        var expressionParameters: ExpressionParameters
        var consistentRead: Bool
        /// The request block as sent, echoed in `UnprocessedKeys`.
        var block: JSONObject
    }

    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let requestItems = try reader.object("RequestItems")
        let returnConsumedCapacity = try reader.string("ReturnConsumedCapacity")

        var requests: [TableRequest] = []
        for (tableName, value) in requestItems?.members ?? [] {
            let block = try InputReader.object(value) ?? JSONObject()
            let blockReader = InputReader(block)
            var keys: [Item] = []
            for entry in try blockReader.array("Keys") ?? [] {
                keys.append(try CommonParameters.item(entry) ?? [:])
            }
            requests.append(TableRequest(tableName: tableName, keys: keys,
                                         projection: try ProjectionParameters.read(block, reader: blockReader),
                                         expressionParameters: try ExpressionParameters.read(block),
                                         consistentRead: try blockReader.boolean("ConsistentRead") ?? false,
                                         block: block))
        }

        if requestItems == nil {
            reader.require(false, at: "requestItems")
        } else if requests.isEmpty {
            reader.addViolation("Value at 'RequestItems' failed to satisfy constraint: Member must have length greater than or equal to 1")
        }
        for index in requests.indices {
            let request = requests[index]
            if !TableNameRules.matchesPattern(request.tableName) || request.tableName.utf8.count < 3
                || request.tableName.utf8.count > 255 {
                reader.addViolation("Value '{\"\(request.tableName)\":...}' at 'requestItems' failed to satisfy "
                    + "constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 255, "
                    + "Member must have length greater than or equal to 3, Member must satisfy regular expression "
                    + "pattern: [a-zA-Z0-9_.-]+]")
            }
            if request.keys.isEmpty {
                reader.addViolation("Value at 'RequestItems.\(request.tableName).member.Keys' failed to satisfy "
                    + "constraint: Member must have length greater than or equal to 1")
            } else if request.keys.count > maximumKeys {
                reader.addViolation("Value at 'RequestItems.\(request.tableName).member.Keys' failed to satisfy "
                    + "constraint: Member must have length less than or equal to 100")
            }
            request.projection.validate(into: &reader)
            request.expressionParameters.validate(into: &reader, usesNames: request.projection.projectionExpression != nil,
                                                  usesValues: false)
        }
        reader.validateEnum(returnConsumedCapacity, at: "returnConsumedCapacity",
                            allowed: CommonParameters.returnConsumedCapacity)
        try reader.throwValidationErrors()
        if requests.reduce(0, { $0 + $1.keys.count }) > maximumKeys {
            throw .validation("Too many items requested for the BatchGetItem call")
        }

        // Validate every key and projection before reading anything.
        var plans: [(request: TableRequest, table: Table, keys: [EncodedKey], projector: Projector)] = []
        for request in requests {
            var attributes = request.expressionParameters.attributes
            let projector = try request.projection.compile(&attributes)
            try attributes.checkAllUsed()
            let table = try TableLookup.activeTable(request.tableName, in: context)
            var seen = Set<EncodedKey>()
            var encoded: [EncodedKey] = []
            for key in request.keys {
                let encodedKey = try ItemKeys.keyOfKeyMap(key, in: table)
                if !seen.insert(encodedKey).inserted {
                    throw .validation("Provided list of item keys contains duplicates")
                }
                encoded.append(encodedKey)
            }
            plans.append((request, table, encoded, projector))
        }

        var responses: [(key: String, value: JSONValue)] = []
        var unprocessed: [(key: String, value: JSONValue)] = []
        var capacity: [ConsumedCapacity] = []
        var responseBytes = 0
        var readKeys = 0
        var firstRefusal: DynamoError?
        for plan in plans {
            var items: [JSONValue] = []
            var leftOver: [JSONValue] = []
            // Each key is read (and metered, rounded to 4 KB) as its own GetItem; a throttled key is left over.
            let gate = CapacityGate(table: plan.table, context: context)
            let consistent = plan.request.consistentRead
            var consumed = ConsumedCapacity(tableName: plan.table.name, dimension: .read)
            for (index, key) in plan.keys.enumerated() {
                let gate = gate.keyed(plan.request.keys[index])
                if responseBytes >= maximumResponseBytes {
                    leftOver.append(plan.request.keys[index].json)
                    continue
                }
                do throws(DynamoError) {
                    try gate.admitRead(index: nil, expectedUnits: CapacityUnits.read(sizeInBytes: 0, consistent: consistent))
                } catch {
                    firstRefusal = firstRefusal ?? error
                    leftOver.append(plan.request.keys[index].json)
                    continue
                }
                readKeys += 1
                let stored = plan.table.storedItem(key)
                var one = ConsumedCapacity(tableName: plan.table.name, dimension: .read)
                one.tableUnits = CapacityUnits.read(sizeInBytes: stored?.sizeInBytes ?? 0, consistent: consistent)
                gate.charge(one)
                consumed.add(one)
                guard let stored else { continue }
                responseBytes += stored.sizeInBytes
                items.append(plan.projector.json(of: stored))
            }
            responses.append((plan.request.tableName, .array(items)))
            if !leftOver.isEmpty {
                var block = plan.request.block.members.filter { $0.key != "Keys" }
                block.append(("Keys", .array(leftOver)))
                unprocessed.append((plan.request.tableName, .object(JSONObject(block))))
            }
            capacity.append(consumed)
        }
        if readKeys == 0, let firstRefusal { throw firstRefusal }
        var output: [(key: String, value: JSONValue)] = [("Responses", .object(JSONObject(responses))),
                                                         ("UnprocessedKeys", .object(JSONObject(unprocessed)))]
        if let member = ConsumedCapacity.listMember(capacity, mode: returnConsumedCapacity) { output.append(member) }
        return .object(JSONObject(output))
    }
}
