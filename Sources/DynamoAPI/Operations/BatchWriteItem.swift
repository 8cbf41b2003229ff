import DynamoModel
import JSON
import Storage

/// BatchWriteItem: up to 25 puts and deletes across tables, no conditions. Every request is validated before any
/// is applied; each write is atomic on its own (the batch as a whole is not, as in DynamoDB).
enum BatchWriteItem {
    /// One validated write.
    struct Write {
        var table: Table
        var key: EncodedKey
        /// nil for a delete.
        var item: Item?
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
                    let key = try ItemKeys.keyOfBatchItem(item, in: table)
                    if ItemSize.of(item) > ItemSize.maximumBytes {
                        throw .validation("Item size has exceeded the maximum allowed size")
                    }
                    write = Write(table: table, key: key, item: item)
                } else {
                    write = Write(table: table, key: try ItemKeys.keyOfKeyMap(request.delete ?? [:], in: table), item: nil)
                }
                if !seen.insert(write.key).inserted {
                    throw .validation("Provided list of item keys contains duplicates")
                }
                writes.append(write)
            }
        }

        var unitsByTable: [(name: String, units: Double)] = []
        for write in writes {
            let outcome = write.table.write(write.key) { (current: Item?) -> WriteDecision in
                if let item = write.item { return .put(item) }
                return current == nil ? .unchanged : .delete
            }
            let units = ConsumedCapacityReport.writeUnits(oldSizeInBytes: outcome.oldItem.map(ItemSize.of) ?? 0,
                                                          newSizeInBytes: write.item.map(ItemSize.of) ?? 0)
            let name = write.table.definition.name
            if let index = unitsByTable.firstIndex(where: { $0.name == name }) {
                unitsByTable[index].units += units
            } else {
                unitsByTable.append((name, units))
            }
        }

        var output: [(key: String, value: JSONValue)] = [("UnprocessedItems", .object(JSONObject()))]
        if let returnConsumedCapacity, returnConsumedCapacity != "NONE" {
            let reports = unitsByTable.compactMap { entry in
                ConsumedCapacityReport.member(mode: returnConsumedCapacity, tableName: entry.name, units: entry.units,
                                              isWrite: true)?.value
            }
            output.append(("ConsumedCapacity", .array(reports)))
        }
        return .object(JSONObject(output))
    }
}
