import DynamoModel
import Expressions
import PartiQL
import Storage

/// A SELECT that names one item by its full primary key (batches and transactions read only such statements).
struct KeyedRead {
    var table: Table
    var key: EncodedKey
    var filter: Condition?
    var projection: [DocumentPath]?

    static func make(_ select: SelectStatement, request: StatementRequest, in context: RequestContext,
                     keyRequired: DynamoError, indexRefused: DynamoError) throws(DynamoError) -> KeyedRead {
        let translator = ConditionTranslator(binder: request.binder)
        let condition = try select.whereClause.map { (clause: StatementExpression) throws(DynamoError) in
            try translator.condition(clause)
        }
        let table = try TableLookup.activeTable(select.tableName, in: context)
        if select.indexName != nil { throw indexRefused }
        // Only comparisons may accompany the key: a function in the WHERE makes it more than a single-item read.
        guard let keyed = try? KeyExtractor.extract(condition, schema: table.keySchema),
              !(keyed.condition.map(usesFunction) ?? false) else { throw keyRequired }
        return KeyedRead(table: table, key: try StatementWrite.keyOf(keyed.key, table: table), filter: keyed.condition,
                         projection: select.projection)
    }

    static func usesFunction(_ condition: Condition) -> Bool {
        switch condition {
        case .and(let a, let b), .or(let a, let b): return usesFunction(a) || usesFunction(b)
        case .not(let inner): return usesFunction(inner)
        case .compare(let a, _, let b): return isSize(a) || isSize(b)
        case .between(let a, let b, let c): return isSize(a) || isSize(b) || isSize(c)
        case .isIn(let a, let list): return isSize(a) || list.contains(where: isSize)
        default: return true
        }
    }

    static func isSize(_ operand: Operand) -> Bool {
        if case .size = operand { return true }
        return false
    }

    /// The item as the statement returns it: nil when the rest of the WHERE does not hold.
    func result(_ item: Item) -> Item? {
        if let filter, !Evaluator.evaluate(filter, on: item) { return nil }
        return Projector(paths: projection).apply(to: item)
    }
}
