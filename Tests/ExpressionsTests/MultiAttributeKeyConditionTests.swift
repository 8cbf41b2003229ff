import DynamoModel
import Testing
@testable import Expressions

/// Key conditions on a global index with a multi-attribute key: HASH (h1 S, h2 S), RANGE (r1 S, r2 N, r3 S).
@Suite("Multi-attribute key-condition planning")
struct MultiAttributeKeyConditionTests {
    static let schema = KeySchema(
        partitionKeys: [KeyAttribute(name: "h1", type: .s), KeyAttribute(name: "h2", type: .s)],
        sortKeys: [KeyAttribute(name: "r1", type: .s), KeyAttribute(name: "r2", type: .n), KeyAttribute(name: "r3", type: .s)])
    static let values: [String: AttributeValue] = [":a": .s("a"), ":b": .s("b"), ":one": .n(DynamoNumber(1)),
                                                   ":two": .n(DynamoNumber(2)), ":s": .s("x")]

    static func plan(_ text: String) throws(DynamoError) -> MultiAttributeKeyCondition {
        var attributes = ExpressionAttributes(values: values)
        return try KeyCondition.planMultiAttribute(try KeyCondition.parse(text, attributes: &attributes), schema: schema)
    }

    static let plans: [(String, [AttributeValue], SortKeyCondition?)] = [
        ("h1 = :a AND h2 = :b", [], nil),
        ("h2 = :b AND h1 = :a AND r1 = :s", [], .equal(.s("x"))),
        ("h1 = :a AND h2 = :b AND r1 > :s", [], .greater(.s("x"))),
        ("r2 BETWEEN :one AND :two AND h1 = :a AND r1 = :s AND h2 = :b", [.s("x")],
         .between(.n(DynamoNumber(1)), .n(DynamoNumber(2)))),
        ("h1 = :a AND h2 = :b AND r1 = :s AND r2 = :one AND begins_with(r3, :a)", [.s("x"), .n(DynamoNumber(1))],
         .beginsWith(.s("a"))),
    ]

    @Test("Equalities on the HASH attributes and a RANGE prefix, and one condition after it", arguments: plans)
    func planning(_ text: String, _ prefix: [AttributeValue], _ next: SortKeyCondition?) throws {
        #expect(try Self.plan(text) == MultiAttributeKeyCondition(partitionValues: [.s("a"), .s("b")], sortPrefix: prefix,
                                                                     nextSort: next))
    }

    static let refused: [(String, String)] = [
        ("h1 = :a", "HASH key attributes h2 must have equality conditions"),
        ("h1 = :a AND h2 > :b", "HASH key attributes h2 must have equality conditions"),
        ("h1 = :a AND begins_with(h2, :b)", "HASH key attributes h2 must have equality conditions"),
        ("r1 = :s AND r2 = :one", "HASH key attributes h1 must have equality conditions"),
        ("h1 = :a AND h2 = :b AND r2 = :one",
         "RANGE key attributes r1 must have equality conditions specified in the query because a condition is present "
            + "on key attribute r2"),
        ("h1 = :a AND h2 = :b AND r1 = :s AND r3 = :s",
         "RANGE key attributes r2 must have equality conditions specified in the query because a condition is present "
            + "on key attribute r3"),
        ("h1 = :a AND h2 = :b AND r1 > :s AND r2 = :one",
         "RANGE key attributes r1 must have equality conditions specified in the query because a condition is present "
            + "on key attribute r2"),
        ("h1 = :a AND h2 = :b AND r1 = :one", "One or more parameter values were invalid: Condition parameter type does not match schema type"),
        ("h1 = :a AND h2 = :b AND r1 = :s AND begins_with(r2, :s)",
         "One or more parameter values were invalid: Condition parameter type does not match schema type"),
        ("h1 = :a AND h2 = :b AND h1 = :a", "KeyConditionExpressions must only contain one condition per key"),
        ("h1 = :a AND h2 = :b AND extra = :s", "Query key condition not supported"),
        ("h1 = :a OR h2 = :b", "Invalid operator used in KeyConditionExpression: OR"),
    ]

    @Test("Conditions DynamoDB refuses, with its messages", arguments: refused)
    func refusals(_ text: String, _ message: String) {
        #expect(throws: DynamoError.validation(message)) { try Self.plan(text) }
    }

    @Test("Legacy KeyConditions follow the same rules")
    func legacy() throws {
        let entries = [
            LegacyCondition(attribute: "h1", comparisonOperator: "EQ", attributeValueList: [.s("a")]),
            LegacyCondition(attribute: "h2", comparisonOperator: "EQ", attributeValueList: [.s("b")]),
            LegacyCondition(attribute: "r2", comparisonOperator: "GT", attributeValueList: [.n(DynamoNumber(1))]),
        ]
        #expect(throws: DynamoError.validation("RANGE key attributes r1 must have equality conditions specified in the query "
            + "because a condition is present on key attribute r2")) {
            try KeyCondition.planMultiAttribute(legacy: entries, schema: Self.schema)
        }
        let plan = try KeyCondition.planMultiAttribute(legacy: Array(entries.prefix(2)), schema: Self.schema)
        #expect(plan.partitionValues == [.s("a"), .s("b")])
    }
}
