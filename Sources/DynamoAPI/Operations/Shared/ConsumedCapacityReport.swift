import DynamoModel
import JSON

/// Consumed capacity of single-item operations by DynamoDB's rules, reported when `ReturnConsumedCapacity` asks.
/// (The Capacity issue replaces this with full metering; the unit rules stay these.)
enum ConsumedCapacityReport {
    /// Read units: 4 KB per unit, rounded up, at least one; half for eventually consistent reads.
    static func readUnits(itemSizeInBytes: Int, consistent: Bool) -> Double {
        let units = Double(max(1, (itemSizeInBytes + 4095) / 4096))
        return consistent ? units : units / 2
    }

    /// Write units: 1 KB per unit of the larger of the old and new item, rounded up, at least one.
    static func writeUnits(oldSizeInBytes: Int, newSizeInBytes: Int) -> Double {
        Double(max(1, (max(oldSizeInBytes, newSizeInBytes) + 1023) / 1024))
    }

    /// The `ConsumedCapacity` member for `ReturnConsumedCapacity` (nil for NONE or absent).
    static func member(mode: String?, tableName: String, units: Double, isWrite: Bool) -> (key: String, value: JSONValue)? {
        guard let mode, mode == "TOTAL" || mode == "INDEXES" else { return nil }
        let amount = JSONValue.number(format(units))
        var members: [(key: String, value: JSONValue)] = [("TableName", .string(tableName)), ("CapacityUnits", amount)]
        members.append((isWrite ? "WriteCapacityUnits" : "ReadCapacityUnits", amount))
        if mode == "INDEXES" {
            members.append(("Table", .object(JSONObject([
                (isWrite ? "WriteCapacityUnits" : "ReadCapacityUnits", amount), ("CapacityUnits", amount),
            ]))))
        }
        return ("ConsumedCapacity", .object(JSONObject(members)))
    }

    static func format(_ units: Double) -> String {
        if units == units.rounded() { return "\(Int64(units)).0" }
        return String(units)
    }
}
