import DynamoModel
import JSON
import Storage

/// `WarmThroughput` as it arrives in CreateTable, UpdateTable and global index creates and updates, and the warm
/// throughput DescribeTable reports.
///
/// DynamoDB gives every new table and global index 12,000 read and 4,000 write units per second of warm
/// throughput ("Understanding DynamoDB warm throughput"); it rises with provisioned capacity and with what the
/// user asks for, and never goes down. We report the largest of the default, the provisioned capacity and the last
/// request; there is no capacity to warm, so the status is ACTIVE at once.
struct WarmThroughputInput {
    var readUnitsPerSecond: Int64?
    var writeUnitsPerSecond: Int64?

    /// DynamoDB's starting warm throughput of a new table or global index.
    static let initial = WarmThroughput(readUnitsPerSecond: 12_000, writeUnitsPerSecond: 4_000)

    static func read(_ value: JSONValue?) throws(DynamoError) -> WarmThroughputInput? {
        guard let object = try InputReader.object(value) else { return nil }
        return WarmThroughputInput(readUnitsPerSecond: try InputReader.integer(object["ReadUnitsPerSecond"]),
                                   writeUnitsPerSecond: try InputReader.integer(object["WriteUnitsPerSecond"]))
    }

    /// The warm throughput of a table or index: the default raised to its provisioned capacity and to what was
    /// asked for.
    static func effective(_ requested: WarmThroughput?, provisioned: ProvisionedThroughput?) -> WarmThroughput {
        var warm = initial
        if let provisioned {
            warm.readUnitsPerSecond = max(warm.readUnitsPerSecond, provisioned.readCapacityUnits)
            warm.writeUnitsPerSecond = max(warm.writeUnitsPerSecond, provisioned.writeCapacityUnits)
        }
        if let requested {
            warm.readUnitsPerSecond = max(warm.readUnitsPerSecond, requested.readUnitsPerSecond)
            warm.writeUnitsPerSecond = max(warm.writeUnitsPerSecond, requested.writeUnitsPerSecond)
        }
        return warm
    }

    /// "for table" or "for index NAME", as DynamoDB's warm-throughput messages name the resource.
    private static func subject(_ indexName: String?) -> String {
        indexName.map { "for index \($0)" } ?? "for table"
    }

    /// CreateTable (or a global index create) on provisioned capacity: warm throughput below the provisioned
    /// capacity is refused.
    func checkAtLeast(_ provisioned: ProvisionedThroughput?, indexName: String? = nil) throws(DynamoError) {
        guard let provisioned else { return }
        try refuseBelow(read: provisioned.readCapacityUnits, write: provisioned.writeCapacityUnits,
                        indexName: indexName) { "is lower than \($0)CapacityUnits of ProvisionedThroughput" }
    }

    /// The new requested warm throughput after an update of `current` (the effective value now); DynamoDB refuses a
    /// decrease.
    func applied(to current: WarmThroughput, indexName: String? = nil) throws(DynamoError) -> WarmThroughput {
        try refuseBelow(read: current.readUnitsPerSecond, write: current.writeUnitsPerSecond, indexName: indexName) { _ in
            "is lower than current WarmThroughput, decreasing WarmThroughput is not supported"
        }
        return WarmThroughput(readUnitsPerSecond: readUnitsPerSecond ?? current.readUnitsPerSecond,
                              writeUnitsPerSecond: writeUnitsPerSecond ?? current.writeUnitsPerSecond)
    }

    /// Refuses a requested side below its floor; `reason` gets "Read" or "Write" and ends DynamoDB's message.
    private func refuseBelow(read readFloor: Int64, write writeFloor: Int64, indexName: String?,
                             reason: (String) -> String) throws(DynamoError) {
        for (side, requested, floor) in [("Read", readUnitsPerSecond, readFloor), ("Write", writeUnitsPerSecond, writeFloor)] {
            if let requested, requested < floor {
                throw .validation("One or more parameter values were invalid: Requested \(side)UnitsPerSecond for "
                    + "WarmThroughput \(Self.subject(indexName)) \(reason(side))")
            }
        }
    }

    /// The value CreateTable stores: what was asked, each missing side left at the default.
    var requested: WarmThroughput {
        WarmThroughput(readUnitsPerSecond: readUnitsPerSecond ?? Self.initial.readUnitsPerSecond,
                       writeUnitsPerSecond: writeUnitsPerSecond ?? Self.initial.writeUnitsPerSecond)
    }

    /// DescribeTable's `WarmThroughput` member (TableWarmThroughputDescription / its index counterpart).
    static func describe(_ warm: WarmThroughput, status: String) -> JSONValue {
        .object(JSONObject([
            ("ReadUnitsPerSecond", .number(String(warm.readUnitsPerSecond))),
            ("WriteUnitsPerSecond", .number(String(warm.writeUnitsPerSecond))),
            ("Status", .string(status)),
        ]))
    }
}
