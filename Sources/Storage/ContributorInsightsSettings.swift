/// Contributor insights of one table or global index as UpdateContributorInsights last set them.
package struct ContributorInsightsSettings: Sendable, Equatable {
    /// The two modes DynamoDB offers: every access and throttle, or throttles only.
    package static let accessedAndThrottled = "ACCESSED_AND_THROTTLED_KEYS"
    package static let throttledOnly = "THROTTLED_KEYS"

    package var enabled: Bool
    package var mode: String
    /// When the status last changed (DescribeContributorInsights' `LastUpdateDateTime`).
    package var lastUpdate: Double
    /// Epoch milliseconds that suffix the rule names; new each time insights go from disabled to enabled.
    package var ruleTimestamp: Int64

    package init(enabled: Bool, mode: String, lastUpdate: Double, ruleTimestamp: Int64) {
        self.enabled = enabled
        self.mode = mode
        self.lastUpdate = lastUpdate
        self.ruleTimestamp = ruleTimestamp
    }

    /// Whether ordinary accesses (not only throttles) are tracked.
    package var tracksAccesses: Bool { enabled && mode == Self.accessedAndThrottled }
}
