import DynamoModel

/// One entry of the legacy `Expected`, `QueryFilter`, `ScanFilter` or `KeyConditions` maps.
package struct LegacyCondition: Sendable {
    package var attribute: String
    package var comparisonOperator: String?
    package var attributeValueList: [AttributeValue]?
    /// `Expected` only.
    package var value: AttributeValue?
    /// `Expected` only.
    package var exists: Bool?

    package init(attribute: String, comparisonOperator: String? = nil, attributeValueList: [AttributeValue]? = nil,
                 value: AttributeValue? = nil, exists: Bool? = nil) {
        self.attribute = attribute
        self.comparisonOperator = comparisonOperator
        self.attributeValueList = attributeValueList
        self.value = value
        self.exists = exists
    }
}

/// One entry of the legacy `AttributeUpdates` map.
package struct LegacyAttributeUpdate: Sendable {
    package var attribute: String
    package var action: String?
    package var value: AttributeValue?

    package init(attribute: String, action: String?, value: AttributeValue?) {
        self.attribute = attribute
        self.action = action
        self.value = value
    }
}

/// Translates the legacy (pre-expression) parameters into the same AST the expressions use.
package enum LegacyParameters {
    package static let comparisonOperators = ["EQ", "NE", "IN", "LE", "LT", "GE", "GT", "BETWEEN", "NOT_NULL", "NULL",
                                              "CONTAINS", "NOT_CONTAINS", "BEGINS_WITH"]

    static func invalid(_ message: String) -> DynamoError {
        .validation("One or more parameter values were invalid: \(message)")
    }

    /// `Expected` with `ConditionalOperator`: nil when empty.
    package static func expected(_ entries: [LegacyCondition], conditionalOperator: String?) throws(DynamoError) -> Condition? {
        var conditions: [Condition] = []
        for entry in entries {
            let path = DocumentPath(name: entry.attribute)
            if entry.comparisonOperator != nil {
                if entry.value != nil || entry.exists != nil {
                    throw invalid("Value or Exists parameter cannot be used with ComparisonOperator for Attribute: \(entry.attribute)")
                }
                conditions.append(try comparison(entry))
                continue
            }
            if entry.attributeValueList != nil {
                throw invalid("AttributeValueList can only be used with a ComparisonOperator for Attribute: \(entry.attribute)")
            }
            switch (entry.exists, entry.value) {
            case (false?, nil):
                conditions.append(.attributeNotExists(path))
            case (false?, .some):
                throw invalid("Cannot expect an attribute to have a specified value while expecting it to not exist")
            case (_, let value?):
                conditions.append(.compare(.path(path), .equal, .value(value)))
            case (true?, nil), (nil, nil):
                throw invalid("Value must be provided when Exists is true for Attribute: \(entry.attribute)")
            }
        }
        return combine(conditions, conditionalOperator)
    }

    /// `QueryFilter`, `ScanFilter` (and `KeyConditions`) with `ConditionalOperator`: nil when empty.
    package static func filter(_ entries: [LegacyCondition], conditionalOperator: String?) throws(DynamoError) -> Condition? {
        var conditions: [Condition] = []
        for entry in entries { conditions.append(try comparison(entry)) }
        return combine(conditions, conditionalOperator)
    }

    static func combine(_ conditions: [Condition], _ conditionalOperator: String?) -> Condition? {
        guard var combined = conditions.first else { return nil }
        for condition in conditions.dropFirst() {
            combined = conditionalOperator == "OR" ? .or(combined, condition) : .and(combined, condition)
        }
        return combined
    }

    /// One `ComparisonOperator` with its `AttributeValueList`, checked as DynamoDB checks it.
    static func comparison(_ entry: LegacyCondition) throws(DynamoError) -> Condition {
        let name = entry.comparisonOperator ?? "EQ"
        let values = entry.attributeValueList ?? []
        let path = Operand.path(DocumentPath(name: entry.attribute))
        let expectedCount: ClosedRange<Int>
        switch name {
        case "NOT_NULL", "NULL": expectedCount = 0...0
        case "BETWEEN": expectedCount = 2...2
        case "IN": expectedCount = 1...Int.max
        default: expectedCount = 1...1
        }
        guard expectedCount.contains(values.count) else {
            throw invalid("Invalid number of argument(s) for the \(name) ComparisonOperator")
        }
        func requireScalar(_ allowNumbers: Bool = true) throws(DynamoError) {
            for value in values {
                guard let type = value.scalarType, allowNumbers || type != .n else {
                    throw invalid("ComparisonOperator \(name) is not valid for \(value.typeDescriptor) AttributeValue type")
                }
            }
        }
        switch name {
        case "EQ": return .compare(path, .equal, .value(values[0]))
        case "NE": return .compare(path, .notEqual, .value(values[0]))
        case "LE", "LT", "GE", "GT":
            try requireScalar()
            let comparator: Comparator = name == "LE" ? .lessOrEqual : name == "LT" ? .less : name == "GE" ? .greaterOrEqual : .greater
            return .compare(path, comparator, .value(values[0]))
        case "NOT_NULL": return .attributeExists(DocumentPath(name: entry.attribute))
        case "NULL": return .attributeNotExists(DocumentPath(name: entry.attribute))
        case "CONTAINS", "NOT_CONTAINS":
            try requireScalar()
            return name == "CONTAINS" ? .contains(path, .value(values[0])) : .notContains(path, .value(values[0]))
        case "BEGINS_WITH":
            try requireScalar(false)
            return .beginsWith(path, .value(values[0]))
        case "IN":
            try requireScalar()
            return .isIn(path, values.map { .value($0) })
        case "BETWEEN":
            try requireScalar()
            guard values[0].typeDescriptor == values[1].typeDescriptor else {
                throw invalid("AttributeValues inside AttributeValueList must be of same type")
            }
            if let order = Evaluator.order(values[0], values[1]), order > 0 {
                throw .validation("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound")
            }
            return .between(path, .value(values[0]), .value(values[1]))
        default:
            throw .validation("1 validation error detected: Value '\(name)' at 'comparisonOperator' failed to satisfy constraint: "
                + "Member must satisfy enum value set: [\(comparisonOperators.joined(separator: ", "))]")
        }
    }

    /// `AttributeUpdates` as update actions.
    package static func attributeUpdates(_ entries: [LegacyAttributeUpdate]) throws(DynamoError) -> UpdateExpression {
        var actions: [UpdateAction] = []
        for entry in entries {
            let path = DocumentPath(name: entry.attribute)
            switch entry.action ?? "PUT" {
            case "PUT":
                guard let value = entry.value else {
                    throw invalid("Only DELETE action is allowed when no attribute value is specified")
                }
                actions.append(.set(path, .operand(.value(value))))
            case "DELETE":
                guard let value = entry.value else {
                    actions.append(.remove(path))
                    continue
                }
                switch value {
                case .ss, .ns, .bs: actions.append(.delete(path, value))
                default: throw invalid("DELETE action with value is not supported for the type \(value.typeDescriptor)")
                }
            case "ADD":
                guard let value = entry.value else {
                    throw invalid("Only DELETE action is allowed when no attribute value is specified")
                }
                switch value {
                case .n, .ss, .ns, .bs: actions.append(.add(path, value))
                case .l:
                    // Legacy ADD appends to a list (or creates it).
                    actions.append(.set(path, .listAppend(.ifNotExists(path, .operand(.value(.l([])))), .operand(.value(value)))))
                default: throw invalid("ADD action is not supported for the type \(value.typeDescriptor)")
                }
            default:
                throw .validation("1 validation error detected: Value '\(entry.action ?? "")' at 'attributeUpdates.\(entry.attribute).member.action' "
                    + "failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]")
            }
        }
        return UpdateExpression(actions: actions)
    }
}
