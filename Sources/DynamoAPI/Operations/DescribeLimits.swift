import DynamoModel
import JSON

/// DescribeLimits: the provisioned-capacity quotas DynamoDB applies by default (per account and region, and per
/// table), which SwiftDynamo reports as its own.
enum DescribeLimits {
    static func handle(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        .object(JSONObject([
            ("AccountMaxReadCapacityUnits", .number("80000")),
            ("AccountMaxWriteCapacityUnits", .number("80000")),
            ("TableMaxReadCapacityUnits", .number("40000")),
            ("TableMaxWriteCapacityUnits", .number("40000")),
        ]))
    }
}
