import DynamoModel
import JSON
import Storage

/// TagResource, UntagResource and ListTagsOfResource: tags on tables, addressed by table ARN, durable with the
/// table's definition.
enum Tagging {
    /// The table an ARN names in the caller's namespace (TaggingArn's checks, then the lookup), worded as DynamoDB
    /// words a miss.
    static func table(arn: String, context: RequestContext) throws(DynamoError) -> Table {
        let named = try resolve(arn, context)
        guard case .table(let name) = named, let table = context.catalog.table(named: name, in: context.namespace),
              table.definition.arn == arn else { throw TaggingArn.notFound(arn) }
        return table
    }

    static func resolve(_ arn: String, _ context: RequestContext) throws(DynamoError) -> TaggingArn {
        try TaggingArn.resolve(arn, region: context.namespace.region, accountId: context.namespace.accountId)
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
        let requested = try TagRules.read(input["Tags"])
        if requested == nil { reader.require(false, at: "tags") }
        try reader.throwValidationErrors()
        guard let arn, let requested else { throw .validation("Missing required parameters") }
        _ = try resolve(arn, context)
        if requested.isEmpty { throw TagRules.noTags }
        let tags = try TagRules.check(requested)
        let table = try table(arn: arn, context: context)
        try table.updateDefinition { (definition: inout TableDefinition) throws(DynamoError) in
            definition.tags = try TagRules.merge(tags, into: definition.tags)
        }
        return .encoded([])  // DynamoDB answers TagResource and UntagResource with an empty body
    }

    static func untagResource(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let arn = try readArn(&reader)
        let list = try reader.array("TagKeys")
        if list == nil { reader.require(false, at: "tagKeys") }
        try reader.throwValidationErrors()
        guard let arn, let list else { throw .validation("Missing required parameters") }
        _ = try resolve(arn, context)
        // The keys obey the tag-key rules too, and a request names at most as many as a table may hold.
        if list.isEmpty { throw TagRules.noTagKeys }
        if list.count > TagRules.maximumTagsPerResource { throw TagRules.tooManyTags }
        var keys = Set<String>()
        for entry in list { keys.insert(try TagRules.checkKey(try InputReader.string(entry))) }
        let table = try table(arn: arn, context: context)
        table.updateDefinition { definition in
            definition.tags.removeAll { keys.contains($0.key) }
        }
        return .encoded([])  // DynamoDB answers TagResource and UntagResource with an empty body
    }

    static func listTagsOfResource(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let arn = try readArn(&reader)
        _ = try reader.string("NextToken")
        try reader.throwValidationErrors()
        guard let arn else { throw .validation("Missing required parameters") }
        let table = try table(arn: arn, context: context)
        return .object(JSONObject([("Tags", .array(table.definition.tags.map { tag in
            .object(JSONObject([("Key", .string(tag.key)), ("Value", .string(tag.value))]))
        }))]))
    }
}
