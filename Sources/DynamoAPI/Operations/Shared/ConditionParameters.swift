import DynamoModel
import JSON

/// The condition parameters of single-item writes: `ConditionExpression` with its attribute names and values, or
/// the legacy `Expected` with `ConditionalOperator`. Checked and compiled once, evaluated under the shard lock.
struct ConditionParameters {
    var conditionExpression: String?
    var names: [String: String]?
    var values: [String: AttributeValue]?
    var expected: JSONObject?
    var conditionalOperator: String?
    /// Whether the operation has other expressions (UpdateExpression, ProjectionExpression) that may use names.
    var otherExpressionsPresent = false

    static func read(_ input: JSONObject, reader: InputReader) throws(DynamoError) -> ConditionParameters {
        ConditionParameters(
            conditionExpression: try reader.string("ConditionExpression"),
            names: try CommonParameters.stringMap(input["ExpressionAttributeNames"]),
            values: try CommonParameters.valueMap(input["ExpressionAttributeValues"]),
            expected: try reader.object("Expected"),
            conditionalOperator: try reader.string("ConditionalOperator"))
    }

    /// Constraint checks reported with the other validation errors of the request.
    mutating func validate(into reader: inout InputReader) {
        reader.validateEnum(conditionalOperator, at: "conditionalOperator", allowed: CommonParameters.conditionalOperator)
        let usesExpressions = conditionExpression != nil || otherExpressionsPresent
        if values != nil && !usesExpressions {
            reader.addViolation("ExpressionAttributeValues can only be specified when using expressions")
        }
        if names != nil && !usesExpressions {
            reader.addViolation("ExpressionAttributeNames can only be specified when using expressions")
        }
    }

    /// Checks combinations and compiles the condition.
    func compile() throws(DynamoError) -> WriteCondition {
        if expected != nil && conditionExpression != nil {
            throw .validation("Can not use both expression and non-expression parameters in the same request: "
                + "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}")
        }
        if conditionExpression != nil || expected != nil {
            // Arrives with the Expressions target (the expressions issue).
            throw .validation("SwiftDynamo does not support conditional writes yet (ConditionExpression, Expected).")
        }
        return WriteCondition()
    }
}

/// A compiled write condition; `verify` runs inside the shard's critical section.
struct WriteCondition {
    /// Throws ConditionalCheckFailedException (with the item when asked) when the condition does not hold.
    func verify(_ current: Item?, returnValuesOnFailure: String?) throws(DynamoError) {}
}
