import Capacity
import DynamoModel
import Expressions
import JSON
import Storage

/// Query: the items of one partition, in sort-key order (or reverse), within a sort-key range, one page at a time.
enum Query {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let read = try ReadParameters.read(input, reader: reader, legacyFilterName: "QueryFilter")
        let keyConditionExpression = try reader.string("KeyConditionExpression")
        let keyConditions = try LegacyConditionInput.read(input["KeyConditions"])
        let scanIndexForward = try reader.boolean("ScanIndexForward") ?? true

        read.validate(into: &reader)
        let usesExpressions = keyConditionExpression != nil || read.filterExpression != nil
            || read.projection.projectionExpression != nil
        read.expressionParameters.validate(into: &reader, usesNames: usesExpressions,
                                           usesValues: keyConditionExpression != nil || read.filterExpression != nil)
        try reader.throwValidationErrors()

        try ParameterStyle.checkNotMixed(
            legacy: [("AttributesToGet", read.projection.attributesToGet != nil), ("QueryFilter", read.legacyFilter != nil),
                     ("KeyConditions", keyConditions != nil)],
            expressions: [("ProjectionExpression", read.projection.projectionExpression != nil),
                          ("FilterExpression", read.filterExpression != nil),
                          ("KeyConditionExpression", keyConditionExpression != nil)])
        if keyConditionExpression == nil && keyConditions == nil {
            throw .validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
        }
        var attributes = read.expressionParameters.attributes
        let keyCondition = try keyConditionExpression.map { (text: String) throws(DynamoError) in
            try KeyCondition.parse(text, attributes: &attributes)
        }
        let filter = try read.compileFilter(&attributes)
        let projector = try read.projection.compile(&attributes)
        try attributes.checkAllUsed()
        try read.checkSelect()

        let (table, indexDefinition, index) = try read.target(in: context)
        let schema = indexDefinition?.keySchema ?? table.keySchema
        let plan = try QueryKeyPlan.make(keyCondition, legacy: keyConditions, schema: schema)
        if let filter { try checkFilterAvoidsKeys(filter, schema: schema) }
        let partition = plan.partition
        let insightsIndex = indexDefinition?.isGlobal == true ? indexDefinition?.name : nil
        let gate = CapacityGate(table: table, context: context).keyed(plan.partitionKey, index: insightsIndex)
        try gate.admitRead(index: indexDefinition?.name,
                           expectedUnits: CapacityUnits.read(sizeInBytes: 0, consistent: read.consistentRead))
        // Index reads are metered on the index entries read; items fetched from the table (local indexes) on top.
        var fetchedUnits = 0.0
        var page = ReadPage(limit: read.limit, filter: filter, projector: projector, countOnly: read.select == "COUNT",
                            pageKeyNames: ReadParameters.pageKeySchema(table: table, index: indexDefinition))
        let range = plan.sortRange
        if let index, let indexDefinition {
            let start = try read.indexStartKey(for: table, index: index)
            let fetchBase = read.select == "ALL_ATTRIBUTES" && indexDefinition.projectionType != .all
            plan.walk(table, index, forward: scanIndexForward, exclusiveStart: start) { tableKey, projected in
                guard fetchBase else { return page.add(projected) }
                let fetched = table.getItem(tableKey) ?? projected
                fetchedUnits += CapacityUnits.read(sizeInBytes: ItemSize.of(fetched), consistent: read.consistentRead)
                return page.add(fetched, meteredSize: ItemSize.of(projected))
            }
        } else {
            var exclusiveStartSort: [UInt8]?
            if let start = try read.startKey(for: table) {
                guard start.partition == partition else {
                    throw .validation("The provided starting key is invalid: The provided key element does not match the schema")
                }
                exclusiveStartSort = start.sort
            }
            table.queryStored(partition: partition, sortRange: range, forward: scanIndexForward,
                              exclusiveStartSort: exclusiveStartSort) { page.add($0) }
        }
        let consumed = ConsumedCapacity.readPage(tableName: table.name, index: indexDefinition, bytesRead: page.bytesRead,
                                                 consistent: read.consistentRead, fetchedUnits: fetchedUnits)
        gate.charge(consumed)
        return page.response(consumedCapacity: consumed.member(mode: read.returnConsumedCapacity))
    }

    /// A Query filter may not use the key attributes (DynamoDB: they belong in the key condition).
    static func checkFilterAvoidsKeys(_ filter: Condition, schema: KeySchema) throws(DynamoError) {
        var names: [String] = []
        collectRootNames(filter, into: &names)
        for name in schema.attributeNames where names.contains(name) {
            throw .validation("Filter Expression can only contain non-primary key attributes: Primary key attribute: \(name)")
        }
    }

    static func collectRootNames(_ condition: Condition, into names: inout [String]) {
        func operand(_ value: Operand) {
            switch value {
            case .path(let path), .size(let path): names.append(path.rootName)
            case .value: break
            }
        }
        switch condition {
        case .compare(let a, _, let b), .beginsWith(let a, let b), .contains(let a, let b), .notContains(let a, let b):
            operand(a); operand(b)
        case .between(let a, let b, let c): operand(a); operand(b); operand(c)
        case .isIn(let a, let list): operand(a); list.forEach(operand)
        case .attributeExists(let path), .attributeNotExists(let path): names.append(path.rootName)
        case .attributeType(let path, let type): names.append(path.rootName); operand(type)
        case .and(let a, let b), .or(let a, let b): collectRootNames(a, into: &names); collectRootNames(b, into: &names)
        case .not(let inner): collectRootNames(inner, into: &names)
        }
    }
}
