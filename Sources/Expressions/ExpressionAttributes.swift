import DynamoModel

/// Which expression parameter an expression came from; it prefixes every message ("Invalid ConditionExpression: …").
package enum ExpressionKind: String, Sendable {
    case condition = "ConditionExpression"
    case filter = "FilterExpression"
    case keyCondition = "KeyConditionExpression"
    case projection = "ProjectionExpression"
    case update = "UpdateExpression"
}

/// `ExpressionAttributeNames` and `ExpressionAttributeValues` of one request, shared by all its expressions, with
/// a record of which were used so that unused ones can be refused as DynamoDB refuses them.
package struct ExpressionAttributes: Sendable {
    package let names: [String: String]
    package let values: [String: AttributeValue]
    private(set) var usedNames = Set<String>()
    private(set) var usedValues = Set<String>()

    package init(names: [String: String]? = nil, values: [String: AttributeValue]? = nil) {
        self.names = names ?? [:]
        self.values = values ?? [:]
    }

    mutating func resolveName(_ placeholder: String, kind: ExpressionKind) throws(DynamoError) -> String {
        guard let name = names[placeholder] else {
            throw .validation("Invalid \(kind.rawValue): An expression attribute name used in the document path is not "
                + "defined; attribute name: \(placeholder)")
        }
        usedNames.insert(placeholder)
        return name
    }

    mutating func resolveValue(_ placeholder: String, kind: ExpressionKind) throws(DynamoError) -> AttributeValue {
        guard let value = values[placeholder] else {
            throw .validation("Invalid \(kind.rawValue): An expression attribute value used in expression is not "
                + "defined; attribute value: \(placeholder)")
        }
        usedValues.insert(placeholder)
        return value
    }

    /// After every expression of the request was parsed: names and values nobody used are errors.
    package func checkAllUsed() throws(DynamoError) {
        let unusedNames = names.keys.filter { !usedNames.contains($0) }.sorted()
        if !unusedNames.isEmpty {
            throw .validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {\(unusedNames.joined(separator: ", "))}")
        }
        let unusedValues = values.keys.filter { !usedValues.contains($0) }.sorted()
        if !unusedValues.isEmpty {
            throw .validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {\(unusedValues.joined(separator: ", "))}")
        }
    }
}
