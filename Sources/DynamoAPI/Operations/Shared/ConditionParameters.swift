import DynamoModel
import Expressions
import JSON

/// The condition parameters of single-item writes: `ConditionExpression`, or the legacy `Expected` with
/// `ConditionalOperator`. Compiled once; evaluated inside the shard's critical section, so the check and the
/// write are atomic.
struct ConditionParameters {
    var conditionExpression: String?
    var expected: [LegacyCondition]?
    var conditionalOperator: String?

    static func read(_ input: JSONObject, reader: InputReader) throws(DynamoError) -> ConditionParameters {
        ConditionParameters(conditionExpression: try reader.string("ConditionExpression"),
                            expected: try LegacyConditionInput.read(input["Expected"]),
                            conditionalOperator: try reader.string("ConditionalOperator"))
    }

    func validate(into reader: inout InputReader) {
        reader.validateEnum(conditionalOperator, at: "conditionalOperator", allowed: CommonParameters.conditionalOperator)
    }

    /// Parses the condition (placeholders resolved through the request's shared attributes).
    func compile(_ attributes: inout ExpressionAttributes) throws(DynamoError) -> WriteCondition {
        if let conditionExpression {
            return WriteCondition(condition: try ConditionExpression.parse(conditionExpression, kind: .condition,
                                                                           attributes: &attributes).condition)
        }
        if let expected {
            return WriteCondition(condition: try LegacyParameters.expected(expected, conditionalOperator: conditionalOperator))
        }
        return WriteCondition(condition: nil)
    }
}

/// A compiled write condition.
struct WriteCondition {
    var condition: Condition?

    /// Throws ConditionalCheckFailedException (with the item when `ALL_OLD` is asked) when the condition fails.
    func verify(_ current: Item?, returnValuesOnFailure: String?) throws(DynamoError) {
        guard let condition, !Evaluator.evaluate(condition, on: current) else { return }
        var details: JSONObject?
        if returnValuesOnFailure == "ALL_OLD", let current { details = JSONObject([("Item", current.json)]) }
        throw DynamoError(.conditionalCheckFailed, "The conditional request failed", details: details)
    }
}
