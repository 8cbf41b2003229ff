import DynamoModel
import Testing
@testable import Expressions

@Suite("Key-condition planning")
struct KeyConditionTests {
    let schema = KeySchema(partitionKey: KeyAttribute(name: "pk", type: .s), sortKey: KeyAttribute(name: "sk", type: .n))
    static let values: [String: AttributeValue] = [":p": .s("p"), ":one": .n(DynamoNumber(1)), ":two": .n(DynamoNumber(2)),
                                                   ":s": .s("x")]

    func plan(_ text: String) throws(DynamoError) -> KeyCondition {
        var attributes = ExpressionAttributes(values: Self.values)
        return try KeyCondition.plan(try KeyCondition.parse(text, attributes: &attributes), schema: schema)
    }

    static let plans: [(String, SortKeyCondition?)] = [
        ("pk = :p", nil),
        ("pk = :p AND sk = :one", .equal(.n(DynamoNumber(1)))),
        ("sk < :one AND pk = :p", .less(.n(DynamoNumber(1)))),
        ("pk = :p AND sk <= :one", .lessOrEqual(.n(DynamoNumber(1)))),
        ("pk = :p AND sk > :one", .greater(.n(DynamoNumber(1)))),
        ("pk = :p AND :one < sk", .greater(.n(DynamoNumber(1)))),
        ("pk = :p AND sk >= :one", .greaterOrEqual(.n(DynamoNumber(1)))),
        ("pk = :p AND sk BETWEEN :one AND :two", .between(.n(DynamoNumber(1)), .n(DynamoNumber(2)))),
        ("(pk = :p) AND (sk = :two)", .equal(.n(DynamoNumber(2)))),
    ]

    @Test("Each supported form maps to its sort-key condition", arguments: plans)
    func planning(_ text: String, _ sort: SortKeyCondition?) throws {
        #expect(try plan(text) == KeyCondition(partitionValue: .s("p"), sort: sort))
    }

    static let refused: [(String, String)] = [
        ("sk = :one", "Query condition missed key schema element: pk"),
        ("pk = :p OR sk = :one", "Invalid operator used in KeyConditionExpression: OR"),
        ("NOT pk = :p", "Invalid operator used in KeyConditionExpression: NOT"),
        ("pk = :p AND sk <> :one", "Invalid operator used in KeyConditionExpression: <>"),
        ("pk = :p AND attribute_exists(sk)", "Invalid operator used in KeyConditionExpression: attribute_exists"),
        ("pk = :p AND sk = :one AND sk = :two", "Conditions can be of length 1 or 2 only"),
        ("pk = :p AND pk = :p", "KeyConditionExpressions must only contain one condition per key"),
        ("pk > :p", "Query key condition not supported"),
        ("pk = :one", "One or more parameter values were invalid: Condition parameter type does not match schema type"),
        ("pk = :p AND sk = :s", "One or more parameter values were invalid: Condition parameter type does not match schema type"),
        ("pk = :p AND colour = :one", "Query condition missed key schema element: sk"),
    ]

    @Test("Conditions a Query cannot serve are refused with DynamoDB's messages", arguments: refused)
    func refusals(_ text: String, _ message: String) {
        #expect(throws: DynamoError.validation(message)) { try plan(text) }
    }

    @Test("Legacy KeyConditions allow only indexable operators")
    func legacy() throws {
        let planned = try KeyCondition.plan(legacy: [
            LegacyCondition(attribute: "pk", comparisonOperator: "EQ", attributeValueList: [.s("p")]),
            LegacyCondition(attribute: "sk", comparisonOperator: "GE", attributeValueList: [.n(DynamoNumber(1))]),
        ], schema: schema)
        #expect(planned == KeyCondition(partitionValue: .s("p"), sort: .greaterOrEqual(.n(DynamoNumber(1)))))
        #expect(throws: DynamoError.validation("Attempted conditional constraint is not an indexable operation")) {
            try KeyCondition.plan(legacy: [LegacyCondition(attribute: "pk", comparisonOperator: "NE", attributeValueList: [.s("p")])],
                                  schema: schema)
        }
    }
}
