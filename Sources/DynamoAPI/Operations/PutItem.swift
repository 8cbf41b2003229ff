import DynamoModel
import Expressions
import JSON
import Storage

/// PutItem: stores a whole item, replacing any item with the same key; optionally conditional.
enum PutItem {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let tableName = try reader.string("TableName")
        let item = try CommonParameters.item(input["Item"])
        let returnValues = try reader.string("ReturnValues")
        let returnConsumedCapacity = try reader.string("ReturnConsumedCapacity")
        let returnItemCollectionMetrics = try reader.string("ReturnItemCollectionMetrics")
        let returnValuesOnFailure = try reader.string("ReturnValuesOnConditionCheckFailure")
        let condition = try ConditionParameters.read(input, reader: reader)
        let expressionParameters = try ExpressionParameters.read(input)

        reader.validateTableNameOrArn(tableName, at: "tableName")
        reader.require(item != nil, at: "item")
        reader.validateEnum(returnValues, at: "returnValues", allowed: CommonParameters.returnValues)
        reader.validateEnum(returnConsumedCapacity, at: "returnConsumedCapacity",
                            allowed: CommonParameters.returnConsumedCapacity)
        reader.validateEnum(returnItemCollectionMetrics, at: "returnItemCollectionMetrics",
                            allowed: CommonParameters.returnItemCollectionMetrics)
        reader.validateEnum(returnValuesOnFailure, at: "returnValuesOnConditionCheckFailure",
                            allowed: CommonParameters.returnValuesOnConditionCheckFailure)
        condition.validate(into: &reader)
        let usesExpression = condition.conditionExpression != nil
        expressionParameters.validate(into: &reader, usesNames: usesExpression, usesValues: usesExpression)
        try reader.throwValidationErrors()
        guard let tableName, let item else { throw .validation("Missing required parameters") }
        if let returnValues, returnValues != "NONE" && returnValues != "ALL_OLD" {
            throw .validation("ReturnValues can only be ALL_OLD or NONE")
        }
        try ParameterStyle.checkNotMixed(legacy: [("Expected", condition.expected != nil)],
                                         expressions: [("ConditionExpression", condition.conditionExpression != nil)])
        var attributes = expressionParameters.attributes
        let check = try condition.compile(&attributes)
        try attributes.checkAllUsed()

        let table = try TableLookup.activeTable(tableName, in: context)
        let key = try ItemKeys.keyOfItem(item, in: table)
        let newSize = ItemSize.of(item)
        if newSize > ItemSize.maximumBytes {
            throw .validation("Item size has exceeded the maximum allowed size")
        }
        let settings = context.settings
        let outcome = try table.write(key) { (current: Item?) throws(DynamoError) -> WriteDecision in
            try check.verify(current, returnValuesOnFailure: returnValuesOnFailure)
            try ItemCollections.checkLimit(table: table, key: key, oldItem: current, newItem: item, settings: settings)
            return .put(item)
        }

        var output: [(key: String, value: JSONValue)] = []
        if returnValues == "ALL_OLD", let old = outcome.oldItem {
            output.append(("Attributes", old.json))
        }
        let units = ConsumedCapacityReport.writeUnits(oldSizeInBytes: outcome.oldItem.map(ItemSize.of) ?? 0,
                                                      newSizeInBytes: newSize)
        if let metrics = ItemCollections.metrics(returnItemCollectionMetrics, table: table,
                                                 item: outcome.newItem ?? outcome.oldItem) {
            output.append(metrics)
        }
        if let member = ConsumedCapacityReport.member(mode: returnConsumedCapacity, tableName: table.name,
                                                      units: units, isWrite: true) {
            output.append(member)
        }
        return .object(JSONObject(output))
    }
}
