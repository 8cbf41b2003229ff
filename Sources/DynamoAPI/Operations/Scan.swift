import Capacity
import DynamoModel
import Expressions
import JSON
import Storage

/// Scan: every item in partition-key hash order (DynamoDB's order), one page at a time, optionally as one segment
/// of a parallel scan.
enum Scan {
    static let maximumTotalSegments: Int64 = 1_000_000

    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let read = try ReadParameters.read(input, reader: reader, legacyFilterName: "ScanFilter")
        let segment = try reader.integer("Segment")
        let totalSegments = try reader.integer("TotalSegments")

        read.validate(into: &reader)
        if let segment {
            reader.validate(segment >= 0, value: String(segment), at: "segment", "Member must have value greater than or equal to 0")
            reader.validate(segment <= 999_999, value: String(segment), at: "segment", "Member must have value less than or equal to 999999")
        }
        if let totalSegments {
            reader.validate(totalSegments >= 1, value: String(totalSegments), at: "totalSegments",
                            "Member must have value greater than or equal to 1")
            reader.validate(totalSegments <= maximumTotalSegments, value: String(totalSegments), at: "totalSegments",
                            "Member must have value less than or equal to 1000000")
        }
        let usesExpressions = read.filterExpression != nil || read.projection.projectionExpression != nil
        read.expressionParameters.validate(into: &reader, usesNames: usesExpressions, usesValues: read.filterExpression != nil)
        try reader.throwValidationErrors()

        if segment != nil && totalSegments == nil {
            throw .validation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present")
        }
        if totalSegments != nil && segment == nil {
            throw .validation("The Segment parameter is required but was not present in the request when parameter TotalSegments is present")
        }
        if let segment, let totalSegments, segment >= totalSegments {
            throw .validation("The Segment parameter is zero-based and must be less than parameter TotalSegments: "
                + "Segment: \(segment) is not less than TotalSegments: \(totalSegments)")
        }
        try ParameterStyle.checkNotMixed(
            legacy: [("AttributesToGet", read.projection.attributesToGet != nil), ("ScanFilter", read.legacyFilter != nil)],
            expressions: [("ProjectionExpression", read.projection.projectionExpression != nil),
                          ("FilterExpression", read.filterExpression != nil)])
        var attributes = read.expressionParameters.attributes
        let filter = try read.compileFilter(&attributes)
        let projector = try read.projection.compile(&attributes)
        try attributes.checkAllUsed()
        try read.checkSelect()

        let (table, indexDefinition, index) = try read.target(in: context)
        let gate = CapacityGate(table: table, context: context)
        try gate.admitRead(index: indexDefinition?.name,
                           expectedUnits: CapacityUnits.read(sizeInBytes: 0, consistent: read.consistentRead))
        // Index reads are metered on the index entries read; items fetched from the table (local indexes) on top.
        var fetchedUnits = 0.0
        var page = ReadPage(limit: read.limit, filter: filter, projector: projector, countOnly: read.select == "COUNT",
                            pageKeyNames: ReadParameters.pageKeySchema(table: table, index: indexDefinition))
        if let index, let indexDefinition {
            let start = try read.indexStartKey(for: table, index: index)
            let fetchBase = read.select == "ALL_ATTRIBUTES" && indexDefinition.projectionType != .all
            table.scanIndex(index, segment: Int(segment ?? 0), totalSegments: Int(totalSegments ?? 1),
                            exclusiveStart: start) { tableKey, projected in
                guard fetchBase else { return page.add(projected) }
                let fetched = table.getItem(tableKey) ?? projected
                fetchedUnits += CapacityUnits.read(sizeInBytes: ItemSize.of(fetched), consistent: read.consistentRead)
                return page.add(fetched, meteredSize: ItemSize.of(projected))
            }
        } else {
            let start = try read.startKey(for: table)
            table.scanStored(segment: Int(segment ?? 0), totalSegments: Int(totalSegments ?? 1),
                             exclusiveStart: start) { page.add($0) }
        }
        let consumed = ConsumedCapacity.readPage(tableName: table.name, index: indexDefinition, bytesRead: page.bytesRead,
                                                 consistent: read.consistentRead, fetchedUnits: fetchedUnits)
        gate.charge(consumed)
        return page.response(consumedCapacity: consumed.member(mode: read.returnConsumedCapacity))
    }
}
