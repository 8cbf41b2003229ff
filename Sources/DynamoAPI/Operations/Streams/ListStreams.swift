import DynamoModel
import JSON
import Storage

/// ListStreams: the caller's streams (enabled, or disabled within their retention), optionally of one table, paged.
enum ListStreams {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let tableName = try reader.string("TableName")
        let exclusiveStart = try reader.string("ExclusiveStartStreamArn")
        let limit = try StreamLookup.readListLimit(&reader)
        if let tableName { reader.validateTableName(tableName, at: "tableName") }
        if exclusiveStart != nil { StreamLookup.validateStreamArn(exclusiveStart, into: &reader) }
        try reader.throwValidationErrors()
        // DynamoDB refuses a malformed ExclusiveStartStreamArn (ValidationException) rather than ignoring it.
        let startAfter = try exclusiveStart.map { (text: String) throws(DynamoError) in try StreamArn.require(text) }

        let store = try StreamLookup.store(context)
        let listed = try store.read { (streams: [String: TableStream]) throws(DynamoError) -> [TableStream] in
            streams.values.filter { $0.namespace == context.namespace && (tableName == nil || $0.tableName == tableName) }
                .map(\.header)
        }.sorted { ($0.tableName, $0.label) < ($1.tableName, $1.label) }
        // Streams are listed by table name, then label (their creation time, fixed width), so a start ARN has a
        // place in that order even when its stream is gone: the page resumes after that place.
        let start = startAfter.map { after in
            listed.firstIndex { ($0.tableName, $0.label) > (after.tableName, after.label) } ?? listed.endIndex
        } ?? listed.startIndex
        let page = listed[start...].prefix(limit)
        var output: [(key: String, value: JSONValue)] = [("Streams", .array(page.map { stream in
            .object(JSONObject([("StreamArn", .string(stream.arn)), ("TableName", .string(stream.tableName)),
                                ("StreamLabel", .string(stream.label))]))
        }))]
        if let last = page.last, start + page.count < listed.count {
            output.append(("LastEvaluatedStreamArn", .string(last.arn)))
        }
        return .object(JSONObject(output))
    }
}
