import Capacity
import DynamoModel
import Expressions
import JSON
import Storage

/// TransactGetItems: up to 100 reads across tables from one serializable snapshot (all their shards locked at
/// once), so a reader never sees half of a concurrent transaction.
enum TransactGetItems {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let list = try reader.array("TransactItems")
        let returnConsumedCapacity = try reader.string("ReturnConsumedCapacity")
        if let list {
            if list.isEmpty {
                reader.addViolation("Value at 'TransactItems' failed to satisfy constraint: Member must have length greater than or equal to 1")
            }
            if list.count > TransactWriteItems.maximumActions {
                reader.addViolation("Value at 'TransactItems' failed to satisfy constraint: Member must have length less than or equal to 100")
            }
        } else {
            reader.require(false, at: "transactItems")
        }
        reader.validateEnum(returnConsumedCapacity, at: "returnConsumedCapacity", allowed: CommonParameters.returnConsumedCapacity)
        try reader.throwValidationErrors()

        var reads: [(Table, EncodedKey)] = []
        var projectors: [Projector] = []
        var seen = Set<String>()
        for entry in list ?? [] {
            let wrapper = try InputReader.object(entry) ?? JSONObject()
            guard let body = try InputReader.object(wrapper["Get"]) else { reader.require(false, at: "transactItems.member.get"); continue }
            var getReader = InputReader(body)
            let tableName = try getReader.string("TableName")
            let keyMap = try CommonParameters.item(body["Key"])
            let projection = try ProjectionParameters.read(body, reader: getReader)
            let expressionParameters = try ExpressionParameters.read(body)
            getReader.validateTableNameOrArn(tableName, at: "transactItems.member.get.tableName")
            getReader.require(keyMap != nil, at: "transactItems.member.get.key")
            expressionParameters.validate(into: &getReader, usesNames: projection.projectionExpression != nil, usesValues: false)
            try getReader.throwValidationErrors()
            var attributes = expressionParameters.attributes
            projectors.append(try projection.compile(&attributes))
            try attributes.checkAllUsed()
            let table = try TableLookup.activeTable(tableName ?? "", in: context)
            let key = try table.keySchema.encodedKey(of: keyMap ?? [:], source: .keyMap, exactKeyMap: true)
            guard seen.insert("\(table.tableId)\u{0}\(key.partition)\u{0}\(key.sort)").inserted else {
                throw .validation("Transaction request cannot include multiple operations on one item")
            }
            reads.append((table, key))
        }
        try reader.throwValidationErrors()

        var tables: [Table] = []
        for (table, _) in reads where !tables.contains(where: { $0 === table }) { tables.append(table) }
        let gates = tables.map { CapacityGate(table: $0, context: context) }
        // A throttled table cancels the transaction, naming its reads, as DynamoDB does.
        for (position, table) in tables.enumerated() {
            let count = reads.filter { $0.0 === table }.count
            let expected = CapacityUnits.transactional(CapacityUnits.read(sizeInBytes: 0, consistent: true)) * Double(count)
            do throws(DynamoError) {
                try gates[position].admitRead(index: nil, expectedUnits: expected)
            } catch {
                throw TransactWriteItems.cancellation(reads.map { $0.0 === table ? error : nil }, actions: [], items: nil)
            }
        }
        let items = Transactions.read(reads)
        var responses: [JSONValue] = []
        var consumedByTable = tables.map { table in
            var consumed = ConsumedCapacity(tableName: table.name, dimension: .read)
            consumed.isTransactional = true
            return consumed
        }
        for (index, item) in items.enumerated() {
            if let item {
                responses.append(.object(JSONObject([("Item", projectors[index].apply(to: item).json)])))
            } else {
                responses.append(.object(JSONObject()))
            }
            // Transactional reads cost twice a strongly consistent read.
            if let position = tables.firstIndex(where: { $0 === reads[index].0 }) {
                consumedByTable[position].tableUnits += CapacityUnits.transactional(
                    CapacityUnits.read(sizeInBytes: item.map(ItemSize.of) ?? 0, consistent: true))
            }
        }
        for (position, consumed) in consumedByTable.enumerated() { gates[position].charge(consumed) }
        var output: [(key: String, value: JSONValue)] = [("Responses", .array(responses))]
        if let member = ConsumedCapacity.listMember(consumedByTable, mode: returnConsumedCapacity) { output.append(member) }
        return .object(JSONObject(output))
    }
}
