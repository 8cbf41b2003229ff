/// DynamoDB's capacity-unit arithmetic: reads in 4 KB units, writes in 1 KB units, always rounded up, never less
/// than one unit; eventually consistent reads cost half; transactional requests cost double.
package enum CapacityUnits {
    package static let readUnitBytes = 4096
    package static let writeUnitBytes = 1024

    /// Read units for `sizeInBytes` read at once (one item, or a Query/Scan page's total).
    package static func read(sizeInBytes: Int, consistent: Bool) -> Double {
        let units = Double(max(1, (max(0, sizeInBytes) + readUnitBytes - 1) / readUnitBytes))
        return consistent ? units : units / 2
    }

    /// Write units for one item write: the larger of the old and new item, in 1 KB units.
    package static func write(oldSizeInBytes: Int, newSizeInBytes: Int) -> Double {
        let size = max(0, max(oldSizeInBytes, newSizeInBytes))
        return Double(max(1, (size + writeUnitBytes - 1) / writeUnitBytes))
    }

    /// Write units for one index entry of `sizeInBytes`.
    package static func write(sizeInBytes: Int) -> Double {
        write(oldSizeInBytes: sizeInBytes, newSizeInBytes: 0)
    }

    /// Transactions prepare and commit: every unit counts twice.
    package static func transactional(_ units: Double) -> Double { units * 2 }

    /// Units as DynamoDB's JSON writes them: always with a fraction ("1.0", "0.5", "12.5").
    package static func format(_ units: Double) -> String {
        if units == units.rounded(), abs(units) < 1e15 { return "\(Int64(units)).0" }
        return String(units)
    }
}
