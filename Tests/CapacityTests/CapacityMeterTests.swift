import Testing
@testable import Capacity

@Suite("Capacity meter")
struct CapacityMeterTests {
    let table = MeteredResource(accountId: "1", region: "r", tableName: "t", tableId: "id")
    let limit = ThroughputLimit(unitsPerSecond: 5, burstSeconds: 300)

    @Test("A request is admitted by every bucket or by none, and a refusal is counted as throttled")
    func admissionIsAllOrNothing() {
        let meter = CapacityMeter()
        meter.chargeBucket(table.index("gsi"), .write, units: 1500, limit: limit, now: 0)
        let refused = meter.admit([
            CapacityDemand(resource: table, dimension: .write, limit: limit, expectedUnits: 1),
            CapacityDemand(resource: table.index("gsi"), dimension: .write, limit: limit, expectedUnits: 1),
        ], now: 0)
        #expect(refused?.resource.indexName == "gsi")
        #expect(meter.ledger.snapshot(now: 0)[table.index("gsi")]?.throttledWriteRequests == 1)
    }

    @Test("With enforcement off nothing is refused")
    func enforcementOff() {
        var settings = CapacitySettings()
        settings.enforce = false
        let meter = CapacityMeter(settings: settings)
        meter.chargeBucket(table, .write, units: 5000, limit: limit, now: 0)
        #expect(meter.admit([CapacityDemand(resource: table, dimension: .write, limit: limit, expectedUnits: 1)],
                            now: 0) == nil)
    }

    @Test("The ledger integrates provisioned capacity over the time it is held")
    func provisionedCapacityIntegrates() {
        let ledger = UsageLedger()
        ledger.observeProvisioned(table, read: 10, write: 5, now: 100)
        ledger.observeProvisioned(table, read: 20, write: 5, now: 110)
        let entry = ledger.snapshot(now: 120)[table]
        #expect(entry?.readCapacityUnitSeconds == 300)
        #expect(entry?.writeCapacityUnitSeconds == 100)
    }
}
