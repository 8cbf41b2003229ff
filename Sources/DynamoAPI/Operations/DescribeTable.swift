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
        let definition = table.definition
        var statistics: [String: (count: Int, size: Int)] = [:]
        for index in definition.allIndexes {
            if let stored = table.index(named: index.name) { statistics[index.name] = (stored.itemCount, stored.sizeInBytes) }
        }
        return .object(JSONObject([
            ("Table", TableDescriptionWriter.describe(definition, itemCount: table.itemCount,
                                                      sizeInBytes: table.sizeInBytes,
                                                      encryptedAtRest: context.settings.encryptionAtRest,
                                                      indexStatistics: statistics)),
        ]))
    }
}
