import DynamoModel
import JSON

/// `ProjectionExpression` (with `ExpressionAttributeNames`) or the legacy `AttributesToGet`.
struct ProjectionParameters {
    var projectionExpression: String?
    var names: [String: String]?
    var attributesToGet: [String]?

    static func read(_ input: JSONObject, reader: InputReader) throws(DynamoError) -> ProjectionParameters {
        var attributes: [String]?
        if let list = try reader.array("AttributesToGet") {
            var names: [String] = []
            for entry in list { names.append(try InputReader.string(entry) ?? "") }
            attributes = names
        }
        return ProjectionParameters(projectionExpression: try reader.string("ProjectionExpression"),
                                    names: try CommonParameters.stringMap(input["ExpressionAttributeNames"]),
                                    attributesToGet: attributes)
    }

    mutating func validate(into reader: inout InputReader) {
        if let attributesToGet {
            reader.validate(!attributesToGet.isEmpty, value: "[]", at: "attributesToGet",
                            "Member must have length greater than or equal to 1")
        }
        if names != nil && projectionExpression == nil {
            reader.addViolation("ExpressionAttributeNames can only be specified when using expressions")
        }
    }

    func compile() throws(DynamoError) -> Projector {
        if attributesToGet != nil && projectionExpression != nil {
            throw .validation("Can not use both expression and non-expression parameters in the same request: "
                + "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}")
        }
        if let attributesToGet {
            var seen = Set<String>()
            for name in attributesToGet where !seen.insert(name).inserted {
                throw .validation("One or more parameter values were invalid: Duplicate value in attribute name: \(name)")
            }
            return Projector(topLevelNames: attributesToGet)
        }
        if projectionExpression != nil {
            // Arrives with the Expressions target (the expressions issue).
            throw .validation("SwiftDynamo does not support ProjectionExpression yet.")
        }
        return Projector(topLevelNames: nil)
    }
}

/// Applies a compiled projection to an item.
struct Projector {
    var topLevelNames: [String]?

    func apply(to item: Item) -> Item {
        guard let topLevelNames else { return item }
        var projected: Item = [:]
        for name in topLevelNames { if let value = item[name] { projected[name] = value } }
        return projected
    }
}
