import Synchronization

/// Consumption per table and index since the server started: units consumed (and, of those, units billed as
/// on-demand request units), throttled requests, provisioned capacity held over time, and a time series.
///
/// Thread safety: entries live in lock shards chosen by table id, so tables do not contend; each call is one short
/// critical section.
package final class UsageLedger: Sendable {
    /// One interval of the time series.
    package struct Interval: Sendable, Equatable {
        /// Start of the interval (seconds since the epoch).
        package var start: Double
        package var readUnits = 0.0
        package var writeUnits = 0.0
        package var throttledRequests = 0

        package init(start: Double) { self.start = start }
    }

    /// Everything known about one resource.
    package struct Entry: Sendable, Equatable {
        package var readUnits = 0.0
        package var writeUnits = 0.0
        /// Units consumed while the table was on-demand (billed per request unit).
        package var onDemandReadUnits = 0.0
        package var onDemandWriteUnits = 0.0
        package var throttledReadRequests = 0
        package var throttledWriteRequests = 0
        /// Provisioned capacity held, integrated over time (unit-seconds), up to `provisionedAsOf`.
        package var readCapacityUnitSeconds = 0.0
        package var writeCapacityUnitSeconds = 0.0
        package var provisionedRead = 0.0
        package var provisionedWrite = 0.0
        package var provisionedAsOf: Double?
        package var series: [Interval] = []

        package init() {}
    }

    private let intervalSeconds: Double
    private let intervalsKept: Int
    private let shards = LockShard<[MeteredResource: Entry]>.shards { [:] }

    private func entries(_ resource: MeteredResource) -> LockShard<[MeteredResource: Entry]> {
        LockShard.shard(for: resource.tableId, in: shards)
    }

    package init(intervalSeconds: Double = 60, intervalsKept: Int = 1440) {
        self.intervalSeconds = max(0.001, intervalSeconds)
        self.intervalsKept = max(1, intervalsKept)
    }

    /// Records consumed units.
    package func recordConsumed(_ resource: MeteredResource, _ dimension: CapacityDimension, units: Double,
                                onDemand: Bool, now: Double) {
        // Mutated in place: copying the entry out would copy its series on every request, inside the lock.
        // One dictionary access: each `entries[resource]` hashes the resource's strings again.
        entries(resource).withLock { entries in record(&entries[resource, default: Entry()]) }

        func record(_ entry: inout Entry) {
            switch dimension {
            case .read:
                entry.readUnits += units
                if onDemand { entry.onDemandReadUnits += units }
            case .write:
                entry.writeUnits += units
                if onDemand { entry.onDemandWriteUnits += units }
            }
            update(&entry.series, now: now) { interval in
                if dimension == .read { interval.readUnits += units } else { interval.writeUnits += units }
            }
        }
    }

    /// Records a request refused for lack of throughput.
    package func recordThrottled(_ resource: MeteredResource, _ dimension: CapacityDimension, now: Double) {
        entries(resource).withLock { entries in record(&entries[resource, default: Entry()]) }

        func record(_ entry: inout Entry) {
            if dimension == .read { entry.throttledReadRequests += 1 } else { entry.throttledWriteRequests += 1 }
            update(&entry.series, now: now) { $0.throttledRequests += 1 }
        }
    }

    /// Notes the provisioned capacity a resource holds from `now` on (0 and 0 for on-demand).
    package func observeProvisioned(_ resource: MeteredResource, read: Double, write: Double, now: Double) {
        entries(resource).withLock { entries in
            var entry = entries[resource] ?? Entry()
            Self.accrue(&entry, now: now)
            entry.provisionedRead = read
            entry.provisionedWrite = write
            entries[resource] = entry
        }
    }

    /// A copy of every entry, with provisioned capacity accrued up to `now`.
    package func snapshot(now: Double) -> [MeteredResource: Entry] {
        var all: [MeteredResource: Entry] = [:]
        for shard in shards {
            shard.withLock { entries in
                for (resource, entry) in entries {
                    var copy = entry
                    Self.accrue(&copy, now: now)
                    all[resource] = copy
                }
            }
        }
        return all
    }

    /// Total units consumed by one resource so far.
    package func consumed(_ resource: MeteredResource, _ dimension: CapacityDimension) -> Double {
        entries(resource).withLock { entries in
            guard let entry = entries[resource] else { return 0 }
            return dimension == .read ? entry.readUnits : entry.writeUnits
        }
    }

    private static func accrue(_ entry: inout Entry, now: Double) {
        if let since = entry.provisionedAsOf, now > since {
            entry.readCapacityUnitSeconds += entry.provisionedRead * (now - since)
            entry.writeCapacityUnitSeconds += entry.provisionedWrite * (now - since)
        }
        entry.provisionedAsOf = max(now, entry.provisionedAsOf ?? now)
    }

    private func update(_ series: inout [Interval], now: Double, _ change: (inout Interval) -> Void) {
        let start = (now / intervalSeconds).rounded(.down) * intervalSeconds
        if series.last?.start != start {
            series.append(Interval(start: start))
            if series.count > intervalsKept { series.removeFirst(series.count - intervalsKept) }
        }
        change(&series[series.count - 1])
    }
}
