import DynamoModel
import JSON
import Storage

/// `ProvisionedThroughput` as it arrives in CreateTable / UpdateTable.
struct ThroughputInput {
    var readCapacityUnits: Int64?
    var writeCapacityUnits: Int64?

    /// DynamoDB's upper bound on a capacity value, beyond which it answers "out of bounds".
    static let maximumUnits: Int64 = 1_000_000_000_000

    static func read(_ value: JSONValue?) throws(DynamoError) -> ThroughputInput? {
        guard let object = try InputReader.object(value) else { return nil }
        return ThroughputInput(readCapacityUnits: try InputReader.integer(object["ReadCapacityUnits"]),
                               writeCapacityUnits: try InputReader.integer(object["WriteCapacityUnits"]))
    }

    func validate(into reader: inout InputReader, at path: String) {
        for (name, value) in [("writeCapacityUnits", writeCapacityUnits), ("readCapacityUnits", readCapacityUnits)] {
            if let value {
                reader.validate(value >= 1, value: String(value), at: "\(path).\(name)",
                                "Member must have value greater than or equal to 1")
            } else {
                reader.require(false, at: "\(path).\(name)")
            }
        }
    }

    /// The throughput a table gets for its billing mode, with DynamoDB's messages for inconsistent requests.
    static func resolve(_ input: ThroughputInput?, billingMode: BillingMode) throws(DynamoError) -> ProvisionedThroughput {
        switch billingMode {
        case .payPerRequest:
            if input != nil {
                throw .validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor "
                    + "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
            }
            return ProvisionedThroughput(readCapacityUnits: 0, writeCapacityUnits: 0)
        case .provisioned:
            guard let input, let read = input.readCapacityUnits, let write = input.writeCapacityUnits else {
                throw .validation("One or more parameter values were invalid: ReadCapacityUnits and "
                    + "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
            }
            try checkBounds(read: read, write: write)
            return ProvisionedThroughput(readCapacityUnits: read, writeCapacityUnits: write)
        }
    }

    static func checkBounds(read: Int64, write: Int64) throws(DynamoError) {
        if read > maximumUnits { throw .validation("Given value \(read) for ReadCapacityUnits is out of bounds") }
        if write > maximumUnits { throw .validation("Given value \(write) for WriteCapacityUnits is out of bounds") }
    }
}

/// `StreamSpecification` as it arrives in CreateTable / UpdateTable.
struct StreamSpecificationInput {
    var enabled: Bool?
    var viewType: String?

    static let viewTypes = ["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"]

    static func read(_ value: JSONValue?) throws(DynamoError) -> StreamSpecificationInput? {
        guard let object = try InputReader.object(value) else { return nil }
        var enabled: Bool?
        switch object["StreamEnabled"] {
        case nil, .null?: enabled = nil
        case .bool(let flag)?: enabled = flag
        case let other?: throw InputReader.typeMismatch(other, expected: "Boolean")
        }
        return StreamSpecificationInput(enabled: enabled, viewType: try InputReader.string(object["StreamViewType"]))
    }

    func validate(into reader: inout InputReader, at path: String) {
        reader.require(enabled != nil, at: "\(path).streamEnabled")
        reader.validateEnum(viewType, at: "\(path).streamViewType", allowed: Self.viewTypes)
    }

    /// CreateTable's rules linking StreamEnabled and StreamViewType.
    func checkConsistency() throws(DynamoError) {
        if enabled == false && viewType != nil {
            throw .validation("One or more parameter values were invalid: Table is being created with a stream "
                + "disabled, UpdateViewType should not be specified")
        }
        if enabled == true && viewType == nil {
            throw .validation("One or more parameter values were invalid: Table is being created with a stream "
                + "enabled, UpdateViewType is required")
        }
    }

    /// UpdateTable's rules linking StreamEnabled and StreamViewType.
    func checkUpdateConsistency() throws(DynamoError) {
        if enabled == true && viewType == nil {
            throw .validation("One or more parameter values were invalid: If stream is being enabled then "
                + "UpdateViewType is required")
        }
        if enabled == false && viewType != nil {
            throw .validation("One or more parameter values were invalid: If stream is being disabled, then "
                + "UpdateViewType must not be specified")
        }
    }
}

/// `SSESpecification` as it arrives in CreateTable / UpdateTable.
struct SSESpecificationInput {
    var enabled: Bool?
    var type: String?
    var kmsMasterKeyId: String?

    static func read(_ value: JSONValue?) throws(DynamoError) -> SSESpecificationInput? {
        guard let object = try InputReader.object(value) else { return nil }
        var enabled: Bool?
        switch object["Enabled"] {
        case nil, .null?: enabled = nil
        case .bool(let flag)?: enabled = flag
        case let other?: throw InputReader.typeMismatch(other, expected: "Boolean")
        }
        return SSESpecificationInput(enabled: enabled, type: try InputReader.string(object["SSEType"]),
                                     kmsMasterKeyId: try InputReader.string(object["KMSMasterKeyId"]))
    }

    func validate(into reader: inout InputReader, at path: String) {
        reader.validateEnum(type, at: "\(path).sSEType", allowed: ["AES256", "KMS"])
    }
}

/// `Tags` as they arrive in CreateTable.
struct TagsInput {
    var pairs: [(key: String, value: String)]

    static func read(_ value: JSONValue?) throws(DynamoError) -> TagsInput? {
        guard let list = try InputReader.array(value) else { return nil }
        var pairs: [(key: String, value: String)] = []
        for entry in list {
            guard let object = try InputReader.object(entry) else { continue }
            let key = try InputReader.string(object["Key"]) ?? ""
            let value = try InputReader.string(object["Value"]) ?? ""
            pairs.append((key, value))
        }
        return TagsInput(pairs: pairs)
    }
}
