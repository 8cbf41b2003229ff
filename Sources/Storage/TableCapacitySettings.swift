/// `OnDemandThroughput`: the most request units per second an on-demand table may use (nil: no maximum).
package struct OnDemandThroughput: Sendable, Equatable {
    package var maxReadRequestUnits: Int64?
    package var maxWriteRequestUnits: Int64?

    package init(maxReadRequestUnits: Int64? = nil, maxWriteRequestUnits: Int64? = nil) {
        self.maxReadRequestUnits = maxReadRequestUnits
        self.maxWriteRequestUnits = maxWriteRequestUnits
    }
}

/// A stored target-tracking auto scaling policy for one dimension of a table or global index.
package struct StoredScalingPolicy: Sendable, Equatable {
    package var minimumUnits: Int64
    package var maximumUnits: Int64
    package var targetUtilization: Double
    package var disableScaleIn: Bool
    /// Application Auto Scaling's policy name, echoed by DescribeTableReplicaAutoScaling.
    package var policyName: String?

    package init(minimumUnits: Int64, maximumUnits: Int64, targetUtilization: Double, disableScaleIn: Bool,
                 policyName: String? = nil) {
        self.minimumUnits = minimumUnits
        self.maximumUnits = maximumUnits
        self.targetUtilization = targetUtilization
        self.disableScaleIn = disableScaleIn
        self.policyName = policyName
    }
}

/// Auto scaling of one table or global index: a policy per dimension.
package struct StoredAutoScaling: Sendable, Equatable {
    package var read: StoredScalingPolicy?
    package var write: StoredScalingPolicy?

    package init(read: StoredScalingPolicy? = nil, write: StoredScalingPolicy? = nil) {
        self.read = read
        self.write = write
    }
}
