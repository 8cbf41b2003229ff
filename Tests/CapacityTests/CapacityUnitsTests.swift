import Testing
@testable import Capacity

@Suite("Capacity units")
struct CapacityUnitsTests {
    @Test("Reads round up to 4 KB units, at least one; eventually consistent reads cost half", arguments: [
        (0, 1.0), (1, 1.0), (4096, 1.0), (4097, 2.0), (8192, 2.0), (8193, 3.0), (1_048_576, 256.0),
    ])
    func readRounding(size: Int, units: Double) {
        #expect(CapacityUnits.read(sizeInBytes: size, consistent: true) == units)
        #expect(CapacityUnits.read(sizeInBytes: size, consistent: false) == units / 2)
    }

    @Test("Writes round the larger of the old and new item up to 1 KB units, at least one", arguments: [
        (0, 0, 1.0), (1, 0, 1.0), (1024, 0, 1.0), (1025, 0, 2.0), (100, 3000, 3.0), (409_600, 10, 400.0),
    ])
    func writeRounding(old: Int, new: Int, units: Double) {
        #expect(CapacityUnits.write(oldSizeInBytes: old, newSizeInBytes: new) == units)
        #expect(CapacityUnits.write(oldSizeInBytes: new, newSizeInBytes: old) == units)
    }

    @Test("Transactions cost double")
    func transactionsDouble() {
        #expect(CapacityUnits.transactional(CapacityUnits.read(sizeInBytes: 5000, consistent: true)) == 4)
        #expect(CapacityUnits.transactional(CapacityUnits.write(oldSizeInBytes: 0, newSizeInBytes: 1500)) == 4)
    }

    @Test("Units are written as DynamoDB writes them, always with a fraction")
    func formatting() {
        #expect(CapacityUnits.format(1) == "1.0")
        #expect(CapacityUnits.format(0.5) == "0.5")
        #expect(CapacityUnits.format(12.5) == "12.5")
        #expect(CapacityUnits.format(0) == "0.0")
    }
}
