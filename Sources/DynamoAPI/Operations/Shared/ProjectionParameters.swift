import DynamoModel
import Expressions
import JSON
import Storage

/// `ProjectionExpression` or the legacy `AttributesToGet`.
struct ProjectionParameters {
    var projectionExpression: String?
    var attributesToGet: [String]?

    static func read(_ input: JSONObject, reader: InputReader) throws(DynamoError) -> ProjectionParameters {
        var attributes: [String]?
        if let list = try reader.array("AttributesToGet") {
            var names: [String] = []
            for entry in list { names.append(try InputReader.string(entry) ?? "") }
            attributes = names
        }
        return ProjectionParameters(projectionExpression: try reader.string("ProjectionExpression"),
                                    attributesToGet: attributes)
    }

    func validate(into reader: inout InputReader) {
        if let attributesToGet {
            reader.validate(!attributesToGet.isEmpty, value: "[]", at: "attributesToGet",
                            "Member must have length greater than or equal to 1")
        }
    }

    func compile(_ attributes: inout ExpressionAttributes) throws(DynamoError) -> Projector {
        try ParameterStyle.checkNotMixed(legacy: [("AttributesToGet", attributesToGet != nil)],
                                         expressions: [("ProjectionExpression", projectionExpression != nil)])
        if let attributesToGet {
            var seen = Set<String>()
            for name in attributesToGet where !seen.insert(name).inserted {
                throw .validation("One or more parameter values were invalid: Duplicate value in attribute name: \(name)")
            }
            return Projector(paths: attributesToGet.map { DocumentPath(name: $0) })
        }
        if let projectionExpression {
            return Projector(paths: try ProjectionExpression.parse(projectionExpression, attributes: &attributes).paths)
        }
        return Projector(paths: nil)
    }
}

/// Applies a compiled projection to an item.
struct Projector {
    var paths: [DocumentPath]?

    func apply(to item: Item) -> Item {
        guard let paths else { return item }
        return ProjectionExpression.project(paths, from: item)
    }

    /// The JSON of a stored item, projected; without a projection, written straight from its packed form.
    func json(of stored: StoredItem) -> JSONValue {
        guard paths != nil else { return .encoded(stored.json) }
        return apply(to: stored.item).json
    }
}
