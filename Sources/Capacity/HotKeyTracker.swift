/// The most-accessed and most-throttled keys of tables and indexes with contributor insights on, over sliding
/// windows: counts land in one-minute buckets, the last hour of buckets is kept, and a report sums the buckets of the
/// window asked for.
///
/// Memory is bounded: a bucket holds at most `maximumKeysPerBucket` distinct keys per kind; once full, it counts
/// only the keys it already holds (a key that is hot is seen early, so the top of the report stays right).
///
/// Thread safety: entries live in lock shards chosen by table id, like the usage ledger's.
package final class HotKeyTracker: Sendable {
    /// What a count is of.
    package enum Kind: Int, Sendable, CaseIterable {
        case accessedPartitionKeys, accessedItemKeys, throttledPartitionKeys, throttledItemKeys

        /// The name DynamoDB's rule for this kind carries (PKC, SKC, PKT, SKT).
        package var ruleCode: String {
            switch self {
            case .accessedPartitionKeys: return "PKC"
            case .accessedItemKeys: return "SKC"
            case .throttledPartitionKeys: return "PKT"
            case .throttledItemKeys: return "SKT"
            }
        }
    }

    /// One key and how often it was counted in the window.
    package struct Contributor: Sendable, Equatable {
        package var key: String
        package var count: Int

        package init(key: String, count: Int) {
            self.key = key
            self.count = count
        }
    }

    private struct Bucket {
        var start: Double
        var counts: [[String: Int]] = Array(repeating: [:], count: Kind.allCases.count)
    }

    package static let bucketSeconds = 60.0
    package static let bucketsKept = 60
    package let maximumKeysPerBucket: Int
    private let shards = LockShard<[MeteredResource: [Bucket]]>.shards { [:] }

    package init(maximumKeysPerBucket: Int = 10_000) {
        self.maximumKeysPerBucket = max(1, maximumKeysPerBucket)
    }

    private func shard(_ resource: MeteredResource) -> LockShard<[MeteredResource: [Bucket]]> {
        LockShard.shard(for: resource.tableId, in: shards)
    }

    /// Counts one access (or one throttled request) of a key: its partition key, and with a sort key the item key
    /// (`partition | sort`).
    package func record(_ resource: MeteredResource, partition: String, sort: String?, throttled: Bool, now: Double) {
        let start = (now / Self.bucketSeconds).rounded(.down) * Self.bucketSeconds
        let limit = maximumKeysPerBucket
        shard(resource).withLock { all in
            var buckets = all.removeValue(forKey: resource) ?? []
            if buckets.last?.start != start {
                buckets.append(Bucket(start: start))
                if buckets.count > Self.bucketsKept { buckets.removeFirst(buckets.count - Self.bucketsKept) }
            }
            let last = buckets.count - 1
            func count(_ kind: Kind, _ key: String) {
                let slot = kind.rawValue
                if buckets[last].counts[slot][key] != nil || buckets[last].counts[slot].count < limit {
                    buckets[last].counts[slot][key, default: 0] += 1
                }
            }
            count(throttled ? .throttledPartitionKeys : .accessedPartitionKeys, partition)
            if let sort { count(throttled ? .throttledItemKeys : .accessedItemKeys, "\(partition) | \(sort)") }
            all[resource] = buckets
        }
    }

    /// The `limit` keys counted most in the last `windowSeconds`, most first (ties by key).
    package func top(_ resource: MeteredResource, _ kind: Kind, windowSeconds: Double, limit: Int,
                     now: Double) -> [Contributor] {
        let since = now - windowSeconds
        let totals = shard(resource).withLock { all -> [String: Int] in
            var totals: [String: Int] = [:]
            for bucket in all[resource] ?? [] where bucket.start + Self.bucketSeconds > since {
                for (key, count) in bucket.counts[kind.rawValue] { totals[key, default: 0] += count }
            }
            return totals
        }
        return totals.map { Contributor(key: $0.key, count: $0.value) }
            .sorted { ($1.count, $0.key) < ($0.count, $1.key) }
            .prefix(limit).map { $0 }
    }

    /// Every resource with counts, for reports.
    package func resources() -> [MeteredResource] {
        shards.flatMap { shard in shard.withLock { Array($0.keys) } }
    }

    /// Forgets one table's or index's counts (its insights were disabled).
    package func forget(_ resource: MeteredResource) {
        shard(resource).withLock { _ = $0.removeValue(forKey: resource) }
    }

    /// Forgets every count of a deleted table and its indexes.
    package func forget(tableId: String) {
        LockShard.shard(for: tableId, in: shards).withLock { all in
            all = all.filter { resource, _ in resource.tableId != tableId }
        }
    }
}
