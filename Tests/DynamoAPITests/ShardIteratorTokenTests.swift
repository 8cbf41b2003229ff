import DynamoModel
import Testing
@testable import DynamoAPI

@Suite("Shard iterators")
struct ShardIteratorTokenTests {
    @Test func test_an_iterator_round_trips_through_its_text() throws {
        let arn = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-11-25T10:00:00.000"
        let token = ShardIteratorToken(streamArn: arn, shardId: "shardId-00000001795603385843-08e07b3f", position: 42,
                                       issuedAtMilliseconds: 1_795_603_385_843)
        let parsed = try ShardIteratorToken.parse(token.text)
        #expect(parsed.streamArn == arn && parsed.shardId == token.shardId)
        #expect(parsed.position == 42 && parsed.issuedAtMilliseconds == 1_795_603_385_843)
    }

    @Test func test_text_that_is_no_iterator_is_a_validation_error() {
        for text in ["not-an-iterator", "arn|2|abc", "arn|1|!!!", "arn|1|" + "c2hhcmQ="] {
            #expect(throws: ShardIteratorToken.invalid) { try ShardIteratorToken.parse(text) }
        }
    }
}
