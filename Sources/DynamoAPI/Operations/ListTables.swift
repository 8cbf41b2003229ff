import DynamoModel
import JSON
import Storage

/// ListTables: the namespace's table names, sorted, paged by `Limit` and `ExclusiveStartTableName`.
enum ListTables {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let exclusiveStart = try reader.string("ExclusiveStartTableName")
        let limit = try reader.integer("Limit")
        try reader.checkTypes()
        if let exclusiveStart { reader.validateTableName(exclusiveStart, at: "exclusiveStartTableName") }
        if let limit {
            reader.validate(limit >= 1, value: String(limit), at: "limit", "Member must have value greater than or equal to 1")
            reader.validate(limit <= 100, value: String(limit), at: "limit", "Member must have value less than or equal to 100")
        }
        try reader.throwValidationErrors()

        let names = context.catalog.tableNames(in: context.namespace)
        let pageSize = Int(limit ?? 100)
        // Table names are ASCII ([a-zA-Z0-9_.-]), so String order is byte order, as DynamoDB lists them.
        let remaining = exclusiveStart.map { start in names.filter { $0 > start } } ?? names
        let page = Array(remaining.prefix(pageSize))
        var output: [(key: String, value: JSONValue)] = [("TableNames", .array(page.map { JSONValue.string($0) }))]
        if remaining.count > pageSize, let last = page.last {
            output.append(("LastEvaluatedTableName", .string(last)))
        }
        return .object(JSONObject(output))
    }
}
