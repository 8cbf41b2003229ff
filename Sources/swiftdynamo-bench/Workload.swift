import JSON

/// YCSB's core workloads mapped onto DynamoDB operations, plus single-operation ones.
enum Workload: String, CaseIterable {
    /// 50% GetItem, 50% UpdateItem.
    case a
    /// 95% GetItem, 5% UpdateItem.
    case b
    /// 100% GetItem.
    case c
    /// 95% GetItem of recently inserted keys, 5% PutItem of new keys.
    case d
    /// 95% Query of a short range, 5% PutItem.
    case e
    /// 50% GetItem, 50% read-modify-write (GetItem, then conditional UpdateItem).
    case f
    /// 100% PutItem.
    case put
    /// 100% Query (up to 10 items).
    case query

    /// The operation to run for a draw in [0, 1).
    func operation(_ draw: Double) -> Operation {
        switch self {
        case .a: return draw < 0.5 ? .get : .update
        case .b: return draw < 0.95 ? .get : .update
        case .c: return .get
        case .d: return draw < 0.95 ? .getLatest : .insert
        case .e: return draw < 0.95 ? .scanRange : .insert
        case .f: return draw < 0.5 ? .get : .readModifyWrite
        case .put: return .put
        case .query: return .scanRange
        }
    }

    enum Operation {
        case get, update, put, insert, getLatest, scanRange, readModifyWrite
    }
}

/// Request bodies. The table has partition key `pk` (S) and sort key `sk` (N): item i lives at
/// pk = "user{i / 10}", sk = i % 10, so a Query over one pk reads up to 10 items.
enum RequestBodies {
    static func key(_ index: Int) -> JSONValue {
        .object(JSONObject([("pk", .object(JSONObject([("S", .string("user\(index / 10)"))]))),
                            ("sk", .object(JSONObject([("N", .string(String(index % 10)))])))]))
    }

    static func get(table: String, index: Int) -> [UInt8] {
        JSONWriter.serialize(.object(JSONObject([("TableName", .string(table)), ("Key", key(index))])))
    }

    static func put(table: String, index: Int, payload: String) -> [UInt8] {
        guard case .object(var item) = key(index) else { return [] }
        item.members.append(("field0", .object(JSONObject([("S", .string(payload))]))))
        item.members.append(("version", .object(JSONObject([("N", .string("0"))]))))
        return JSONWriter.serialize(.object(JSONObject([("TableName", .string(table)), ("Item", .object(item))])))
    }

    static func update(table: String, index: Int, payload: String, expectedVersion: String? = nil) -> [UInt8] {
        var members: [(key: String, value: JSONValue)] = [
            ("TableName", .string(table)), ("Key", key(index)),
            ("UpdateExpression", .string("SET field0 = :p ADD version :one")),
        ]
        var values: [(key: String, value: JSONValue)] = [(":p", .object(JSONObject([("S", .string(payload))]))),
                                                         (":one", .object(JSONObject([("N", .string("1"))])))]
        if let expectedVersion {
            members.append(("ConditionExpression", .string("version = :v")))
            values.append((":v", .object(JSONObject([("N", .string(expectedVersion))]))))
        }
        members.append(("ExpressionAttributeValues", .object(JSONObject(values))))
        return JSONWriter.serialize(.object(JSONObject(members)))
    }

    static func query(table: String, index: Int) -> [UInt8] {
        JSONWriter.serialize(.object(JSONObject([
            ("TableName", .string(table)), ("KeyConditionExpression", .string("pk = :p")),
            ("ExpressionAttributeValues", .object(JSONObject([(":p", .object(JSONObject([("S", .string("user\(index / 10)"))])))]))),
            ("Limit", .number("10")),
        ])))
    }

    static func batch(table: String, indexes: Range<Int>, payload: String) -> [UInt8] {
        let requests: [JSONValue] = indexes.map { index in
            guard case .object(var item) = key(index) else { return .null }
            item.members.append(("field0", .object(JSONObject([("S", .string(payload))]))))
            item.members.append(("version", .object(JSONObject([("N", .string("0"))]))))
            return .object(JSONObject([("PutRequest", .object(JSONObject([("Item", .object(item))])))]))
        }
        return JSONWriter.serialize(.object(JSONObject([("RequestItems", .object(JSONObject([(table, .array(requests))])))])))
    }

    static func createTable(_ table: String) -> [UInt8] {
        Array(("{\"TableName\":\"\(table)\",\"BillingMode\":\"PAY_PER_REQUEST\",\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},"
            + "{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},"
            + "{\"AttributeName\":\"sk\",\"AttributeType\":\"N\"}]}").utf8)
    }
}
