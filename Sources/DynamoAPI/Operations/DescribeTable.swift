import DynamoModel
import JSON
import Storage

/// DescribeTable: the table's full `TableDescription`.
enum DescribeTable {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let tableName = try reader.string("TableName")
        reader.validateTableNameOrArn(tableName, at: "tableName")
        try reader.throwValidationErrors()
        guard let tableName else { throw .validation("Missing TableName") }
        let table = try TableLookup.table(tableName, in: context, wording: .table)
        return .object(JSONObject([
            ("Table", TableDescriptionWriter.describe(table.definition, itemCount: table.itemCount,
                                                      sizeInBytes: table.sizeInBytes,
                encryptedAtRest: context.settings.encryptionAtRest)),
        ]))
    }
}
