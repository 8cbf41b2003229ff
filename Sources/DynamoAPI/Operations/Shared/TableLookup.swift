import DynamoModel
import JSON
import Storage

/// Finds the table a request names, by name or by ARN, in the caller's namespace.
enum TableLookup {
    /// How the operation words "no such table".
    enum Wording {
        /// Item operations: "Requested resource not found".
        case resource
        /// Control-plane operations: "Requested resource not found: Table: NAME not found".
        case table
    }

    /// The plain table name for a `TableName` member that may be an ARN
    /// (`arn:aws:dynamodb:REGION:ACCOUNT:table/NAME`).
    static func tableName(from nameOrArn: String) -> String {
        guard nameOrArn.hasPrefix("arn:"), let slash = nameOrArn.firstIndex(of: "/") else { return nameOrArn }
        return String(nameOrArn[nameOrArn.index(after: slash)...])
    }

    static func table(_ nameOrArn: String, in context: RequestContext, wording: Wording) throws(DynamoError) -> Table {
        let name = tableName(from: nameOrArn)
        guard let table = context.catalog.table(named: name, in: context.namespace) else {
            switch wording {
            case .resource: throw DynamoError.requestedResourceNotFound
            case .table: throw DynamoError.tableNotFound(name)
            }
        }
        return table
    }

    /// The table named by a request whose only required member is `TableName` (validated as DynamoDB does first).
    static func namedTable(in input: JSONObject, _ context: RequestContext) throws(DynamoError) -> Table {
        var reader = InputReader(input)
        let tableName = try reader.string("TableName")
        reader.validateTableNameOrArn(tableName, at: "tableName")
        try reader.throwValidationErrors()
        guard let tableName else { throw .validation("Missing TableName") }
        return try table(tableName, in: context, wording: .table)
    }

    /// A table that serves item reads and writes: one still CREATING does not, as in DynamoDB.
    static func activeTable(_ nameOrArn: String, in context: RequestContext) throws(DynamoError) -> Table {
        let table = try table(nameOrArn, in: context, wording: .resource)
        if table.status == .creating { throw DynamoError.requestedResourceNotFound }
        return table
    }
}
