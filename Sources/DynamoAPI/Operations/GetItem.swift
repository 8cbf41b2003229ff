import Capacity
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
        let gate = CapacityGate(table: table, context: context).keyed(keyMap)
        try gate.admitRead(index: nil, expectedUnits: CapacityUnits.read(sizeInBytes: 0, consistent: consistentRead))
        let stored = table.storedItem(key)
        var consumed = ConsumedCapacity(tableName: table.name, dimension: .read)
        consumed.tableUnits = CapacityUnits.read(sizeInBytes: stored?.sizeInBytes ?? 0, consistent: consistentRead)
        gate.charge(consumed)

        var output: [(key: String, value: JSONValue)] = []
        output.reserveCapacity(2)
        if let stored {
            output.append(("Item", projector.json(of: stored)))
        }
        if let member = consumed.member(mode: returnConsumedCapacity) {
            output.append(member)
        }
        return .object(JSONObject(output))
    }
}
