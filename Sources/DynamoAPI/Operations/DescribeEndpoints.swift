import DynamoModel
import JSON

/// DescribeEndpoints: the address clients should use — this server's own — cached for a day, as DynamoDB answers.
enum DescribeEndpoints {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        .object(JSONObject([
            ("Endpoints", .array([.object(JSONObject([
                ("Address", .string(context.settings.endpoint.address)),
                ("CachePeriodInMinutes", .number("1440")),
            ]))])),
        ]))
    }
}
