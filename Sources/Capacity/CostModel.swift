/// Prices for the estimated bill, in US dollars. Defaults are DynamoDB's us-east-1 list prices for the Standard
/// table class.
package struct CostModel: Sendable, Equatable {
    /// On-demand: per million read request units.
    package var onDemandReadPerMillion = 0.25
    /// On-demand: per million write request units.
    package var onDemandWritePerMillion = 1.25
    /// Provisioned: per read capacity unit for a 30-day month.
    package var provisionedReadPerUnitMonth = 0.09
    /// Provisioned: per write capacity unit for a 30-day month.
    package var provisionedWritePerUnitMonth = 0.47
    /// Storage: per GB (2^30 bytes) for a 30-day month.
    package var storagePerGBMonth = 0.25

    package static let secondsPerMonth = 30.0 * 24 * 3600
    package static let bytesPerGB = 1_073_741_824.0

    package init() {}

    /// The on-demand charge for request units consumed.
    package func onDemandCost(readUnits: Double, writeUnits: Double) -> Double {
        readUnits / 1_000_000 * onDemandReadPerMillion + writeUnits / 1_000_000 * onDemandWritePerMillion
    }

    /// The provisioned charge for holding capacity for `seconds` (billed whether used or not).
    package func provisionedCost(readCapacityUnits: Double, writeCapacityUnits: Double, seconds: Double) -> Double {
        let months = max(0, seconds) / Self.secondsPerMonth
        return (readCapacityUnits * provisionedReadPerUnitMonth + writeCapacityUnits * provisionedWritePerUnitMonth) * months
    }

    /// The storage charge for keeping `bytes` for `seconds`.
    package func storageCost(bytes: Double, seconds: Double) -> Double {
        bytes / Self.bytesPerGB * storagePerGBMonth * max(0, seconds) / Self.secondsPerMonth
    }
}
