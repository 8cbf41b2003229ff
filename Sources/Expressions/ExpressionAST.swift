import DynamoModel

/// A value-producing term of a condition.
package indirect enum Operand: Sendable, Equatable {
    case path(DocumentPath)
    case value(AttributeValue)
    /// `size(path)`
    case size(DocumentPath)
}

/// Comparison operators.
package enum Comparator: String, Sendable {
    case equal = "="
    case notEqual = "<>"
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
}

/// A condition (ConditionExpression, FilterExpression, KeyConditionExpression, and the legacy parameters).
package indirect enum Condition: Sendable, Equatable {
    case compare(Operand, Comparator, Operand)
    case between(Operand, Operand, Operand)
    case isIn(Operand, [Operand])
    case attributeExists(DocumentPath)
    case attributeNotExists(DocumentPath)
    case attributeType(DocumentPath, Operand)
    case beginsWith(Operand, Operand)
    case contains(Operand, Operand)
    case and(Condition, Condition)
    case or(Condition, Condition)
    case not(Condition)
    /// Legacy `NOT_CONTAINS`, which (unlike NOT contains) is false when the attribute is missing.
    case notContains(Operand, Operand)
}

/// The value side of a SET action.
package indirect enum SetValue: Sendable, Equatable {
    case operand(Operand)
    case ifNotExists(DocumentPath, SetValue)
    case listAppend(SetValue, SetValue)
    case plus(SetValue, SetValue)
    case minus(SetValue, SetValue)
}

/// One action of an UpdateExpression (or of legacy AttributeUpdates).
package enum UpdateAction: Sendable, Equatable {
    case set(DocumentPath, SetValue)
    case remove(DocumentPath)
    case add(DocumentPath, AttributeValue)
    case delete(DocumentPath, AttributeValue)

    package var path: DocumentPath {
        switch self {
        case .set(let path, _), .remove(let path), .add(let path, _), .delete(let path, _): return path
        }
    }
}
