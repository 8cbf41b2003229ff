import Synchronization

/// The throughput a resource may use per second in one dimension, and how much of it it banks.
package struct ThroughputLimit: Sendable, Equatable {
    package var unitsPerSecond: Double
    package var burstSeconds: Double

    package init(unitsPerSecond: Double, burstSeconds: Double) {
        self.unitsPerSecond = unitsPerSecond
        self.burstSeconds = burstSeconds
    }
}

/// One bucket a request needs capacity from before it may run.
package struct CapacityDemand: Sendable {
    package var resource: MeteredResource
    package var dimension: CapacityDimension
    /// nil: the resource has no limit (on-demand without a maximum).
    package var limit: ThroughputLimit?
    /// The units the request is expected to cost.
    package var expectedUnits: Double

    package init(resource: MeteredResource, dimension: CapacityDimension, limit: ThroughputLimit?, expectedUnits: Double) {
        self.resource = resource
        self.dimension = dimension
        self.limit = limit
        self.expectedUnits = expectedUnits
    }
}

/// Admission and charging against per-resource token buckets, and the usage ledger every charge lands in.
///
/// Thread safety: buckets live in lock shards chosen by table id, so tables do not contend with each other; a
/// request's demands all belong to one table, so its admission is one critical section: all its buckets admit it
/// or none does. The ledger has its own locks.
package final class CapacityMeter: Sendable {
    package let settings: CapacitySettings
    package let ledger: UsageLedger
    /// Contributor insights' key counts.
    package let hotKeys = HotKeyTracker()
    private struct BucketKey: Hashable, Sendable {
        var resource: MeteredResource
        var dimension: CapacityDimension
    }
    private let shards = LockShard<[BucketKey: TokenBucket]>.shards { [:] }

    private func shard(_ tableId: String) -> LockShard<[BucketKey: TokenBucket]> {
        LockShard.shard(for: tableId, in: shards)
    }

    /// When metering began (the server's start), the start of the usage report.
    package let startedAt: Double

    package init(settings: CapacitySettings = CapacitySettings(), startedAt: Double = 0) {
        self.settings = settings
        self.startedAt = startedAt
        ledger = UsageLedger(intervalSeconds: settings.usageIntervalSeconds, intervalsKept: settings.usageIntervalsKept)
    }

    /// Checks every demand; nil when all admit the request, else the first that refuses (counted as throttled).
    /// With `enforce` off, every request is admitted.
    package func admit(_ demands: [CapacityDemand], now: Double) -> CapacityDemand? {
        guard settings.enforce, let first = demands.first else { return nil }
        precondition(demands.allSatisfy { $0.resource.tableId == first.resource.tableId },
                     "one admission covers one table")
        let refused: CapacityDemand? = shard(first.resource.tableId).withLock { buckets in
            for demand in demands {
                guard let limit = demand.limit else { continue }
                let key = BucketKey(resource: demand.resource, dimension: demand.dimension)
                var bucket = Self.bucket(buckets[key], for: limit, now: now)
                let admitted = bucket.canAdmit(cost: demand.expectedUnits, now: now)
                buckets[key] = bucket
                if !admitted { return demand }
            }
            return nil
        }
        if let refused { ledger.recordThrottled(refused.resource, refused.dimension, now: now) }
        return refused
    }

    /// Takes consumed units from the resource's bucket (it may go into debt). The caller records them in the ledger.
    package func chargeBucket(_ resource: MeteredResource, _ dimension: CapacityDimension, units: Double,
                              limit: ThroughputLimit, now: Double) {
        guard units > 0, settings.enforce else { return }
        shard(resource.tableId).withLock { buckets in
            let key = BucketKey(resource: resource, dimension: dimension)
            var bucket = Self.bucket(buckets[key], for: limit, now: now)
            bucket.charge(units, now: now)
            buckets[key] = bucket
        }
    }

    /// The bucket's current state (nil when the resource has none yet), for reports and tests.
    package func bucket(_ resource: MeteredResource, _ dimension: CapacityDimension, now: Double) -> TokenBucket? {
        shard(resource.tableId).withLock { buckets in
            guard var bucket = buckets[BucketKey(resource: resource, dimension: dimension)] else { return nil }
            bucket.refill(now: now)
            return bucket
        }
    }

    /// Forgets a deleted table's buckets (its ledger entries stay: their usage was billed).
    package func forgetBuckets(tableId: String) {
        shard(tableId).withLock { buckets in buckets = buckets.filter { $0.key.resource.tableId != tableId } }
    }

    /// An existing bucket brought to the current limit, or a new, full one.
    private static func bucket(_ existing: TokenBucket?, for limit: ThroughputLimit, now: Double) -> TokenBucket {
        guard var bucket = existing, bucket.burstSeconds == limit.burstSeconds else {
            return TokenBucket(ratePerSecond: limit.unitsPerSecond, burstSeconds: limit.burstSeconds, now: now)
        }
        if bucket.ratePerSecond != limit.unitsPerSecond { bucket.setRate(limit.unitsPerSecond, now: now) }
        return bucket
    }
}
