import DynamoModel
import JSON
import Storage

/// `OnDemandThroughput` as it arrives in CreateTable / UpdateTable: a maximum per dimension, -1 removing it.
struct OnDemandThroughputInput {
    var maxReadRequestUnits: Int64?
    var maxWriteRequestUnits: Int64?

    static func read(_ value: JSONValue?) throws(DynamoError) -> OnDemandThroughputInput? {
        guard let object = try InputReader.object(value) else { return nil }
        return OnDemandThroughputInput(maxReadRequestUnits: try InputReader.integer(object["MaxReadRequestUnits"]),
                                       maxWriteRequestUnits: try InputReader.integer(object["MaxWriteRequestUnits"]))
    }

    /// A maximum is at least 1, or -1 for none.
    func check() throws(DynamoError) {
        for (name, value) in [("MaxReadRequestUnits", maxReadRequestUnits), ("MaxWriteRequestUnits", maxWriteRequestUnits)] {
            if let value, value < 1, value != -1 {
                throw .validation("One or more parameter values were invalid: \(name) must be greater than or equal "
                    + "to 1, or -1 to remove the maximum")
            }
        }
    }

    /// The stored maximums after applying this input over `current`.
    func applied(to current: OnDemandThroughput?) -> OnDemandThroughput? {
        var result = current ?? OnDemandThroughput()
        if let read = maxReadRequestUnits { result.maxReadRequestUnits = read == -1 ? nil : read }
        if let write = maxWriteRequestUnits { result.maxWriteRequestUnits = write == -1 ? nil : write }
        return result.maxReadRequestUnits == nil && result.maxWriteRequestUnits == nil ? nil : result
    }

    /// `OnDemandThroughput` as DescribeTable reports it (-1: no maximum).
    static func describe(_ throughput: OnDemandThroughput) -> JSONValue {
        .object(JSONObject([
            ("MaxReadRequestUnits", .number(String(throughput.maxReadRequestUnits ?? -1))),
            ("MaxWriteRequestUnits", .number(String(throughput.maxWriteRequestUnits ?? -1))),
        ]))
    }
}
