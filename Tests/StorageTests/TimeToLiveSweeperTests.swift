import DynamoModel
import Testing
@testable import Storage

@Suite("Time to Live sweeper")
struct TimeToLiveSweeperTests {
    static let now = 1_800_000_000.0

    static func item(_ pk: String, expires: AttributeValue?) -> Item {
        var item: Item = ["pk": .s(pk)]
        if let expires { item["expires"] = expires }
        return item
    }

    @Test func test_only_numbers_of_epoch_seconds_in_the_past_expire() {
        let past = AttributeValue.n(DynamoNumber(Int(Self.now) - 10))
        #expect(TimeToLiveSweeper.isExpired(Self.item("a", expires: past), attribute: "expires", now: Self.now))
        #expect(!TimeToLiveSweeper.isExpired(Self.item("a", expires: .n(DynamoNumber(Int(Self.now) + 10))),
                                             attribute: "expires", now: Self.now))
        #expect(!TimeToLiveSweeper.isExpired(Self.item("a", expires: .s("1")), attribute: "expires", now: Self.now))
        #expect(!TimeToLiveSweeper.isExpired(Self.item("a", expires: nil), attribute: "expires", now: Self.now))
        // More than five years in the past: DynamoDB leaves the item alone.
        #expect(!TimeToLiveSweeper.isExpired(Self.item("a", expires: .n(DynamoNumber(1000))), attribute: "expires",
                                             now: Self.now))
    }

    @Test func test_a_sweep_deletes_expired_items_in_batches_as_service_removes() throws {
        let clock = ManualClock(Self.now)
        var settings = TimeToLiveSettings()
        settings.batchSize = 7
        let (store, catalog) = StreamStoreTests.makeCatalog(clock: clock)
        let table = try catalog.createTable(StreamStoreTests.definition(viewType: .newAndOldImages),
                                            in: StreamStoreTests.namespace)
        table.updateDefinition { $0.timeToLiveAttribute = "expires" }
        for index in 0..<50 {
            let expires = index < 40 ? Int(Self.now) - 100 : Int(Self.now) + 100
            let item = Self.item("k\(index)", expires: .n(DynamoNumber(expires)))
            table.write(try #require(table.encodedKey(of: item))) { _ in .put(item) }
        }
        let unrelated = Self.item("text", expires: .s("yesterday"))
        table.write(try #require(table.encodedKey(of: unrelated))) { _ in .put(unrelated) }

        let sweeper = TimeToLiveSweeper(catalog: catalog, settings: settings, clock: { clock.now })
        #expect(sweeper.sweep(now: Self.now) == 40)
        #expect(table.itemCount == 11)
        let removes = StreamStoreTests.records(try StreamStoreTests.onlyStream(store)).filter { $0.eventName == .remove }
        #expect(removes.count == 40)
        #expect(removes.allSatisfy { $0.origin == .timeToLive && $0.oldImage != nil })
        #expect(sweeper.sweep(now: Self.now) == 0)
    }

}
