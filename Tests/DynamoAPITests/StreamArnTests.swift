import DynamoModel
import Testing
@testable import DynamoAPI

/// Stream ARNs: DynamoDB's shape is parsed into its parts; anything else is "Invalid StreamArn".
@Suite("Stream ARNs")
struct StreamArnTests {
    @Test("A stream ARN as DynamoDB issues it is taken apart")
    func test_parse() throws {
        let text = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders_v1.2-x/stream/2026-12-04T21:04:01.466"
        let arn = try StreamArn.require(text)
        #expect(arn == StreamArn(partition: "aws", region: "us-east-1", accountId: "123456789012",
                                 tableName: "Orders_v1.2-x", label: "2026-12-04T21:04:01.466"))
    }

    static let malformed = [
        "sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdfasdfgasf",
        "kossaapaaasdafsdaasdasdasdasasdasfadfadfasdasdas",
        "arn:aws:dynamodb:us-east-1:123456789012:table/Orders",
        "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/index/gsi",
        "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/",
        "arn:aws:dynamodb:us-east-1:123456789012:table/ab/stream/2026-12-04T21:04:01.466",
        "arn:aws:dynamodb:us-east-1:123456789012:table/bad name/stream/2026-12-04T21:04:01.466",
        "arn:aws:kinesis:us-east-1:123456789012:table/Orders/stream/2026-12-04T21:04:01.466",
        "arn:aws:dynamodb::123456789012:table/Orders/stream/2026-12-04T21:04:01.466",
        "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2026-12-04T21:04:01.466/extra",
    ]

    @Test("Anything else is a ValidationException", arguments: malformed)
    func test_malformed(_ text: String) {
        #expect(throws: StreamArn.invalid) { try StreamArn.require(text) }
    }
}
