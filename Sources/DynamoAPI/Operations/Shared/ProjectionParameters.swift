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
        if let projectionExpression {
            return Projector(topLevelNames: try Self.topLevelNames(projectionExpression, names: names ?? [:]))
        }
        return Projector(topLevelNames: nil)
    }
}

extension ProjectionParameters {
    /// Top-level attribute names of a projection (`a, #b`), with placeholder resolution and DynamoDB's checks for
    /// undefined and unused names. Nested document paths arrive with the Expressions target.
    static func topLevelNames(_ expression: String, names: [String: String]) throws(DynamoError) -> [String] {
        let tokens = expression.split(separator: ",", omittingEmptySubsequences: false)
            .map { Self.trimmed($0) }
        if Self.trimmed(expression[...]).isEmpty {
            throw .validation("Invalid ProjectionExpression: The expression can not be empty;")
        }
        var resolved: [String] = []
        var used = Set<String>()
        for token in tokens {
            guard !token.isEmpty else {
                throw .validation("Invalid ProjectionExpression: Syntax error; token: \",\", near: \"\(expression)\"")
            }
            if token.hasPrefix("#") {
                guard let name = names[token] else {
                    throw .validation("Invalid ProjectionExpression: An expression attribute name used in the document "
                        + "path is not defined; attribute name: \(token)")
                }
                used.insert(token)
                resolved.append(name)
            } else {
                guard token.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" }) else {
                    throw .validation("SwiftDynamo does not support nested document paths in ProjectionExpression yet: \(token)")
                }
                resolved.append(token)
            }
        }
        let unused = names.keys.filter { !used.contains($0) }.sorted()
        if !unused.isEmpty {
            throw .validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {\(unused.joined(separator: ", "))}")
        }
        var seen = Set<String>()
        for name in resolved where !seen.insert(name).inserted {
            throw .validation("Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
                + "rewrite one of these paths; path one: [\(name)], path two: [\(name)]")
        }
        return resolved
    }

    static func trimmed(_ text: Substring) -> String {
        var slice = text
        while let first = slice.first, first == " " || first == "\t" || first == "\n" || first == "\r" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\n" || last == "\r" { slice.removeLast() }
        return String(slice)
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
