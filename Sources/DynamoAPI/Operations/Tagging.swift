import DynamoModel
import JSON
import Storage

/// TagResource, UntagResource and ListTagsOfResource: tags on tables, addressed by table ARN, durable with the
/// table's definition.
enum Tagging {
    static let maximumTags = 50

    /// The table an ARN names in the caller's namespace, worded as DynamoDB words a miss.
    static func table(arn: String, context: RequestContext) throws(DynamoError) -> Table {
        let notFound = DynamoError(.resourceNotFound, "Requested resource not found: ResourceArn: \(arn) not found")
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "dynamodb", parts[5].hasPrefix("table/") else {
            throw .validation("Invalid TableArn: Invalid ResourceArn provided as input \(arn)")
        }
        guard String(parts[3]) == context.namespace.region, String(parts[4]) == context.namespace.accountId,
              let table = context.catalog.table(named: TableLookup.tableName(from: arn), in: context.namespace),
              table.definition.arn == arn else { throw notFound }
        return table
    }

    static func readArn(_ reader: inout InputReader) throws(DynamoError) -> String? {
        let arn = try reader.string("ResourceArn")
        if let arn {
            reader.validate(!arn.isEmpty, value: arn, at: "resourceArn", "Member must have length greater than or equal to 1")
            reader.validate(arn.utf8.count <= 1283, value: arn, at: "resourceArn", "Member must have length less than or equal to 1283")
        } else {
            reader.require(false, at: "resourceArn")
        }
        return arn
    }

    static func tagResource(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let arn = try readArn(&reader)
        let tags = try TagsInput.read(input["Tags"])
        if let tags {
            for (position, tag) in tags.pairs.enumerated() {
                let path = "tags.\(position + 1).member"
                reader.validate(!tag.key.isEmpty, value: tag.key, at: "\(path).key", "Member must have length greater than or equal to 1")
                reader.validate(tag.key.utf8.count <= 128, value: tag.key, at: "\(path).key", "Member must have length less than or equal to 128")
                reader.validate(tag.value.utf8.count <= 256, value: tag.value, at: "\(path).value", "Member must have length less than or equal to 256")
            }
        } else {
            reader.require(false, at: "tags")
        }
        try reader.throwValidationErrors()
        let table = try table(arn: arn ?? "", context: context)
        try table.updateDefinition { (definition: inout TableDefinition) throws(DynamoError) in
            var merged = definition.tags
            for tag in tags?.pairs ?? [] {
                if let index = merged.firstIndex(where: { $0.key == tag.key }) { merged[index].value = tag.value } else { merged.append(tag) }
            }
            if merged.count > maximumTags {
                throw .validation("One or more parameter values were invalid: The number of tags exceeds the limit of \(maximumTags) for a resource")
            }
            definition.tags = merged
        }
        return .encoded([])  // DynamoDB answers TagResource and UntagResource with an empty body
    }

    static func untagResource(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let arn = try readArn(&reader)
        var keys: [String]?
        if let list = try reader.array("TagKeys") {
            var names: [String] = []
            for entry in list { names.append(try InputReader.string(entry) ?? "") }
            keys = names
        } else {
            reader.require(false, at: "tagKeys")
        }
        try reader.throwValidationErrors()
        let table = try table(arn: arn ?? "", context: context)
        table.updateDefinition { definition in
            definition.tags.removeAll { keys?.contains($0.key) ?? false }
        }
        return .encoded([])  // DynamoDB answers TagResource and UntagResource with an empty body
    }

    static func listTagsOfResource(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let arn = try readArn(&reader)
        _ = try reader.string("NextToken")
        try reader.throwValidationErrors()
        let table = try table(arn: arn ?? "", context: context)
        return .object(JSONObject([("Tags", .array(table.definition.tags.map { tag in
            .object(JSONObject([("Key", .string(tag.key)), ("Value", .string(tag.value))]))
        }))]))
    }
}
