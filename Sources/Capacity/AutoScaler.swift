/// A target-tracking policy for one dimension of a table or index, as `UpdateTableReplicaAutoScaling` sets it.
package struct TargetTrackingPolicy: Sendable, Equatable {
    package var minimumUnits: Int64
    package var maximumUnits: Int64
    /// Percent of provisioned capacity the scaler aims consumption at (20–90).
    package var targetUtilization: Double
    package var disableScaleIn: Bool

    package init(minimumUnits: Int64, maximumUnits: Int64, targetUtilization: Double, disableScaleIn: Bool = false) {
        self.minimumUnits = minimumUnits
        self.maximumUnits = maximumUnits
        self.targetUtilization = targetUtilization
        self.disableScaleIn = disableScaleIn
    }
}

/// The scaler's cadence. DynamoDB (Application Auto Scaling) evaluates one-minute periods: it scales out after two
/// consecutive periods above target and scales in after fifteen consecutive periods well below it.
package struct AutoScalingTiming: Sendable, Equatable {
    package var evaluationPeriodSeconds = 60.0
    package var scaleOutPeriods = 2
    package var scaleInPeriods = 15
    /// Utilization below this fraction of the target counts towards scale-in.
    package var scaleInThreshold = 0.8
    /// DynamoDB allows up to 27 decreases per UTC day.
    package var maximumDecreasesPerDay = 27

    package init() {}
}

/// What the scaler remembers about one dimension of one resource between evaluations.
package struct ScalingState: Sendable, Equatable {
    package var periodsAbove = 0
    package var periodsBelow = 0
    package var lastConsumed: Double?
    package var lastSampleAt: Double?

    package init() {}
}

/// Target tracking: from consumed units per second, the provisioned capacity that puts utilization at the
/// target, applied only after the cadence's consecutive periods.
package enum AutoScaler {
    /// The capacity that serves `unitsPerSecond` at the target utilization, within the policy's bounds.
    package static func desiredCapacity(unitsPerSecond: Double, policy: TargetTrackingPolicy) -> Int64 {
        let target = max(1, min(100, policy.targetUtilization)) / 100
        let needed = Int64((unitsPerSecond / target).rounded(.up))
        return min(policy.maximumUnits, max(policy.minimumUnits, max(1, needed)))
    }

    /// One evaluation period: returns the new capacity when the scaler changes it, nil otherwise.
    /// `consumedTotal` is the resource's cumulative consumption; the rate is its growth since the last sample.
    package static func evaluate(policy: TargetTrackingPolicy, timing: AutoScalingTiming, state: inout ScalingState,
                                 consumedTotal: Double, provisioned: Int64, decreasesToday: Int64,
                                 now: Double) -> Int64? {
        defer {
            state.lastConsumed = consumedTotal
            state.lastSampleAt = now
        }
        // Outside the bounds: DynamoDB brings the capacity inside them at once.
        if provisioned < policy.minimumUnits { return policy.minimumUnits }
        if provisioned > policy.maximumUnits { return policy.maximumUnits }
        guard let lastConsumed = state.lastConsumed, let lastSampleAt = state.lastSampleAt, now > lastSampleAt else {
            return nil
        }
        let rate = max(0, consumedTotal - lastConsumed) / (now - lastSampleAt)
        let utilization = provisioned > 0 ? rate / Double(provisioned) * 100 : 0
        let desired = desiredCapacity(unitsPerSecond: rate, policy: policy)
        if utilization > policy.targetUtilization {
            state.periodsAbove += 1
            state.periodsBelow = 0
            if state.periodsAbove >= timing.scaleOutPeriods, desired > provisioned {
                state.periodsAbove = 0
                return desired
            }
        } else if utilization < policy.targetUtilization * timing.scaleInThreshold {
            state.periodsBelow += 1
            state.periodsAbove = 0
            if state.periodsBelow >= timing.scaleInPeriods, desired < provisioned, !policy.disableScaleIn,
               decreasesToday < Int64(timing.maximumDecreasesPerDay) {
                state.periodsBelow = 0
                return desired
            }
        } else {
            state.periodsAbove = 0
            state.periodsBelow = 0
        }
        return nil
    }
}
