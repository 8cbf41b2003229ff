import DynamoModel
import Expressions
import JSON
import Storage

/// GetItem: the item with the given key, optionally projected.
enum GetItem {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let tableName = try reader.string("TableName")
        let keyMap = try CommonParameters.item(input["Key"])
        let consistentRead = try reader.boolean("ConsistentRead") ?? false
        let returnConsumedCapacity = try reader.string("ReturnConsumedCapacity")
        let projection = try ProjectionParameters.read(input, reader: reader)
        let expressionParameters = try ExpressionParameters.read(input)

        reader.validateTableNameOrArn(tableName, at: "tableName")
        reader.require(keyMap != nil, at: "key")
        reader.validateEnum(returnConsumedCapacity, at: "returnConsumedCapacity",
                            allowed: CommonParameters.returnConsumedCapacity)
        projection.validate(into: &reader)
        expressionParameters.validate(into: &reader, usesNames: projection.projectionExpression != nil, usesValues: false)
        try reader.throwValidationErrors()
        guard let tableName, let keyMap else { throw .validation("Missing required parameters") }
        var attributes = expressionParameters.attributes
        let projector = try projection.compile(&attributes)
        try attributes.checkAllUsed()

        let table = try TableLookup.activeTable(tableName, in: context)
        let key = try ItemKeys.keyOfKeyMap(keyMap, in: table)
        let item = table.getItem(key)

        var output: [(key: String, value: JSONValue)] = []
        if let item {
            output.append(("Item", projector.apply(to: item).json))
        }
        let units = ConsumedCapacityReport.readUnits(itemSizeInBytes: item.map(ItemSize.of) ?? 0,
                                                     consistent: consistentRead)
        if let member = ConsumedCapacityReport.member(mode: returnConsumedCapacity, tableName: table.name,
                                                      units: units, isWrite: false) {
            output.append(member)
        }
        return .object(JSONObject(output))
    }
}
