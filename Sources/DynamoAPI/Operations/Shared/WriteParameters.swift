import DynamoModel
import Expressions
import JSON

/// What PutItem, DeleteItem and UpdateItem share: the table, the return options, the condition and the request's
/// expression attributes, read and checked the same way for all three.
struct WriteParameters {
    var tableName: String?
    var returnValues: String?
    var returnConsumedCapacity: String?
    var returnItemCollectionMetrics: String?
    var returnValuesOnFailure: String?
    var condition: ConditionParameters
    var expressionParameters: ExpressionParameters

    static func read(_ input: JSONObject, reader: InputReader) throws(DynamoError) -> WriteParameters {
        WriteParameters(tableName: try reader.string("TableName"),
                        returnValues: try reader.string("ReturnValues"),
                        returnConsumedCapacity: try reader.string("ReturnConsumedCapacity"),
                        returnItemCollectionMetrics: try reader.string("ReturnItemCollectionMetrics"),
                        returnValuesOnFailure: try reader.string("ReturnValuesOnConditionCheckFailure"),
                        condition: try ConditionParameters.read(input, reader: reader),
                        expressionParameters: try ExpressionParameters.read(input))
    }

    /// Constraint checks; `otherExpression` says whether the operation has an expression of its own
    /// (UpdateExpression) that may use the attribute names and values.
    func validate(into reader: inout InputReader, otherExpression: Bool = false) {
        reader.validateTableNameOrArn(tableName, at: "tableName")
        reader.validateEnum(returnValues, at: "returnValues", allowed: CommonParameters.returnValues)
        reader.validateEnum(returnConsumedCapacity, at: "returnConsumedCapacity",
                            allowed: CommonParameters.returnConsumedCapacity)
        reader.validateEnum(returnItemCollectionMetrics, at: "returnItemCollectionMetrics",
                            allowed: CommonParameters.returnItemCollectionMetrics)
        reader.validateEnum(returnValuesOnFailure, at: "returnValuesOnConditionCheckFailure",
                            allowed: CommonParameters.returnValuesOnConditionCheckFailure)
        condition.validate(into: &reader)
        let usesExpressions = condition.conditionExpression != nil || otherExpression
        expressionParameters.validate(into: &reader, usesNames: usesExpressions, usesValues: usesExpressions)
    }

    /// PutItem and DeleteItem return only the old item.
    func checkReturnValuesOldOnly() throws(DynamoError) {
        if let returnValues, returnValues != "NONE" && returnValues != "ALL_OLD" {
            throw .validation("ReturnValues can only be ALL_OLD or NONE")
        }
    }
}
