import Capacity
import DynamoModel
import Expressions
import JSON
import Storage

/// DeleteItem: removes the item with the given key (a no-op when absent); optionally conditional.
enum DeleteItem {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let parameters = try WriteParameters.read(input, reader: reader)
        let keyMap = try CommonParameters.item(input["Key"])
        parameters.validate(into: &reader)
        reader.require(keyMap != nil, at: "key")
        try reader.throwValidationErrors()
        guard let tableName = parameters.tableName, let keyMap else { throw .validation("Missing required parameters") }
        try parameters.checkReturnValuesOldOnly()
        let condition = parameters.condition
        try ParameterStyle.checkNotMixed(legacy: [("Expected", condition.expected != nil)],
                                         expressions: [("ConditionExpression", condition.conditionExpression != nil)])
        var attributes = parameters.expressionParameters.attributes
        let check = try condition.compile(&attributes)
        try attributes.checkAllUsed()
        let returnValuesOnFailure = parameters.returnValuesOnFailure

        let table = try TableLookup.activeTable(tableName, in: context)
        let write = ItemWrite(table: table, key: try ItemKeys.keyOfKeyMap(keyMap, in: table), action: .delete,
                              condition: check, returnValuesOnFailure: returnValuesOnFailure)
        let settings = context.settings
        let gate = CapacityGate(table: table, context: context).keyed(keyMap)
        try gate.admitWrite(expectedUnits: 1)
        let (outcome, consumed) = try gate.meteredWrite { (seen: inout Item?) throws(DynamoError) in
            try write.apply(settings: settings, seen: &seen)
        }

        var output: [(key: String, value: JSONValue)] = []
        if parameters.returnValues == "ALL_OLD", let old = outcome.oldItem {
            output.append(("Attributes", old.json))
        }
        if let metrics = ItemCollections.metrics(parameters.returnItemCollectionMetrics, table: table, item: outcome.oldItem) {
            output.append(metrics)
        }
        if let member = consumed.member(mode: parameters.returnConsumedCapacity) {
            output.append(member)
        }
        return .object(JSONObject(output))
    }
}
