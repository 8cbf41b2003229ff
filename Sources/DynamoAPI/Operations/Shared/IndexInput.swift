import DynamoModel
import JSON
import Storage

/// A `GlobalSecondaryIndexes` / `LocalSecondaryIndexes` entry (or a `GlobalSecondaryIndexUpdates` Create), as sent.
struct IndexInput {
    var name: String?
    var keySchema: KeySchemaInput?
    var projectionType: String?
    var projectionPresent: Bool
    var nonKeyAttributes: [String]?
    var throughput: ThroughputInput?
    /// Global indexes of on-demand tables: their own maximum request units per second.
    var onDemandThroughput: OnDemandThroughputInput?
    /// Global indexes: warm throughput asked for at creation.
    var warmThroughput: WarmThroughputInput?

    static func readList(_ value: JSONValue?) throws(DynamoError) -> [IndexInput]? {
        guard let list = try InputReader.array(value) else { return nil }
        var indexes: [IndexInput] = []
        for entry in list { indexes.append(try read(try InputReader.object(entry) ?? JSONObject())) }
        return indexes
    }

    static func read(_ object: JSONObject) throws(DynamoError) -> IndexInput {
        let projection = try InputReader.object(object["Projection"])
        var nonKey: [String]?
        if let list = try InputReader.array(projection?["NonKeyAttributes"]) {
            var names: [String] = []
            for entry in list { names.append(try InputReader.string(entry) ?? "") }
            nonKey = names
        }
        return IndexInput(name: try InputReader.string(object["IndexName"]),
                          keySchema: try KeySchemaInput.read(object["KeySchema"]),
                          projectionType: try InputReader.string(projection?["ProjectionType"]),
                          projectionPresent: projection != nil, nonKeyAttributes: nonKey,
                          throughput: try ThroughputInput.read(object["ProvisionedThroughput"]),
                          onDemandThroughput: try OnDemandThroughputInput.read(object["OnDemandThroughput"]),
                          warmThroughput: try WarmThroughputInput.read(object["WarmThroughput"]))
    }

    /// Constraint checks under `path` (e.g. "globalSecondaryIndexes.1.member"). A global index's key schema has no
    /// length constraint (multi-attribute keys); a local index keeps the table's two elements.
    func validate(into reader: inout InputReader, at path: String, isGlobal: Bool = true) {
        if let name {
            reader.validate(TableNameRules.matchesPattern(name), value: name, at: "\(path).indexName",
                            "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
            reader.validate(name.utf8.count >= 3, value: name, at: "\(path).indexName", "Member must have length greater than or equal to 3")
            reader.validate(name.utf8.count <= 255, value: name, at: "\(path).indexName", "Member must have length less than or equal to 255")
        } else {
            reader.require(false, at: "\(path).indexName")
        }
        if let keySchema {
            keySchema.validate(into: &reader, at: "\(path).keySchema", limitsLength: !isGlobal)
        } else {
            reader.require(false, at: "\(path).keySchema")
        }
        reader.require(projectionPresent, at: "\(path).projection")
        reader.validateEnum(projectionType, at: "\(path).projection.projectionType", allowed: ["ALL", "INCLUDE", "KEYS_ONLY"])
        if let nonKeyAttributes {
            // A list member's constraints are reported together, as DynamoDB's validator words them.
            let fits = nonKeyAttributes.allSatisfy { (1...255).contains($0.utf8.count) }
            reader.validate(fits, value: "[" + nonKeyAttributes.joined(separator: ", ") + "]",
                            at: "\(path).projection.nonKeyAttributes",
                            "Member must satisfy constraint: [Member must have length less than or equal to 255, "
                                + "Member must have length greater than or equal to 1]")
        }
        throughput?.validate(into: &reader, at: "\(path).provisionedThroughput")
    }

    /// Resolves the index with DynamoDB's messages (shared by global and local indexes).
    func resolve(definitions: [KeyAttribute], tableArn: String, isGlobal: Bool, billingMode: BillingMode)
        throws(DynamoError) -> IndexDefinition
    {
        let name = self.name ?? ""
        let keys = keySchema ?? KeySchemaInput(elements: [])
        let names = keys.elements.map { $0.name ?? "" }
        let definedNames = definitions.map(\.name)
        if names.contains(where: { !definedNames.contains($0) }) {
            throw .validation("One or more parameter values were invalid: Some index key attributes are not defined in "
                + "AttributeDefinitions. Keys: [\(names.joined(separator: ", "))], AttributeDefinitions: [\(definedNames.joined(separator: ", "))]")
        }
        let schema = try keys.resolve(definitions: definitions, multiAttribute: isGlobal)
        guard let type = projectionType.flatMap(ProjectionType.init(rawValue:)) else {
            throw .validation("One or more parameter values were invalid: Unknown ProjectionType: null")
        }
        if nonKeyAttributes != nil && type != .include {
            throw .validation("One or more parameter values were invalid: ProjectionType is \(type.rawValue), but NonKeyAttributes is specified")
        }
        if type == .include && (nonKeyAttributes ?? []).isEmpty {
            throw .validation("One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes "
                + "is not specified")
        }
        var seen = Set<String>()
        for attribute in nonKeyAttributes ?? [] where !seen.insert(attribute).inserted {
            throw .validation("One or more parameter values were invalid: Duplicate element in NonKeyAttributes: \(attribute)")
        }
        var provisioned: ProvisionedThroughput?
        if isGlobal {
            if billingMode == .provisioned {
                guard let read = throughput?.readCapacityUnits, let write = throughput?.writeCapacityUnits else {
                    throw .validation("One or more parameter values were invalid: ProvisionedThroughput should not be null for index: \(name)")
                }
                provisioned = ProvisionedThroughput(readCapacityUnits: read, writeCapacityUnits: write)
            } else if throughput != nil {
                throw .validation("One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: "
                    + "\(name) when BillingMode is PAY_PER_REQUEST")
            }
        }
        return IndexDefinition(name: name, keySchema: schema, projectionType: type, nonKeyAttributes: nonKeyAttributes ?? [],
                               provisionedThroughput: provisioned, isGlobal: isGlobal, arn: "\(tableArn)/index/\(name)")
    }

    /// CreateTable's index rules, in DynamoDB's order: local indexes first, then global ones.
    static func resolveAll(global: [IndexInput]?, local: [IndexInput]?, tableSchema: KeySchema, definitions: [KeyAttribute],
                           tableArn: String, billingMode: BillingMode) throws(DynamoError) -> (global: [IndexDefinition], local: [IndexDefinition]) {
        var names = Set<String>()
        var localIndexes: [IndexDefinition] = []
        if let local {
            if local.isEmpty { throw .validation("One or more parameter values were invalid: List of LocalSecondaryIndexes is empty") }
            if tableSchema.sortKey == nil {
                throw .validation("One or more parameter values were invalid: Table KeySchema does not have a range key, which is "
                    + "required when specifying a LocalSecondaryIndex")
            }
            for input in local {
                let index = try input.resolve(definitions: definitions, tableArn: tableArn, isGlobal: false, billingMode: billingMode)
                if index.keySchema.sortKey == nil {
                    throw .validation("One or more parameter values were invalid: Index KeySchema does not have a range key for index: \(index.name)")
                }
                if index.keySchema.partitionKey.name != tableSchema.partitionKey.name {
                    throw .validation("One or more parameter values were invalid: Index KeySchema does not have the same leading hash "
                        + "key as table KeySchema for index: \(index.name). index hash key: \(index.keySchema.partitionKey.name), "
                        + "table hash key: \(tableSchema.partitionKey.name)")
                }
                if !names.insert(index.name).inserted {
                    throw .validation("One or more parameter values were invalid: Duplicate index name: \(index.name)")
                }
                localIndexes.append(index)
            }
            if local.count > 5 {
                throw .validation("One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of 5")
            }
        }
        var globalIndexes: [IndexDefinition] = []
        if let global {
            if global.isEmpty { throw .validation("One or more parameter values were invalid: List of GlobalSecondaryIndexes is empty") }
            for input in global {
                let index = try input.resolve(definitions: definitions, tableArn: tableArn, isGlobal: true, billingMode: billingMode)
                if !names.insert(index.name).inserted {
                    throw .validation("One or more parameter values were invalid: Duplicate index name: \(index.name)")
                }
                globalIndexes.append(index)
            }
            if global.count > 20 {
                throw .validation("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20")
            }
        }
        let nonKeyCount = (globalIndexes + localIndexes).reduce(0) { $0 + $1.nonKeyAttributes.count }
        if nonKeyCount > 100 {
            throw .validation("One or more parameter values were invalid: Number of NonKeyAttributes in all indexes exceeds the limit of 100")
        }
        return (globalIndexes, localIndexes)
    }
}
