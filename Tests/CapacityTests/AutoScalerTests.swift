import Testing
@testable import Capacity

@Suite("Auto scaler")
struct AutoScalerTests {
    let policy = TargetTrackingPolicy(minimumUnits: 5, maximumUnits: 100, targetUtilization: 50)
    var timing: AutoScalingTiming {
        var timing = AutoScalingTiming()
        timing.evaluationPeriodSeconds = 1
        return timing
    }

    @Test("Capacity rises only after two consecutive periods above the target, to put utilization at the target")
    func scalesOutAfterTwoPeriods() {
        var state = ScalingState()
        #expect(AutoScaler.evaluate(policy: policy, timing: timing, state: &state, consumedTotal: 0, provisioned: 5,
                                    decreasesToday: 0, now: 0) == nil)
        // 10 units per second on 5 provisioned: 200% utilization.
        #expect(AutoScaler.evaluate(policy: policy, timing: timing, state: &state, consumedTotal: 10, provisioned: 5,
                                    decreasesToday: 0, now: 1) == nil)
        #expect(AutoScaler.evaluate(policy: policy, timing: timing, state: &state, consumedTotal: 20, provisioned: 5,
                                    decreasesToday: 0, now: 2) == 20)
    }

    @Test("Capacity falls only after fifteen quiet periods, and not past the daily decrease limit")
    func scalesInAfterFifteenPeriods() {
        var state = ScalingState()
        var decision: Int64?
        for second in 0...15 {
            decision = AutoScaler.evaluate(policy: policy, timing: timing, state: &state, consumedTotal: 0,
                                           provisioned: 40, decreasesToday: 0, now: Double(second))
            if second < 15 { #expect(decision == nil) }
        }
        #expect(decision == 5)
        var limited = ScalingState()
        for second in 0...20 {
            decision = AutoScaler.evaluate(policy: policy, timing: timing, state: &limited, consumedTotal: 0,
                                           provisioned: 40, decreasesToday: 27, now: Double(second))
            #expect(decision == nil)
        }
    }

    @Test("The desired capacity stays within the policy's bounds")
    func boundedDesiredCapacity() {
        #expect(AutoScaler.desiredCapacity(unitsPerSecond: 1000, policy: policy) == 100)
        #expect(AutoScaler.desiredCapacity(unitsPerSecond: 0, policy: policy) == 5)
        #expect(AutoScaler.desiredCapacity(unitsPerSecond: 7, policy: policy) == 14)
    }
}
