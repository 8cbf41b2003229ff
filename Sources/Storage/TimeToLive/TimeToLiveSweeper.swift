import Dispatch
import DynamoModel
import Synchronization

/// Settings of the Time to Live sweeper.
package struct TimeToLiveSettings: Sendable {
    /// Seconds between sweeps.
    package var sweepIntervalSeconds: Double = 5
    /// Items examined per batch; each batch holds a table's shard locks only while it is copied.
    package var batchSize = 100

    package init() {}
}

/// Deletes expired items in the background, as DynamoDB's TTL process does: an item expires when its TTL
/// attribute is a Number of epoch seconds in the past (and not more than five years in the past, which DynamoDB
/// ignores). Deletions go through `Table.write` — indexes, durability and streams see them like any delete —
/// marked as the service's, so stream records name `dynamodb.amazonaws.com`. Until swept, expired items stay
/// readable.
///
/// Thread safety: sweeps run one at a time on a private serial queue; `stop()` waits for a running sweep.
package final class TimeToLiveSweeper: Sendable {
    private let catalog: Catalog
    private let settings: TimeToLiveSettings
    private let clock: @Sendable () -> Double
    private let queue = DispatchQueue(label: "swiftdynamo.ttl-sweeper")
    private let running = Atomic<Bool>(false)
    /// Set by `stop()`: a sweep in progress ends after its current batch.
    private let stopping = Atomic<Bool>(false)

    /// DynamoDB leaves items whose expiry is more than five years in the past alone.
    static let ignoredAgeSeconds = 5.0 * 365 * 86_400

    package init(catalog: Catalog, settings: TimeToLiveSettings, clock: @escaping @Sendable () -> Double) {
        self.catalog = catalog
        self.settings = settings
        self.clock = clock
    }

    /// Starts sweeping every `sweepIntervalSeconds`.
    package func start() {
        running.store(true, ordering: .releasing)
        scheduleNext()
    }

    /// Stops sweeping; returns once no sweep is running.
    package func stop() {
        running.store(false, ordering: .releasing)
        stopping.store(true, ordering: .releasing)
        queue.sync {}
    }

    private func scheduleNext() {
        queue.asyncAfter(deadline: .now() + max(0.01, settings.sweepIntervalSeconds)) { [self] in
            guard running.load(ordering: .acquiring) else { return }
            sweep(now: clock())
            scheduleNext()
        }
    }

    /// One pass over every table with TTL enabled; returns the number of items deleted.
    @discardableResult
    package func sweep(now: Double) -> Int {
        var deleted = 0
        for table in catalog.allTables() {
            guard let attribute = table.definition.timeToLiveAttribute else { continue }
            var cursor: EncodedKey?
            var finished = false
            while !finished && !stopping.load(ordering: .acquiring) {
                var expired: [EncodedKey] = []
                var visited = 0
                finished = true
                table.scan(exclusiveStart: cursor) { key, item in
                    visited += 1
                    cursor = key
                    if Self.isExpired(item, attribute: attribute, now: now) { expired.append(key) }
                    if visited >= settings.batchSize {
                        finished = false
                        return false
                    }
                    return true
                }
                for key in expired {
                    // Checked again under the shard lock: a write since the scan may have extended the item's life.
                    let outcome = table.write(key, origin: .timeToLive) { (current: Item?) -> WriteDecision in
                        guard let current, Self.isExpired(current, attribute: attribute, now: now) else { return .unchanged }
                        return .delete
                    }
                    if outcome.oldItem != nil && outcome.newItem == nil { deleted += 1 }
                }
            }
        }
        return deleted
    }

    /// Whether an item's TTL attribute is a Number of epoch seconds in the past (within DynamoDB's five years).
    package static func isExpired(_ item: Item, attribute: String, now: Double) -> Bool {
        guard case .n(let number)? = item[attribute], let seconds = Double(number.canonicalText) else { return false }
        return seconds < now && seconds >= now - ignoredAgeSeconds
    }
}
