import DynamoModel
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

    /// A table that serves item reads and writes: one still CREATING does not, as in DynamoDB.
    static func activeTable(_ nameOrArn: String, in context: RequestContext) throws(DynamoError) -> Table {
        let table = try table(nameOrArn, in: context, wording: .resource)
        if table.status == .creating { throw DynamoError.requestedResourceNotFound }
        return table
    }
}
