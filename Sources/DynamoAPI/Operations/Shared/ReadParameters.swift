import DynamoModel
import Expressions
import JSON
import Storage

/// The parameters Query and Scan share: selection, projection, filter, paging, consistency, capacity.
struct ReadParameters {
    var tableName: String?
    var indexName: String?
    var select: String?
    var limit: Int64?
    var consistentRead: Bool
    var exclusiveStartKey: Item?
    var returnConsumedCapacity: String?
    var projection: ProjectionParameters
    var filterExpression: String?
    /// `QueryFilter` or `ScanFilter`.
    var legacyFilter: [LegacyCondition]?
    var conditionalOperator: String?
    var expressionParameters: ExpressionParameters

    static let selectValues = ["ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT"]

    static func read(_ input: JSONObject, reader: InputReader, legacyFilterName: String) throws(DynamoError) -> ReadParameters {
        ReadParameters(
            tableName: try reader.string("TableName"),
            indexName: try reader.string("IndexName"),
            select: try reader.string("Select"),
            limit: try reader.integer("Limit"),
            consistentRead: try reader.boolean("ConsistentRead") ?? false,
            exclusiveStartKey: try CommonParameters.item(input["ExclusiveStartKey"]),
            returnConsumedCapacity: try reader.string("ReturnConsumedCapacity"),
            projection: try ProjectionParameters.read(input, reader: reader),
            filterExpression: try reader.string("FilterExpression"),
            legacyFilter: try LegacyConditionInput.read(input[legacyFilterName]),
            conditionalOperator: try reader.string("ConditionalOperator"),
            expressionParameters: try ExpressionParameters.read(input))
    }

    func validate(into reader: inout InputReader) {
        reader.validateTableNameOrArn(tableName, at: "tableName")
        reader.validateIndexName(indexName)
        reader.validateEnum(select, at: "select", allowed: Self.selectValues)
        if let limit {
            reader.validate(limit >= 1, value: String(limit), at: "limit", "Member must have value greater than or equal to 1")
        }
        reader.validateEnum(returnConsumedCapacity, at: "returnConsumedCapacity",
                            allowed: CommonParameters.returnConsumedCapacity)
        reader.validateEnum(conditionalOperator, at: "conditionalOperator", allowed: CommonParameters.conditionalOperator)
        projection.validate(into: &reader)
    }

    /// Select and projection rules, as DynamoDB words them.
    func checkSelect() throws(DynamoError) {
        let hasProjection = projection.projectionExpression != nil || projection.attributesToGet != nil
        switch select {
        case "ALL_PROJECTED_ATTRIBUTES"?:
            if indexName == nil {
                throw .validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")
            }
        case "COUNT"? where hasProjection:
            throw .validation(projection.attributesToGet != nil
                ? "Cannot specify the AttributesToGet when choosing to get only the Count"
                : "Cannot specify the ProjectionExpression when choosing to get only the Count")
        case "ALL_ATTRIBUTES"? where hasProjection:
            throw .validation(projection.attributesToGet != nil
                ? "Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES"
                : "Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES")
        case "SPECIFIC_ATTRIBUTES"? where !hasProjection:
            throw .validation("Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES")
        default:
            break
        }
    }

    /// The compiled filter (nil: none).
    func compileFilter(_ attributes: inout ExpressionAttributes) throws(DynamoError) -> Condition? {
        if let filterExpression {
            return try ConditionExpression.parse(filterExpression, kind: .filter, attributes: &attributes).condition
        }
        if let legacyFilter {
            return try LegacyParameters.filter(legacyFilter, conditionalOperator: conditionalOperator)
        }
        return nil
    }

    /// The table and, with `IndexName`, the index, checked against DynamoDB's rules for index reads.
    func target(in context: RequestContext) throws(DynamoError) -> (Table, IndexDefinition?, SecondaryIndex?) {
        let table = try TableLookup.activeTable(tableName ?? "", in: context)
        guard let indexName else { return (table, nil, nil) }
        guard let definition = table.definition.allIndexes.first(where: { $0.name == indexName }),
              let index = table.index(named: indexName) else {
            throw .validation("The table does not have the specified index: \(indexName)")
        }
        if definition.isGlobal && consistentRead {
            throw .validation("Consistent reads are not supported on global secondary indexes")
        }
        if definition.isGlobal && definition.backfilling {
            throw .validation("Cannot read from backfilling global secondary index: \(indexName)")
        }
        if definition.isGlobal && select == "ALL_ATTRIBUTES" && definition.projectionType != .all {
            throw .validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for "
                + "global secondary index \(indexName) because its projection type is not ALL")
        }
        return (table, definition, index)
    }

    /// The key attributes that name a position in an index read: the index keys, then the table keys.
    static func pageKeySchema(table: Table, index: IndexDefinition?) -> [String] {
        var names = index?.keySchema.attributeNames ?? []
        for name in table.keySchema.attributeNames where !names.contains(name) { names.append(name) }
        return names
    }

    /// An index read's exclusive start key as an index entry key.
    func indexStartKey(for table: Table, index: SecondaryIndex) throws(DynamoError) -> [UInt8]? {
        guard let exclusiveStartKey else { return nil }
        let invalid = DynamoError.validation("The provided starting key is invalid: The provided key element does not match the schema")
        guard let tableKey = table.keySchema.encodedKeyIfValid(of: exclusiveStartKey),
              let entry = index.entryKey(of: exclusiveStartKey, tableKey: tableKey) else { throw invalid }
        return entry.composite
    }

    /// The exclusive start key, which must be exactly the table's key.
    func startKey(for table: Table) throws(DynamoError) -> EncodedKey? {
        guard let exclusiveStartKey else { return nil }
        do throws(DynamoError) {
            return try table.keySchema.encodedKey(of: exclusiveStartKey, source: .keyMap, exactKeyMap: true)
        } catch {
            throw .validation("The provided starting key is invalid: \(error.message ?? "")")
        }
    }
}
