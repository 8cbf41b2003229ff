import Capacity
import JSON
import Storage

/// What one operation consumed on one table: units on the table itself and on each index, in one dimension.
/// Renders DynamoDB's `ConsumedCapacity` shape for `TOTAL` and `INDEXES`.
struct ConsumedCapacity {
    var tableName: String
    var dimension: CapacityDimension
    /// Transactions report the read/write split; other operations report only the aggregate.
    var isTransactional = false
    var tableUnits = 0.0
    /// Per index, in the order first touched.
    var indexes: [(name: String, isGlobal: Bool, units: Double)] = []

    init(tableName: String, dimension: CapacityDimension) {
        self.tableName = tableName
        self.dimension = dimension
    }

    /// One Query or Scan page: units on the page's bytes read, charged to the index when one was read (the table then
    /// pays only `fetchedUnits`, for base items fetched to project attributes the index lacks).
    static func readPage(tableName: String, index: IndexDefinition?, bytesRead: Int, consistent: Bool,
                         fetchedUnits: Double) -> ConsumedCapacity {
        var consumed = ConsumedCapacity(tableName: tableName, dimension: .read)
        let units = CapacityUnits.read(sizeInBytes: bytesRead, consistent: consistent)
        if let index {
            consumed.addIndex(index.name, isGlobal: index.isGlobal, units: units)
            consumed.tableUnits = fetchedUnits
        } else {
            consumed.tableUnits = units
        }
        return consumed
    }

    /// Units on the table and every index.
    var totalUnits: Double { tableUnits + indexes.reduce(0) { $0 + $1.units } }

    mutating func addIndex(_ name: String, isGlobal: Bool, units: Double) {
        if let position = indexes.firstIndex(where: { $0.name == name }) {
            indexes[position].units += units
        } else {
            indexes.append((name, isGlobal, units))
        }
    }

    /// Adds another consumption of the same table (batches, transactions).
    mutating func add(_ other: ConsumedCapacity) {
        tableUnits += other.tableUnits
        for index in other.indexes { addIndex(index.name, isGlobal: index.isGlobal, units: index.units) }
    }

    /// Every unit doubled (transactions).
    func doubled() -> ConsumedCapacity {
        var copy = self
        copy.isTransactional = true
        copy.tableUnits = CapacityUnits.transactional(tableUnits)
        copy.indexes = indexes.map { ($0.name, $0.isGlobal, CapacityUnits.transactional($0.units)) }
        return copy
    }

    /// The `ConsumedCapacity` object for `mode` (nil for NONE or absent). As measured on DynamoDB: only
    /// transactional operations split the total into `ReadCapacityUnits` / `WriteCapacityUnits` (at the top level
    /// and on `Table`); index entries carry `CapacityUnits` alone; an index the operation did not touch is absent.
    func json(mode: String?) -> JSONValue? {
        guard mode == "TOTAL" || mode == "INDEXES" else { return nil }
        let splitKey = dimension == .read ? "ReadCapacityUnits" : "WriteCapacityUnits"
        func capacity(_ units: Double, split: Bool) -> JSONValue {
            var members: [(key: String, value: JSONValue)] = []
            if split { members.append((splitKey, .number(CapacityUnits.format(units)))) }
            members.append(("CapacityUnits", .number(CapacityUnits.format(units))))
            return .object(JSONObject(members))
        }
        let total = JSONValue.number(CapacityUnits.format(totalUnits))
        var members: [(key: String, value: JSONValue)] = [("TableName", .string(tableName)), ("CapacityUnits", total)]
        if isTransactional { members.append((splitKey, total)) }
        if mode == "INDEXES" {
            members.append(("Table", capacity(tableUnits, split: isTransactional)))
            let local = indexes.filter { !$0.isGlobal }
            let global = indexes.filter(\.isGlobal)
            if !local.isEmpty {
                members.append(("LocalSecondaryIndexes", .object(JSONObject(local.map {
                    ($0.name, capacity($0.units, split: false))
                }))))
            }
            if !global.isEmpty {
                members.append(("GlobalSecondaryIndexes", .object(JSONObject(global.map {
                    ($0.name, capacity($0.units, split: false))
                }))))
            }
        }
        return .object(JSONObject(members))
    }

    /// The response member, for single-table operations.
    func member(mode: String?) -> (key: String, value: JSONValue)? {
        json(mode: mode).map { ("ConsumedCapacity", $0) }
    }

    /// The response member for multi-table operations: a list, one entry per table (nil for NONE or absent).
    static func listMember(_ consumed: [ConsumedCapacity], mode: String?) -> (key: String, value: JSONValue)? {
        guard mode == "TOTAL" || mode == "INDEXES" else { return nil }
        return ("ConsumedCapacity", .array(consumed.compactMap { $0.json(mode: mode) }))
    }
}
