import DynamoModel
import JSON
import Storage
import Testing
@testable import DynamoAPI

/// CreateTable and UpdateTable requests that break a table- or index-definition rule, each with DynamoDB's answer.
@Suite("Table and index definition rules")
struct TableDefinitionRulesTests {
    static let namespace = Namespace(accountId: "000000000000", region: "us-east-1")

    /// Runs one operation on `service` and returns its error message, or nil when it succeeds.
    static func message(_ handler: @escaping OperationHandler, _ json: String, on service: DynamoService) -> String? {
        guard let input = try? JSONParser.parse(Array(json.utf8)) else {
            Issue.record("bad JSON in test: \(json)")
            return nil
        }
        switch service.run(handler, input: input, namespace: namespace, now: 1_700_000_000) {
        case .success: return nil
        case .failure(let error): return error.message
        }
    }

    static func attributes(_ names: [String], type: String = "S") -> String {
        names.map { #"{"AttributeName":"\#($0)","AttributeType":"\#(type)"}"# }.joined(separator: ",")
    }

    /// A PAY_PER_REQUEST table keyed on `p` with one global index of `keySchema` (a JSON list of [name, keyType]).
    static func createWithIndex(_ keys: [(String, String)], defined: [String], projection: String = #"{"ProjectionType":"ALL"}"#) -> String {
        let schema = keys.map { #"{"AttributeName":"\#($0.0)","KeyType":"\#($0.1)"}"# }.joined(separator: ",")
        return #"{"TableName":"tab1","BillingMode":"PAY_PER_REQUEST","KeySchema":[{"AttributeName":"p","KeyType":"HASH"}],"#
            + #""AttributeDefinitions":[\#(attributes(["p"] + defined))],"#
            + #""GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[\#(schema)],"Projection":\#(projection)}]}"#
    }

    static let createCases: [(String, String, String?)] = [
        ("four HASH and four RANGE attributes are a valid global index key",
         createWithIndex([("h1", "HASH"), ("h2", "HASH"), ("h3", "HASH"), ("h4", "HASH"),
                          ("r1", "RANGE"), ("r2", "RANGE"), ("r3", "RANGE"), ("r4", "RANGE")],
                         defined: ["h1", "h2", "h3", "h4", "r1", "r2", "r3", "r4"]), nil),
        ("two HASH attributes are a valid global index key",
         createWithIndex([("a", "HASH"), ("b", "HASH")], defined: ["a", "b"]), nil),
        ("five HASH attributes are too many",
         createWithIndex((1...5).map { ("a\($0)", "HASH") }, defined: (1...5).map { "a\($0)" }),
         "One or more parameter values were invalid: The KeySchema exceeds the maximum allowed number of HASH key attributes"),
        ("five RANGE attributes are too many",
         createWithIndex([("h", "HASH")] + (1...5).map { ("r\($0)", "RANGE") }, defined: ["h"] + (1...5).map { "r\($0)" }),
         "One or more parameter values were invalid: The KeySchema exceeds the maximum allowed number of RANGE key attributes"),
        ("a HASH attribute after a RANGE attribute",
         createWithIndex([("a", "HASH"), ("b", "RANGE"), ("c", "HASH")], defined: ["a", "b", "c"]),
         "One or more parameter values were invalid: All HASH key attributes must precede RANGE key attributes in the KeySchema"),
        ("a key schema starting with RANGE",
         createWithIndex([("a", "RANGE"), ("b", "HASH"), ("c", "HASH")], defined: ["a", "b", "c"]),
         "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
        ("one attribute twice among several",
         createWithIndex([("a", "HASH"), ("b", "HASH"), ("a", "RANGE")], defined: ["a", "b"]),
         "The KeySchema contains multiple key attributes with the same name"),
        ("one attribute as both HASH attributes",
         createWithIndex([("a", "HASH"), ("a", "HASH")], defined: ["a"]),
         "The KeySchema contains multiple key attributes with the same name"),
        ("a multi-attribute key naming an undefined attribute",
         createWithIndex([("a", "HASH"), ("b", "HASH"), ("c", "RANGE")], defined: ["a", "b"]),
         "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. "
            + "Keys: [a, b, c], AttributeDefinitions: [p, a, b]"),
        ("INCLUDE without NonKeyAttributes",
         createWithIndex([("a", "HASH")], defined: ["a"], projection: #"{"ProjectionType":"INCLUDE"}"#),
         "One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified"),
        ("a NonKeyAttributes name given twice",
         createWithIndex([("a", "HASH")], defined: ["a"],
                         projection: #"{"ProjectionType":"INCLUDE","NonKeyAttributes":["x","x"]}"#),
         "One or more parameter values were invalid: Duplicate element in NonKeyAttributes: x"),
        ("one attribute defined twice",
         #"{"TableName":"tab2","BillingMode":"PAY_PER_REQUEST","KeySchema":[{"AttributeName":"xyz","KeyType":"HASH"}],"#
            + #""AttributeDefinitions":[{"AttributeName":"xyz","AttributeType":"S"},{"AttributeName":"xyz","AttributeType":"N"}]}"#,
         "Attribute Name is duplicated: xyz"),
        ("an attribute definition name longer than 255 bytes",
         #"{"TableName":"tab3","BillingMode":"PAY_PER_REQUEST","KeySchema":[{"AttributeName":"p","KeyType":"HASH"}],"#
            + #""AttributeDefinitions":[{"AttributeName":"\#(String(repeating: "n", count: 256))","AttributeType":"S"}]}"#,
         "1 validation error detected: Value '\(String(repeating: "n", count: 256))' at "
            + "'attributeDefinitions.1.member.attributeName' failed to satisfy constraint: "
            + "Member must have length less than or equal to 255"),
        ("a warm throughput below the provisioned capacity",
         #"{"TableName":"tab4","KeySchema":[{"AttributeName":"p","KeyType":"HASH"}],"#
            + #""AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"}],"#
            + #""ProvisionedThroughput":{"ReadCapacityUnits":20000,"WriteCapacityUnits":5},"#
            + #""WarmThroughput":{"ReadUnitsPerSecond":15000}}"#,
         "One or more parameter values were invalid: Requested ReadUnitsPerSecond for WarmThroughput for table is lower "
            + "than ReadCapacityUnits of ProvisionedThroughput"),
    ]

    @Test("CreateTable answers each definition rule with DynamoDB's message", arguments: createCases)
    func createTable(_ name: String, _ request: String, _ expected: String?) {
        let service = DynamoService(catalog: Catalog())
        #expect(Self.message(CreateTable.handle, request, on: service) == expected, "\(name)")
    }

    static let table = #"{"TableName":"base","BillingMode":"PAY_PER_REQUEST","KeySchema":[{"AttributeName":"p","KeyType":"HASH"}],"#
        + #""AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"},{"AttributeName":"xyz","AttributeType":"S"}],"#
        + #""GlobalSecondaryIndexes":[{"IndexName":"one","KeySchema":[{"AttributeName":"xyz","KeyType":"HASH"}],"#
        + #""Projection":{"ProjectionType":"ALL"}}]}"#

    static let updateCases: [(String, String, String?)] = [
        ("a new index giving a defined attribute another type",
         #"{"TableName":"base","AttributeDefinitions":[{"AttributeName":"xyz","AttributeType":"N"}],"#
            + #""GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"two","KeySchema":[{"AttributeName":"xyz","KeyType":"HASH"}],"#
            + #""Projection":{"ProjectionType":"ALL"}}}]}"#,
         "One or more parameter values were invalid: Attributes cannot be redefined. Please check that your attribute "
            + "has the same type as previously defined. Existing schema: Schema:[SchemaElement: key{xyz:S:HASH}] "
            + "New schema: Schema:[SchemaElement: key{xyz:N:HASH}]"),
        ("an index creation without AttributeDefinitions",
         #"{"TableName":"base","GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"two","#
            + #""KeySchema":[{"AttributeName":"xyz","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}}]}"#,
         "One or more parameter values were invalid: AttributeDefinitions is not specified for index: two"),
        ("two actions in one update object",
         #"{"TableName":"base","AttributeDefinitions":[{"AttributeName":"q","AttributeType":"S"}],"#
            + #""GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"two","KeySchema":[{"AttributeName":"q","KeyType":"HASH"}],"#
            + #""Projection":{"ProjectionType":"ALL"}},"Delete":{"IndexName":"one"}}]}"#,
         "One or more parameter values were invalid: Only one global secondary index action is allowed per "
            + "GlobalSecondaryIndexUpdate object"),
        ("two deletions of unknown indexes hit the online-index limit first",
         #"{"TableName":"base","GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"x1"}},{"Delete":{"IndexName":"x2"}}]}"#,
         "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table"),
        ("a multi-attribute index with a HASH attribute after a RANGE one",
         #"{"TableName":"base","AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"},"#
            + #"{"AttributeName":"b","AttributeType":"S"},{"AttributeName":"c","AttributeType":"S"}],"#
            + #""GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"two","KeySchema":[{"AttributeName":"a","KeyType":"HASH"},"#
            + #"{"AttributeName":"c","KeyType":"RANGE"},{"AttributeName":"b","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}}]}"#,
         "One or more parameter values were invalid: All HASH key attributes must precede RANGE key attributes in the KeySchema"),
        ("a warm throughput decrease",
         #"{"TableName":"base","WarmThroughput":{"ReadUnitsPerSecond":100}}"#,
         "One or more parameter values were invalid: Requested ReadUnitsPerSecond for WarmThroughput for table is lower "
            + "than current WarmThroughput, decreasing WarmThroughput is not supported"),
        ("a warm throughput change with another change",
         #"{"TableName":"base","WarmThroughput":{"ReadUnitsPerSecond":20000},"DeletionProtectionEnabled":true}"#,
         "One or more parameter values were invalid: WarmThroughput must be the only operation in the request"),
        ("a warm throughput increase", #"{"TableName":"base","WarmThroughput":{"ReadUnitsPerSecond":20000}}"#, nil),
    ]

    @Test("UpdateTable answers each index and warm-throughput rule with DynamoDB's message", arguments: updateCases)
    func updateTable(_ name: String, _ request: String, _ expected: String?) {
        let service = DynamoService(catalog: Catalog())
        #expect(Self.message(CreateTable.handle, Self.table, on: service) == nil)
        #expect(Self.message(UpdateTable.handle, request, on: service) == expected, "\(name)")
    }
}
