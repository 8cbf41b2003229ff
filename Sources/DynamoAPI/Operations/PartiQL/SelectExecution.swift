import DynamoModel
import Expressions
import JSON
import PartiQL
import Storage

/// Runs a SELECT through ExecuteStatement: planned as a Query of the partitions its WHERE pins (the sort-key
/// conditions as the key range) or as a Scan, one page at a time by ReadPage's rules (`Limit` counts items read,
/// pages end at 1 MB), the whole WHERE applied as a filter and the projection to what matched.
struct SelectExecution {
    var select: SelectStatement
    var request: StatementRequest
    var limit: Int64?
    var fingerprint: String

    /// What the read produced.
    struct Result {
        /// The JSON of each item returned.
        var items: [JSONValue]
        var bytesRead: Int
        var nextToken: PageToken?
        var tableName: String
    }

    func run(nextToken: String?, in context: RequestContext) throws(DynamoError) -> Result {
        let target = try StatementTarget.resolve(tableName: select.tableName, indexName: select.indexName,
                                                 consistentRead: request.consistentRead, in: context)
        let translator = ConditionTranslator(binder: request.binder)
        let condition = try select.whereClause.map { (clause: StatementExpression) throws(DynamoError) in
            try translator.condition(clause)
        }
        try target.checkProjection(select.projection)
        try OverlapCheck.check(condition, schema: target.schema)
        // A multi-attribute index key is read whole and filtered: the planner pins single-attribute partitions only.
        let plan = target.schema.isMultiAttribute ? .scan : ReadPlanner.plan(condition, schema: target.schema)
        let order = try Self.ordering(select, plan: plan, schema: target.schema)
        let start = try nextToken.map { (text: String) throws(DynamoError) in try PageToken.decode(text, fingerprint: fingerprint) }

        let table = target.table
        var page = ReadPage(limit: limit, filter: condition, projector: Projector(paths: select.projection), countOnly: false,
                            pageKeyNames: ReadParameters.pageKeySchema(table: table, index: target.indexDefinition))
        let fetchBase = target.indexDefinition.map { !$0.isGlobal && $0.projectionType != .all && select.projection != nil } ?? false
        var stoppedAt: Int?
        switch plan {
        case .query(let partitions, let sort):
            let ordered = order.partitionsDescending.map { descending in
                partitions.sorted { a, b in
                    let comparison = Evaluator.order(a, b) ?? 0
                    return descending ? comparison > 0 : comparison < 0
                }
            } ?? partitions
            let range = KeyRangePlanner.sortKeyRange(sort)
            var index = start?.partitionIndex ?? 0
            while index < ordered.count {
                let partition = KeyEncoding.encode(ordered[index])
                let resume = index == start?.partitionIndex ? start?.lastKey : nil
                var full = false
                if let secondary = target.index {
                    let exclusive = resume.flatMap { key in
                        table.keySchema.encodedKeyIfValid(of: key).flatMap { secondary.entryKey(of: key, tableKey: $0)?.composite }
                    }
                    table.queryIndex(secondary, partition: partition, sortRange: range, forward: order.forward,
                                     exclusiveStart: exclusive) { tableKey, projected in
                        full = !page.add(fetchBase ? (table.getItem(tableKey) ?? projected) : projected)
                        return !full
                    }
                } else {
                    let exclusive = resume.flatMap { table.keySchema.encodedKeyIfValid(of: $0)?.sort }
                    table.query(partition: partition, sortRange: range, forward: order.forward,
                                exclusiveStartSort: exclusive) { _, item in
                        full = !page.add(item)
                        return !full
                    }
                }
                if full {
                    stoppedAt = index
                    break
                }
                index += 1
            }
        case .scan:
            if let secondary = target.index {
                let exclusive = start.flatMap { token in
                    table.keySchema.encodedKeyIfValid(of: token.lastKey).flatMap {
                        secondary.entryKey(of: token.lastKey, tableKey: $0)?.composite
                    }
                }
                table.scanIndex(secondary, exclusiveStart: exclusive) { tableKey, projected in
                    page.add(fetchBase ? (table.getItem(tableKey) ?? projected) : projected)
                }
            } else {
                let exclusive = start.flatMap { table.keySchema.encodedKeyIfValid(of: $0.lastKey) }
                table.scan(exclusiveStart: exclusive) { _, item in page.add(item) }
            }
            if page.stoppedEarly { stoppedAt = 0 }
        }
        var token: PageToken?
        if let stoppedAt, let lastKey = page.lastKey {
            token = PageToken(partitionIndex: stoppedAt, lastKey: lastKey, fingerprint: fingerprint)
        }
        return Result(items: page.items, bytesRead: page.bytesRead, nextToken: token, tableName: table.name)
    }

    /// The direction ORDER BY asks for, checked by DynamoDB's rules.
    struct Ordering {
        var forward = true
        /// nil: partitions in the order the statement lists them.
        var partitionsDescending: Bool?
    }

    static func ordering(_ select: SelectStatement, plan: ReadPlan, schema: KeySchema) throws(DynamoError) -> Ordering {
        guard !select.orderBy.isEmpty else { return Ordering() }
        guard select.whereClause != nil else {
            throw DynamoError.validation("Must have WHERE clause in the statement when using ORDER BY clause.")
        }
        guard case .query(let partitions, _) = plan else {
            throw DynamoError.validation("Must have at least one non-optional hash key condition in WHERE clause when using "
                + "ORDER BY clause.")
        }
        for entry in select.orderBy where !schema.attributeNames.contains(entry.name) {
            throw DynamoError.validation("Variable reference \(entry.name) in ORDER BY clause must be part of the primary key")
        }
        let partitionEntry = select.orderBy.first { $0.name == schema.partitionKey.name }
        if partitions.count > 1 && partitionEntry == nil {
            throw DynamoError.validation("Must have hash key in ORDER BY clause when more than one hash key condition "
                + "specified in WHERE clause.")
        }
        let sortEntry = select.orderBy.first { $0.name == schema.sortKey?.name }
        return Ordering(forward: !((sortEntry ?? partitionEntry)?.descending ?? false), partitionsDescending: partitionEntry?.descending)
    }
}
