import Capacity
import DynamoModel
import Expressions
import JSON
import Storage

/// UpdateItem: edits an item's attributes (creating the item when absent), optionally conditional, with
/// `UpdateExpression` or the legacy `AttributeUpdates`.
enum UpdateItem {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let parameters = try WriteParameters.read(input, reader: reader)
        let keyMap = try CommonParameters.item(input["Key"])
        let updateExpression = try reader.string("UpdateExpression")
        let attributeUpdates = try readAttributeUpdates(input["AttributeUpdates"])
        parameters.validate(into: &reader, otherExpression: updateExpression != nil)
        reader.require(keyMap != nil, at: "key")
        try reader.throwValidationErrors()
        guard let tableName = parameters.tableName, let keyMap else { throw .validation("Missing required parameters") }
        let condition = parameters.condition
        let returnValuesOnFailure = parameters.returnValuesOnFailure

        try ParameterStyle.checkNotMixed(
            legacy: [("AttributeUpdates", attributeUpdates != nil), ("Expected", condition.expected != nil)],
            expressions: [("UpdateExpression", updateExpression != nil),
                          ("ConditionExpression", condition.conditionExpression != nil)])
        var attributes = parameters.expressionParameters.attributes
        var update = UpdateExpression(actions: [])
        if let updateExpression {
            update = try UpdateExpression.parse(updateExpression, attributes: &attributes)
        } else if let attributeUpdates {
            update = try LegacyParameters.attributeUpdates(attributeUpdates)
        }
        let check = try condition.compile(&attributes)
        try attributes.checkAllUsed()

        let table = try TableLookup.activeTable(tableName, in: context)
        let key = try ItemKeys.keyOfKeyMap(keyMap, in: table)
        try update.checkKeyAttributes(table.keySchema.attributeNames)

        let write = ItemWrite(table: table, key: key, action: .update(update, keyMap: keyMap), condition: check,
                              returnValuesOnFailure: returnValuesOnFailure)
        let settings = context.settings
        let gate = CapacityGate(table: table, context: context).keyed(keyMap)
        try gate.admitWrite(expectedUnits: 1)
        let (outcome, consumed) = try gate.meteredWrite { (seen: inout Item?) throws(DynamoError) in
            try write.apply(settings: settings, seen: &seen)
        }

        var output: [(key: String, value: JSONValue)] = []
        if let attributesMember = returnedAttributes(parameters.returnValues, outcome: outcome, paths: update.paths) {
            output.append(("Attributes", attributesMember.json))
        }
        if let metrics = ItemCollections.metrics(parameters.returnItemCollectionMetrics, table: table,
                                                 item: outcome.newItem ?? outcome.oldItem) {
            output.append(metrics)
        }
        if let member = consumed.member(mode: parameters.returnConsumedCapacity) {
            output.append(member)
        }
        return .object(JSONObject(output))
    }

    /// The `Attributes` member for each `ReturnValues` option (nil: none to return).
    static func returnedAttributes(_ returnValues: String?, outcome: WriteOutcome, paths: [DocumentPath]) -> Item? {
        let result: Item?
        switch returnValues {
        case "ALL_OLD": result = outcome.oldItem
        case "ALL_NEW": result = outcome.newItem
        case "UPDATED_OLD": result = outcome.oldItem.map { ProjectionExpression.project(paths, from: $0) }
        case "UPDATED_NEW": result = outcome.newItem.map { ProjectionExpression.project(paths, from: $0) }
        default: result = nil
        }
        guard let result, !result.isEmpty else { return nil }
        return result
    }

    static func readAttributeUpdates(_ value: JSONValue?) throws(DynamoError) -> [LegacyAttributeUpdate]? {
        guard let object = try InputReader.object(value) else { return nil }
        var updates: [LegacyAttributeUpdate] = []
        for member in object.members {
            let entry = try InputReader.object(member.value) ?? JSONObject()
            var value: AttributeValue?
            if let json = entry["Value"], json != .null { value = try AttributeValue(json: json) }
            updates.append(LegacyAttributeUpdate(attribute: member.key, action: try InputReader.string(entry["Action"]),
                                                 value: value))
        }
        return updates
    }
}
