import Testing
@testable import Capacity

@Suite("Cost model")
struct CostModelTests {
    let prices = CostModel()

    @Test("On-demand requests cost $0.25 per million read and $1.25 per million write request units")
    func onDemand() {
        #expect(abs(prices.onDemandCost(readUnits: 1_000_000, writeUnits: 0) - 0.25) < 1e-12)
        #expect(abs(prices.onDemandCost(readUnits: 0, writeUnits: 2_000_000) - 2.5) < 1e-12)
        #expect(abs(prices.onDemandCost(readUnits: 4, writeUnits: 8) - 0.000011) < 1e-15)
    }

    @Test("Provisioned capacity costs per unit-month whether used or not")
    func provisioned() {
        let month = CostModel.secondsPerMonth
        #expect(abs(prices.provisionedCost(readCapacityUnits: 10, writeCapacityUnits: 5, seconds: month) - 3.25) < 1e-9)
        #expect(abs(prices.provisionedCost(readCapacityUnits: 10, writeCapacityUnits: 0, seconds: month / 2) - 0.45) < 1e-9)
    }

    @Test("Storage costs per GB-month")
    func storage() {
        #expect(abs(prices.storageCost(bytes: CostModel.bytesPerGB * 4, seconds: CostModel.secondsPerMonth) - 1.0) < 1e-9)
    }
}
