import DynamoModel
import JSON
import Storage

/// DescribeTable: the table's full `TableDescription`.
enum DescribeTable {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        let table = try TableLookup.namedTable(in: input, context)
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
