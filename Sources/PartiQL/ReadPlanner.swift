import DynamoModel
import Expressions

/// How a SELECT reads: a Query of one or more partitions (the WHERE pins the partition key with `=` or `IN`), with
/// the sort-key range the WHERE allows, or a Scan. The whole WHERE is always applied to what is read, so the
/// plan only narrows what is read, never what is returned.
package enum ReadPlan: Sendable, Equatable {
    case query(partitions: [AttributeValue], sort: SortKeyCondition?)
    case scan
}

/// Chooses a `ReadPlan` as DynamoDB does, from the top-level AND terms of the WHERE clause.
package enum ReadPlanner {
    package static func plan(_ condition: Condition?, schema: KeySchema) -> ReadPlan {
        guard let condition else { return .scan }
        let terms = conjuncts(condition)
        var partitions: [AttributeValue]?
        for term in terms {
            if let values = partitionValues(term, name: schema.partitionKey.name) {
                // Two terms on the partition key: only the values both allow.
                partitions = partitions.map { current in current.filter { value in values.contains { Evaluator.equal($0, value) } } }
                    ?? values
            }
        }
        guard var partitions else { return .scan }
        // A value of the wrong type matches no item: nothing to read in that partition.
        partitions = partitions.filter { $0.scalarType == schema.partitionKey.type }
        var unique: [AttributeValue] = []
        for value in partitions where !unique.contains(value) { unique.append(value) }
        var sort: SortKeyCondition?
        if let sortKey = schema.sortKey {
            for term in terms {
                if let range = sortCondition(term, key: sortKey) {
                    sort = range
                    break
                }
            }
        }
        return .query(partitions: unique, sort: sort)
    }

    /// The terms of a chain of ANDs.
    package static func conjuncts(_ condition: Condition) -> [Condition] {
        if case .and(let left, let right) = condition { return conjuncts(left) + conjuncts(right) }
        return [condition]
    }

    static func attribute(_ operand: Operand) -> String? {
        if case .path(let path) = operand, path.elements.count == 1 { return path.rootName }
        return nil
    }

    static func constant(_ operand: Operand) -> AttributeValue? {
        if case .value(let value) = operand { return value }
        return nil
    }

    /// The partition values a term allows: `pk = v` or `pk IN [v, …]`.
    static func partitionValues(_ term: Condition, name: String) -> [AttributeValue]? {
        switch term {
        case .compare(let left, .equal, let right):
            if attribute(left) == name, let value = constant(right) { return [value] }
            if attribute(right) == name, let value = constant(left) { return [value] }
        case .isIn(let left, let candidates) where attribute(left) == name:
            let values = candidates.compactMap(constant)
            if values.count == candidates.count { return values }
        default:
            break
        }
        return nil
    }

    /// The sort-key range a term allows, when it is one a Query can use.
    static func sortCondition(_ term: Condition, key: KeyAttribute) -> SortKeyCondition? {
        func typed(_ value: AttributeValue) -> Bool { value.scalarType == key.type }
        switch term {
        case .compare(let left, let comparator, let right):
            var comparator = comparator
            var value: AttributeValue
            if attribute(left) == key.name, let constant = constant(right) {
                value = constant
            } else if attribute(right) == key.name, let constant = constant(left) {
                value = constant
                comparator = KeyCondition.flipped(comparator)
            } else {
                return nil
            }
            guard typed(value) else { return nil }
            switch comparator {
            case .equal: return .equal(value)
            case .less: return .less(value)
            case .lessOrEqual: return .lessOrEqual(value)
            case .greater: return .greater(value)
            case .greaterOrEqual: return .greaterOrEqual(value)
            case .notEqual: return nil
            }
        case .between(let operand, let low, let high):
            guard attribute(operand) == key.name, let low = constant(low), let high = constant(high), typed(low), typed(high),
                  let order = Evaluator.order(low, high), order <= 0 else { return nil }
            return .between(low, high)
        case .beginsWith(let operand, let prefix):
            guard attribute(operand) == key.name, key.type != .n, let prefix = constant(prefix), typed(prefix) else { return nil }
            return .beginsWith(prefix)
        default:
            return nil
        }
    }
}

/// The item an UPDATE or DELETE names and the rest of its WHERE clause, which is a condition on the write.
package struct KeyedWhere: Sendable {
    package var key: Item
    package var condition: Condition?
}

/// Finds the full primary key in a WHERE clause: one equality per key attribute among its top-level AND terms.
package enum KeyExtractor {
    package static func extract(_ condition: Condition?, schema: KeySchema) throws(DynamoError) -> KeyedWhere {
        guard let condition else { throw StatementError.incompleteKey }
        var key: Item = [:]
        var rest: [Condition] = []
        for term in ReadPlanner.conjuncts(condition) {
            if case .compare(let left, .equal, let right) = term {
                let name = ReadPlanner.attribute(left) ?? ReadPlanner.attribute(right)
                let value = ReadPlanner.constant(right) ?? ReadPlanner.constant(left)
                if let name, let value, schema.attributeNames.contains(name) {
                    if key[name] != nil {
                        throw DynamoError.validation("Multiple conditions on same key \(name). Only single item "
                            + "Update/Insert/Delete are supported")
                    }
                    key[name] = value
                    continue
                }
            }
            rest.append(term)
        }
        guard key.count == schema.attributeNames.count else { throw StatementError.incompleteKey }
        let remaining = rest.isEmpty ? nil : rest.dropFirst().reduce(rest[0]) { .and($0, $1) }
        return KeyedWhere(key: key, condition: remaining)
    }
}
