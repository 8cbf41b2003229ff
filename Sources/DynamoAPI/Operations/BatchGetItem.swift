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
        var capacity: [JSONValue] = []
        var responseBytes = 0
        for plan in plans {
            var items: [JSONValue] = []
            var leftOver: [JSONValue] = []
            var units = 0.0
            for (index, key) in plan.keys.enumerated() {
                if responseBytes >= maximumResponseBytes {
                    leftOver.append(plan.request.keys[index].json)
                    continue
                }
                guard let item = plan.table.getItem(key) else { continue }
                let size = ItemSize.of(item)
                units += ConsumedCapacityReport.readUnits(itemSizeInBytes: size, consistent: plan.request.consistentRead)
                responseBytes += size
                items.append(plan.projector.apply(to: item).json)
            }
            responses.append((plan.request.tableName, .array(items)))
            if !leftOver.isEmpty {
                var block = plan.request.block.members.filter { $0.key != "Keys" }
                block.append(("Keys", .array(leftOver)))
                unprocessed.append((plan.request.tableName, .object(JSONObject(block))))
            }
            if let report = ConsumedCapacityReport.member(mode: returnConsumedCapacity, tableName: plan.table.definition.name,
                                                          units: units, isWrite: false) {
                capacity.append(report.value)
            }
        }
        var output: [(key: String, value: JSONValue)] = [("Responses", .object(JSONObject(responses))),
                                                         ("UnprocessedKeys", .object(JSONObject(unprocessed)))]
        if !capacity.isEmpty { output.append(("ConsumedCapacity", .array(capacity))) }
        return .object(JSONObject(output))
    }
}
