import DynamoModel

/// What a key condition asks of the sort key.
package enum SortKeyCondition: Sendable, Equatable {
    case equal(AttributeValue)
    case less(AttributeValue)
    case lessOrEqual(AttributeValue)
    case greater(AttributeValue)
    case greaterOrEqual(AttributeValue)
    case between(AttributeValue, AttributeValue)
    case beginsWith(AttributeValue)
}

/// A Query's key condition resolved against the key schema: one partition and an optional sort-key condition.
package struct KeyCondition: Sendable, Equatable {
    package var partitionValue: AttributeValue
    package var sort: SortKeyCondition?

    package init(partitionValue: AttributeValue, sort: SortKeyCondition?) {
        self.partitionValue = partitionValue
        self.sort = sort
    }

    /// Parses a KeyConditionExpression (errors in the expression itself come first, as in DynamoDB).
    package static func parse(_ source: String, attributes: inout ExpressionAttributes) throws(DynamoError) -> Condition {
        var parser = ConditionParser(source, kind: .keyCondition, attributes: attributes)
        let condition = try parser.parse()
        attributes = parser.attributes
        return condition
    }

    /// Resolves a parsed key condition against the schema, with DynamoDB's messages for conditions a Query cannot
    /// serve.
    package static func plan(_ condition: Condition, schema: KeySchema) throws(DynamoError) -> KeyCondition {
        var clauses: [Condition] = []
        try flatten(condition, into: &clauses)
        if clauses.count > 2 { throw .validation("Conditions can be of length 1 or 2 only") }
        var partition: AttributeValue?
        var sort: SortKeyCondition?
        for clause in clauses {
            let (attribute, resolved) = try keyClause(clause)
            if attribute == schema.partitionKey.name {
                guard partition == nil else {
                    throw .validation("KeyConditionExpressions must only contain one condition per key")
                }
                guard case .equal(let value) = resolved else { throw .validation("Query key condition not supported") }
                try checkType(value, schema.partitionKey)
                partition = value
            } else if let sortKey = schema.sortKey, attribute == sortKey.name {
                guard sort == nil else { throw .validation("KeyConditionExpressions must only contain one condition per key") }
                for value in resolved.values { try checkType(value, sortKey) }
                if case .beginsWith = resolved, sortKey.type == .n { throw .validation("Query key condition not supported") }
                sort = resolved
            } else {
                if partition == nil && clauses.count == 1 {
                    throw .validation("Query condition missed key schema element: \(schema.partitionKey.name)")
                }
                throw .validation("Query condition missed key schema element: \(schema.sortKey?.name ?? schema.partitionKey.name)")
            }
        }
        guard let partition else {
            throw .validation("Query condition missed key schema element: \(schema.partitionKey.name)")
        }
        return KeyCondition(partitionValue: partition, sort: sort)
    }

    static func flatten(_ condition: Condition, into clauses: inout [Condition]) throws(DynamoError) {
        switch condition {
        case .and(let left, let right):
            try flatten(left, into: &clauses)
            try flatten(right, into: &clauses)
        case .or: throw .validation("Invalid operator used in KeyConditionExpression: OR")
        case .not: throw .validation("Invalid operator used in KeyConditionExpression: NOT")
        case .isIn: throw .validation("Invalid operator used in KeyConditionExpression: IN")
        case .attributeExists: throw .validation("Invalid operator used in KeyConditionExpression: attribute_exists")
        case .attributeNotExists: throw .validation("Invalid operator used in KeyConditionExpression: attribute_not_exists")
        case .attributeType: throw .validation("Invalid operator used in KeyConditionExpression: attribute_type")
        case .contains, .notContains: throw .validation("Invalid operator used in KeyConditionExpression: contains")
        case .compare(_, .notEqual, _): throw .validation("Invalid operator used in KeyConditionExpression: <>")
        default: clauses.append(condition)
        }
    }

    /// The key attribute a clause constrains and what it asks of it.
    static func keyClause(_ clause: Condition) throws(DynamoError) -> (String, SortKeyCondition) {
        func attribute(_ operand: Operand) -> String? {
            if case .path(let path) = operand, path.elements.count == 1 { return path.rootName }
            return nil
        }
        func constant(_ operand: Operand) -> AttributeValue? {
            if case .value(let value) = operand { return value }
            return nil
        }
        switch clause {
        case .compare(let left, let comparator, let right):
            if let name = attribute(left), let value = constant(right) {
                return (name, sortCondition(comparator, value))
            }
            if let name = attribute(right), let value = constant(left) {
                return (name, sortCondition(flipped(comparator), value))
            }
        case .between(let operand, let low, let high):
            if let name = attribute(operand), let low = constant(low), let high = constant(high) {
                return (name, .between(low, high))
            }
        case .beginsWith(let operand, let prefix):
            if let name = attribute(operand), let value = constant(prefix) { return (name, .beginsWith(value)) }
        default:
            break
        }
        throw .validation("Query key condition not supported")
    }

    static func sortCondition(_ comparator: Comparator, _ value: AttributeValue) -> SortKeyCondition {
        switch comparator {
        case .less: return .less(value)
        case .lessOrEqual: return .lessOrEqual(value)
        case .greater: return .greater(value)
        case .greaterOrEqual: return .greaterOrEqual(value)
        default: return .equal(value)
        }
    }

    package static func flipped(_ comparator: Comparator) -> Comparator {
        switch comparator {
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        default: return comparator
        }
    }

    static func checkType(_ value: AttributeValue, _ key: KeyAttribute) throws(DynamoError) {
        if value.scalarType != key.type {
            throw .validation("One or more parameter values were invalid: Condition parameter type does not match schema type")
        }
    }

    /// The legacy `KeyConditions` map, with its own rules on which operators index.
    package static func plan(legacy entries: [LegacyCondition], schema: KeySchema) throws(DynamoError) -> KeyCondition {
        for entry in entries {
            let name = entry.comparisonOperator ?? ""
            let allowed = entry.attribute == schema.partitionKey.name ? ["EQ"] : ["EQ", "LE", "LT", "GE", "GT", "BEGINS_WITH", "BETWEEN"]
            if !allowed.contains(name) {
                throw .validation("Attempted conditional constraint is not an indexable operation")
            }
        }
        guard let condition = try LegacyParameters.filter(entries, conditionalOperator: "AND") else {
            throw .validation("Query condition missed key schema element: \(schema.partitionKey.name)")
        }
        return try plan(condition, schema: schema)
    }
}

extension SortKeyCondition {
    var values: [AttributeValue] {
        switch self {
        case .equal(let v), .less(let v), .lessOrEqual(let v), .greater(let v), .greaterOrEqual(let v), .beginsWith(let v):
            return [v]
        case .between(let low, let high): return [low, high]
        }
    }
}
