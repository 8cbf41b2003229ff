import Capacity
import DynamoModel
import JSON
import Storage

/// BatchWriteItem: up to 25 puts and deletes across tables, no conditions. Every request is validated before any
/// is applied; each write is atomic on its own (the batch as a whole is not, as in DynamoDB).
enum BatchWriteItem {
    /// One validated write.
    struct Write {
        var write: ItemWrite
        /// nil for a delete.
        var item: Item?
        /// The key as the request gave it (for a delete returned in UnprocessedItems).
        var keyMap: Item = [:]

        var table: Table { write.table }
    }

    static let maximumRequests = 25

    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let requestItems = try reader.object("RequestItems")
        let returnConsumedCapacity = try reader.string("ReturnConsumedCapacity")
        let returnItemCollectionMetrics = try reader.string("ReturnItemCollectionMetrics")

        // Type checks and decoding of every request.
        var decoded: [(tableName: String, requests: [(put: Item?, delete: Item?)])] = []
        for (tableName, value) in requestItems?.members ?? [] {
            let list = try InputReader.array(value) ?? []
            var requests: [(put: Item?, delete: Item?)] = []
            for entry in list {
                let request = try InputReader.object(entry) ?? JSONObject()
                let put = try InputReader.object(request["PutRequest"]).map { (object: JSONObject) throws(DynamoError) in
                    try CommonParameters.item(object["Item"]) ?? [:]
                }
                let delete = try InputReader.object(request["DeleteRequest"]).map { (object: JSONObject) throws(DynamoError) in
                    try CommonParameters.item(object["Key"]) ?? [:]
                }
                requests.append((put, delete))
            }
            decoded.append((tableName, requests))
        }

        if requestItems == nil {
            reader.require(false, at: "requestItems")
        } else if decoded.isEmpty {
            reader.addViolation("Value at 'RequestItems' failed to satisfy constraint: Member must have length greater than or equal to 1")
        }
        for (tableName, requests) in decoded {
            if !TableNameRules.matchesPattern(tableName) || tableName.utf8.count < 3 || tableName.utf8.count > 255 {
                reader.addViolation("Value '{\(tableName)=[...]}' at 'requestItems' failed to satisfy constraint: Map keys "
                    + "must satisfy constraint: [Member must have length less than or equal to 255, Member must have "
                    + "length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]")
            }
            if requests.isEmpty {
                reader.addViolation("Value '{\(tableName)=[]}' at 'requestItems' failed to satisfy constraint: Map value "
                    + "must satisfy constraint: [Member must have length less than or equal to 25, Member must have length "
                    + "greater than or equal to 1]")
            } else if requests.count > maximumRequests {
                reader.addViolation("Value at 'RequestItems.\(tableName).member' failed to satisfy constraint: Member must "
                    + "have length less than or equal to 25")
            }
        }
        reader.validateEnum(returnConsumedCapacity, at: "returnConsumedCapacity",
                            allowed: CommonParameters.returnConsumedCapacity)
        reader.validateEnum(returnItemCollectionMetrics, at: "returnItemCollectionMetrics",
                            allowed: CommonParameters.returnItemCollectionMetrics)
        try reader.throwValidationErrors()
        if decoded.reduce(0, { $0 + $1.requests.count }) > maximumRequests {
            throw .validation("Too many items requested for the BatchWriteItem call")
        }

        // Resolve tables and keys; reject duplicates; check sizes — all before any write.
        var writes: [Write] = []
        for (tableName, requests) in decoded {
            let table = try TableLookup.activeTable(tableName, in: context)
            var seen = Set<EncodedKey>()
            for request in requests {
                if (request.put == nil) == (request.delete == nil) {
                    throw .validation("Supplied WriteRequest has more than one or no request set, must contain exactly "
                        + "one of PutRequest or DeleteRequest")
                }
                let write: Write
                if let item = request.put {
                    let put = ItemWrite(table: table, key: try ItemKeys.keyOfBatchItem(item, in: table), action: .put(item))
                    try put.prepareAlone()
                    write = Write(write: put, item: item)
                } else {
                    let keyMap = request.delete ?? [:]
                    write = Write(write: ItemWrite(table: table, key: try ItemKeys.keyOfKeyMap(keyMap, in: table),
                                                   action: .delete),
                                  item: nil, keyMap: keyMap)
                }
                if !seen.insert(write.write.key).inserted {
                    throw .validation("Provided list of item keys contains duplicates")
                }
                writes.append(write)
            }
        }

        // Each write is admitted on its own: throttled ones come back as UnprocessedItems; only a batch with every
        // write throttled fails, as in DynamoDB.
        var gates: [String: CapacityGate] = [:]
        var consumedByTable: [ConsumedCapacity] = []
        var unprocessed: [(key: String, value: JSONValue)] = []
        var firstRefusal: DynamoError?
        var applied = 0
        for write in writes {
            let name = write.table.name
            let tableGate = gates[name] ?? CapacityGate(table: write.table, context: context)
            gates[name] = tableGate
            let gate = tableGate.keyed(write.item ?? write.keyMap)
            if !consumedByTable.contains(where: { $0.tableName == name }) {
                consumedByTable.append(ConsumedCapacity(tableName: name, dimension: .write))
            }
            let expected = CapacityUnits.write(oldSizeInBytes: 0, newSizeInBytes: write.item.map(ItemSize.of) ?? 0)
            if let refusal = gate.refusalOfWrite(expectedUnits: expected) {
                firstRefusal = firstRefusal ?? refusal
                let request: JSONValue = write.item.map { item in
                    .object(JSONObject([("PutRequest", .object(JSONObject([("Item", item.json)])))]))
                } ?? .object(JSONObject([("DeleteRequest", .object(JSONObject([("Key", write.keyMap.json)])))]))
                if let position = unprocessed.firstIndex(where: { $0.key == name }), case .array(var list) = unprocessed[position].value {
                    list.append(request)
                    unprocessed[position].value = .array(list)
                } else {
                    unprocessed.append((name, .array([request])))
                }
                continue
            }
            var current: Item?
            let outcome = try write.write.apply(settings: context.settings, seen: &current)
            applied += 1
            let consumed = gate.writeConsumption(oldItem: outcome.oldItem, newItem: outcome.newItem)
            gate.charge(consumed)
            if let position = consumedByTable.firstIndex(where: { $0.tableName == name }) {
                consumedByTable[position].add(consumed)
            }
        }
        if applied == 0, let firstRefusal { throw firstRefusal }

        var output: [(key: String, value: JSONValue)] = [("UnprocessedItems", .object(JSONObject(unprocessed)))]
        if let member = ConsumedCapacity.listMember(consumedByTable, mode: returnConsumedCapacity) {
            output.append(member)
        }
        return .object(JSONObject(output))
    }
}
