import Capacity
import DynamoModel
import Expressions
import JSON
import Storage

/// PutItem: stores a whole item, replacing any item with the same key; optionally conditional.
enum PutItem {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let parameters = try WriteParameters.read(input, reader: reader)
        let item = try CommonParameters.item(input["Item"])
        parameters.validate(into: &reader)
        reader.require(item != nil, at: "item")
        try reader.throwValidationErrors()
        guard let tableName = parameters.tableName, let item else { throw .validation("Missing required parameters") }
        try parameters.checkReturnValuesOldOnly()
        let condition = parameters.condition
        try ParameterStyle.checkNotMixed(legacy: [("Expected", condition.expected != nil)],
                                         expressions: [("ConditionExpression", condition.conditionExpression != nil)])
        var attributes = parameters.expressionParameters.attributes
        let check = try condition.compile(&attributes)
        try attributes.checkAllUsed()
        let returnValuesOnFailure = parameters.returnValuesOnFailure

        let table = try TableLookup.activeTable(tableName, in: context)
        let write = ItemWrite(table: table, key: try ItemKeys.keyOfItem(item, in: table), action: .put(item),
                              condition: check, returnValuesOnFailure: returnValuesOnFailure)
        try write.prepareAlone()
        let gate = CapacityGate(table: table, context: context).keyed(item)
        try gate.admitWrite(expectedUnits: CapacityUnits.write(oldSizeInBytes: 0, newSizeInBytes: ItemSize.of(item)))
        let settings = context.settings
        let (outcome, consumed) = try gate.meteredWrite { (seen: inout Item?) throws(DynamoError) in
            try write.apply(settings: settings, seen: &seen)
        }

        var output: [(key: String, value: JSONValue)] = []
        if parameters.returnValues == "ALL_OLD", let old = outcome.oldItem {
            output.append(("Attributes", old.json))
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
}
