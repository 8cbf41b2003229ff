/// The `capacity` section of the configuration.
package struct CapacitySettings: Sendable, Equatable {
    /// Throttle requests beyond provisioned (or on-demand maximum) throughput. Metering runs either way.
    package var enforce = true
    /// Seconds of unused provisioned capacity a table or index banks (DynamoDB: 300).
    package var burstSeconds = 300.0
    /// Seconds of an on-demand maximum a table may bank: the maximum is per second, so one second's worth.
    package var onDemandBurstSeconds = 1.0
    /// The shortest time between switches to on-demand (DynamoDB: once in 24 hours).
    package var billingModeSwitchIntervalSeconds = 86_400.0
    /// Width of one entry of the usage time series.
    package var usageIntervalSeconds = 60.0
    /// Entries of the time series kept per resource (a day of minutes by default).
    package var usageIntervalsKept = 1440
    /// Prices for the estimated bill.
    package var prices = CostModel()
    /// Target-tracking auto scaling cadence.
    package var autoScaling = AutoScalingTiming()

    package init() {}
}
