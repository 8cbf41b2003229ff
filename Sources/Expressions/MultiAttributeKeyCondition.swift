import DynamoModel

/// A Query's key condition resolved against a multi-attribute key schema (a global secondary index with several
/// HASH or RANGE attributes, DynamoDB November 2025): one value per HASH attribute, equalities on the first RANGE
/// attributes, and at most one condition of any kind on the RANGE attribute after them.
package struct MultiAttributeKeyCondition: Sendable, Equatable {
    /// One value per HASH attribute, in key-schema order.
    package var partitionValues: [AttributeValue]
    /// Values of the leading RANGE attributes the condition fixes with `=`, in key-schema order.
    package var sortPrefix: [AttributeValue]
    /// The condition on the RANGE attribute after `sortPrefix` (the last one the query names), if any.
    package var nextSort: SortKeyCondition?

    package init(partitionValues: [AttributeValue], sortPrefix: [AttributeValue], nextSort: SortKeyCondition?) {
        self.partitionValues = partitionValues
        self.sortPrefix = sortPrefix
        self.nextSort = nextSort
    }
}

extension KeyCondition {
    /// Resolves a parsed key condition against a multi-attribute schema with DynamoDB's rules: every HASH attribute
    /// with `=`; RANGE attributes named from the first with no gap, each with `=` but the last one named, which may
    /// have any sort-key condition. The clauses may come in any order.
    package static func planMultiAttribute(_ condition: Condition,
                                           schema: KeySchema) throws(DynamoError) -> MultiAttributeKeyCondition {
        var clauses: [Condition] = []
        try flatten(condition, into: &clauses)
        var conditions: [String: SortKeyCondition] = [:]
        var unknownAttribute = false
        let partitionKeys = schema.partitionKeys
        let sortKeys = schema.sortKeys
        for clause in clauses {
            let (attribute, resolved) = try keyClause(clause)
            guard conditions[attribute] == nil else {
                throw .validation("KeyConditionExpressions must only contain one condition per key")
            }
            conditions[attribute] = resolved
            if let key = partitionKeys.first(where: { $0.name == attribute }) ?? sortKeys.first(where: { $0.name == attribute }) {
                for value in resolved.values { try checkType(value, key) }
            } else {
                unknownAttribute = true
            }
        }
        var partitionValues: [AttributeValue] = []
        for key in partitionKeys {
            guard case .equal(let value)? = conditions[key.name] else {
                // Attested DynamoDB wording for a HASH attribute of a multi-attribute key without an equality.
                throw .validation("HASH key attributes \(key.name) must have equality conditions")
            }
            partitionValues.append(value)
        }
        if unknownAttribute { throw .validation("Query key condition not supported") }
        // Every RANGE attribute before one the query names must be fixed with `=`; DynamoDB reports the first
        // attribute named after a gap (or after a range condition), with the gap.
        let named = sortKeys.indices.filter { conditions[sortKeys[$0].name] != nil }
        for later in named {
            for prior in 0..<later {
                guard case .equal? = conditions[sortKeys[prior].name] else {
                    throw .validation("RANGE key attributes \(sortKeys[prior].name) must have equality conditions "
                        + "specified in the query because a condition is present on key attribute \(sortKeys[later].name)")
                }
            }
        }
        var sortPrefix: [AttributeValue] = []
        var nextSort: SortKeyCondition?
        if let last = named.last {
            for position in 0..<last {
                if case .equal(let value)? = conditions[sortKeys[position].name] { sortPrefix.append(value) }
            }
            nextSort = conditions[sortKeys[last].name]
            if case .beginsWith? = nextSort, sortKeys[last].type == .n {
                throw .validation("Query key condition not supported")
            }
        }
        return MultiAttributeKeyCondition(partitionValues: partitionValues, sortPrefix: sortPrefix, nextSort: nextSort)
    }

    /// The legacy `KeyConditions` map against a multi-attribute schema: HASH attributes take only `EQ`, and the
    /// conditions then follow the same rules as an expression.
    package static func planMultiAttribute(legacy entries: [LegacyCondition],
                                           schema: KeySchema) throws(DynamoError) -> MultiAttributeKeyCondition {
        let partitionNames = schema.partitionKeys.map(\.name)
        for entry in entries {
            let name = entry.comparisonOperator ?? ""
            let allowed = partitionNames.contains(entry.attribute)
                ? ["EQ"] : ["EQ", "LE", "LT", "GE", "GT", "BEGINS_WITH", "BETWEEN"]
            if !allowed.contains(name) {
                throw .validation("Attempted conditional constraint is not an indexable operation")
            }
        }
        guard let condition = try LegacyParameters.filter(entries, conditionalOperator: "AND") else {
            throw .validation("HASH key attributes \(schema.partitionKey.name) must have equality conditions")
        }
        return try planMultiAttribute(condition, schema: schema)
    }
}
