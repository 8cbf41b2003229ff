import Capacity
import Dispatch
import Storage
import Synchronization

/// The background scaler: every evaluation period it measures each auto-scaled table's and global index's
/// consumption from the usage ledger and lets `AutoScaler` decide; changes go through the table definition (logged
/// and durable like UpdateTable's) and show in DescribeTable (`ProvisionedThroughput`, `LastIncreaseDateTime`,
/// `NumberOfDecreasesToday`).
///
/// Thread safety: scaling states behind a Mutex; one evaluation at a time (the timer's serial queue).
package final class AutoScalingRunner: Sendable {
    private struct StateKey: Hashable {
        var tableId: String
        var resource: String
        var dimension: CapacityDimension
    }

    private let catalog: Catalog
    private let meter: CapacityMeter
    private let clock: @Sendable () -> Double
    private let states = Mutex<[StateKey: ScalingState]>([:])
    private let stopped = Mutex(false)
    private let queue = DispatchQueue(label: "swiftdynamo.autoscaling")

    package init(catalog: Catalog, meter: CapacityMeter, clock: @escaping @Sendable () -> Double) {
        self.catalog = catalog
        self.meter = meter
        self.clock = clock
    }

    /// Starts evaluating once per period.
    package func start() {
        stopped.withLock { $0 = false }
        scheduleNext()
    }

    private func scheduleNext() {
        let period = meter.settings.autoScaling.evaluationPeriodSeconds
        queue.asyncAfter(deadline: .now() + period) { [self] in
            guard !stopped.withLock({ $0 }) else { return }
            evaluate(now: clock())
            scheduleNext()
        }
    }

    /// Stops after the evaluation in progress, if any.
    package func stop() {
        stopped.withLock { $0 = true }
    }

    /// One evaluation period over every table with a policy.
    package func evaluate(now: Double) {
        let timing = meter.settings.autoScaling
        for (namespace, table) in catalog.allTablesWithNamespaces() {
            let definition = table.definition
            guard !definition.autoScaling.isEmpty, definition.billingMode == .provisioned,
                  definition.status == .active else { continue }
            let base = MeteredResource(accountId: namespace.accountId, region: namespace.region,
                                       tableName: definition.name, tableId: definition.tableId)
            for (resourceName, scaling) in definition.autoScaling {
                for (dimension, stored) in [(CapacityDimension.read, scaling.read), (.write, scaling.write)] {
                    guard let stored else { continue }
                    let policy = TargetTrackingPolicy(minimumUnits: stored.minimumUnits, maximumUnits: stored.maximumUnits,
                                                      targetUtilization: stored.targetUtilization,
                                                      disableScaleIn: stored.disableScaleIn)
                    guard let current = throughput(of: resourceName, in: definition) else { continue }
                    let provisioned = dimension == .read ? current.readCapacityUnits : current.writeCapacityUnits
                    let consumed = consumedTotal(base: base, resourceName: resourceName, dimension: dimension,
                                                 definition: definition)
                    let key = StateKey(tableId: definition.tableId, resource: resourceName, dimension: dimension)
                    let decision = states.withLock { states -> Int64? in
                        var state = states[key] ?? ScalingState()
                        defer { states[key] = state }
                        return AutoScaler.evaluate(policy: policy, timing: timing, state: &state, consumedTotal: consumed,
                                                   provisioned: provisioned,
                                                   decreasesToday: Self.decreasesToday(current, now: now), now: now)
                    }
                    if let decision, decision != provisioned {
                        apply(decision, dimension: dimension, resourceName: resourceName, to: table, now: now)
                        ProvisioningObserver.observe(table.definition, namespace: namespace, meter: meter, now: now)
                    }
                }
            }
        }
    }

    /// The table's (resource "") or a global index's provisioned throughput.
    private func throughput(of resourceName: String, in definition: TableDefinition) -> ProvisionedThroughput? {
        if resourceName.isEmpty { return definition.provisionedThroughput }
        return definition.globalSecondaryIndexes.first { $0.name == resourceName }?.provisionedThroughput
    }

    /// What the resource's bucket pays for: the table with its local indexes, or one global index.
    private func consumedTotal(base: MeteredResource, resourceName: String, dimension: CapacityDimension,
                               definition: TableDefinition) -> Double {
        if !resourceName.isEmpty { return meter.ledger.consumed(base.index(resourceName), dimension) }
        return definition.localSecondaryIndexes.reduce(meter.ledger.consumed(base, dimension)) { total, index in
            total + meter.ledger.consumed(base.index(index.name), dimension)
        }
    }

    /// Decreases so far in the current UTC day.
    static func decreasesToday(_ throughput: ProvisionedThroughput, now: Double) -> Int64 {
        guard let last = throughput.lastDecreaseDateTime, (last / 86_400).rounded(.down) == (now / 86_400).rounded(.down)
        else { return 0 }
        return throughput.numberOfDecreasesToday
    }

    private func apply(_ units: Int64, dimension: CapacityDimension, resourceName: String, to table: Table, now: Double) {
        table.updateDefinition { (definition: inout TableDefinition) in
            func change(_ throughput: inout ProvisionedThroughput) {
                let old = dimension == .read ? throughput.readCapacityUnits : throughput.writeCapacityUnits
                if dimension == .read { throughput.readCapacityUnits = units } else { throughput.writeCapacityUnits = units }
                if units > old {
                    throughput.lastIncreaseDateTime = now
                } else {
                    throughput.numberOfDecreasesToday = Self.decreasesToday(throughput, now: now) + 1
                    throughput.lastDecreaseDateTime = now
                }
            }
            if resourceName.isEmpty {
                change(&definition.provisionedThroughput)
            } else if let position = definition.globalSecondaryIndexes.firstIndex(where: { $0.name == resourceName }),
                      var throughput = definition.globalSecondaryIndexes[position].provisionedThroughput {
                change(&throughput)
                definition.globalSecondaryIndexes[position].provisionedThroughput = throughput
            }
        }
    }
}
