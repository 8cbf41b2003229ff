import Capacity
import Testing

@Suite("Hot key tracker")
struct HotKeyTrackerTests {
    let table = MeteredResource(accountId: "1", region: "r", tableName: "t", tableId: "id")

    @Test("Counts rank keys most first, with item keys for tables with a sort key")
    func ranksKeys() {
        let tracker = HotKeyTracker()
        for _ in 0..<5 { tracker.record(table, partition: "hot", sort: "1", throttled: false, now: 100) }
        for _ in 0..<2 { tracker.record(table, partition: "warm", sort: "2", throttled: false, now: 100) }
        tracker.record(table, partition: "cold", sort: nil, throttled: true, now: 100)
        let accessed = tracker.top(table, .accessedPartitionKeys, windowSeconds: 60, limit: 10, now: 100)
        #expect(accessed == [.init(key: "hot", count: 5), .init(key: "warm", count: 2)])
        #expect(tracker.top(table, .accessedItemKeys, windowSeconds: 60, limit: 1, now: 100) == [.init(key: "hot | 1", count: 5)])
        #expect(tracker.top(table, .throttledPartitionKeys, windowSeconds: 60, limit: 10, now: 100) == [.init(key: "cold", count: 1)])
        #expect(tracker.top(table, .throttledItemKeys, windowSeconds: 60, limit: 10, now: 100).isEmpty)
    }

    @Test("Windows cover only their recent buckets")
    func slidingWindows() {
        let tracker = HotKeyTracker()
        tracker.record(table, partition: "old", sort: nil, throttled: false, now: 0)
        tracker.record(table, partition: "new", sort: nil, throttled: false, now: 600)
        #expect(tracker.top(table, .accessedPartitionKeys, windowSeconds: 60, limit: 10, now: 600).map(\.key) == ["new"])
        #expect(tracker.top(table, .accessedPartitionKeys, windowSeconds: 3600, limit: 10, now: 600).map(\.key) == ["new", "old"])
        tracker.record(table, partition: "later", sort: nil, throttled: false, now: 600 + 3600 * 2)
        #expect(tracker.top(table, .accessedPartitionKeys, windowSeconds: 3600, limit: 10, now: 600 + 3600 * 2)
                .map(\.key) == ["later"])
    }

    @Test("A full bucket counts only the keys it holds")
    func boundedMemory() {
        let tracker = HotKeyTracker(maximumKeysPerBucket: 2)
        for key in ["a", "b", "c", "a"] { tracker.record(table, partition: key, sort: nil, throttled: false, now: 5) }
        #expect(tracker.top(table, .accessedPartitionKeys, windowSeconds: 60, limit: 10, now: 5)
                == [.init(key: "a", count: 2), .init(key: "b", count: 1)])
    }

    @Test("Forgetting a table's index keeps the table's counts")
    func forgetsOneResource() {
        let tracker = HotKeyTracker()
        let index = table.index("gsi")
        tracker.record(table, partition: "t", sort: nil, throttled: false, now: 1)
        tracker.record(index, partition: "i", sort: nil, throttled: false, now: 1)
        tracker.forget(index)
        #expect(tracker.top(index, .accessedPartitionKeys, windowSeconds: 60, limit: 10, now: 1).isEmpty)
        #expect(tracker.top(table, .accessedPartitionKeys, windowSeconds: 60, limit: 10, now: 1).count == 1)
        tracker.forget(tableId: "id")
        #expect(tracker.resources().isEmpty)
    }
}
