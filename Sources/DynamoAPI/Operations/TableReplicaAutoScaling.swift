import DynamoModel
import JSON
import Storage

/// UpdateTableReplicaAutoScaling and DescribeTableReplicaAutoScaling: target-tracking auto scaling of a provisioned
/// table's and its global indexes' read and write capacity. SwiftDynamo has one replica per table: the table in
/// the caller's region. The policies are stored with the table definition; `AutoScalingRunner` applies them.
enum TableReplicaAutoScaling {
    static func update(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let tableName = try reader.string("TableName")
        reader.validateTableNameOrArn(tableName, at: "tableName")
        let tableWrite = try AutoScalingSettingsInput.read(input["ProvisionedWriteCapacityAutoScalingUpdate"])
        var indexWrites: [(String, AutoScalingSettingsInput)] = []
        for entry in try reader.array("GlobalSecondaryIndexUpdates") ?? [] {
            let object = try InputReader.object(entry) ?? JSONObject()
            guard let name = try InputReader.string(object["IndexName"]),
                  let update = try AutoScalingSettingsInput.read(object["ProvisionedWriteCapacityAutoScalingUpdate"])
            else { continue }
            indexWrites.append((name, update))
        }
        var tableRead: AutoScalingSettingsInput?
        var indexReads: [(String, AutoScalingSettingsInput)] = []
        var regions: [String] = []
        for entry in try reader.array("ReplicaUpdates") ?? [] {
            let object = try InputReader.object(entry) ?? JSONObject()
            regions.append(try InputReader.string(object["RegionName"]) ?? "")
            tableRead = try AutoScalingSettingsInput.read(object["ReplicaProvisionedReadCapacityAutoScalingUpdate"]) ?? tableRead
            for indexEntry in try InputReader.array(object["ReplicaGlobalSecondaryIndexUpdates"]) ?? [] {
                let indexObject = try InputReader.object(indexEntry) ?? JSONObject()
                guard let name = try InputReader.string(indexObject["IndexName"]),
                      let update = try AutoScalingSettingsInput.read(indexObject["ProvisionedReadCapacityAutoScalingUpdate"])
                else { continue }
                indexReads.append((name, update))
            }
        }
        try reader.throwValidationErrors()
        guard let tableName else { throw .validation("Missing TableName") }
        let table = try TableLookup.table(tableName, in: context, wording: .table)
        for region in regions where region != context.namespace.region {
            throw .validation("One or more parameter values were invalid: Replica in region \(region) not found")
        }
        try table.updateDefinition { (definition: inout TableDefinition) throws(DynamoError) in
            if definition.status != .active {
                throw DynamoError(.resourceInUse, "Attempt to change a resource which is still in use: Table is "
                    + "being \(definition.status == .creating ? "created" : "updated"): \(definition.name)")
            }
            if definition.billingMode == .payPerRequest {
                throw .validation("Auto scaling is not supported for tables in PAY_PER_REQUEST billing mode: "
                    + "\(definition.name)")
            }
            var scaling = definition.autoScaling
            func apply(_ update: AutoScalingSettingsInput?, resource: String, read: Bool, path: String) throws(DynamoError) {
                guard let update else { return }
                var entry = scaling[resource] ?? StoredAutoScaling()
                if read {
                    entry.read = try update.applied(to: entry.read, path: path)
                } else {
                    entry.write = try update.applied(to: entry.write, path: path)
                }
                scaling[resource] = entry.read == nil && entry.write == nil ? nil : entry
            }
            try apply(tableWrite, resource: "", read: false, path: "provisionedWriteCapacityAutoScalingUpdate")
            try apply(tableRead, resource: "", read: true, path: "replicaUpdates.1.member.replicaProvisionedReadCapacityAutoScalingUpdate")
            for (name, update, read) in indexWrites.map({ ($0.0, $0.1, false) }) + indexReads.map({ ($0.0, $0.1, true) }) {
                guard definition.globalSecondaryIndexes.contains(where: { $0.name == name }) else {
                    throw DynamoError(.resourceNotFound, "Requested resource not found: Index: \(name) not found")
                }
                try apply(update, resource: name, read: read, path: "globalSecondaryIndexUpdates")
            }
            definition.autoScaling = scaling
        }
        return .object(JSONObject([("TableAutoScalingDescription", description(of: table, context: context))]))
    }

    static func describe(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        let table = try TableLookup.namedTable(in: input, context)
        return .object(JSONObject([("TableAutoScalingDescription", description(of: table, context: context))]))
    }

    /// `TableAutoScalingDescription`: the one replica (this region) with its table and index policies.
    static func description(of table: Table, context: RequestContext) -> JSONValue {
        let definition = table.definition
        let account = context.namespace.accountId
        func settings(_ resource: String, read: Bool) -> JSONValue {
            let scaling = definition.autoScaling[resource]
            return AutoScalingSettingsInput.describe(read ? scaling?.read : scaling?.write, accountId: account,
                                                     tableName: definition.name, dimension: read ? "Read" : "Write")
        }
        let indexes: [JSONValue] = definition.globalSecondaryIndexes.map { index in
            .object(JSONObject([
                ("IndexName", .string(index.name)), ("IndexStatus", .string(index.status)),
                ("ProvisionedReadCapacityAutoScalingSettings", settings(index.name, read: true)),
                ("ProvisionedWriteCapacityAutoScalingSettings", settings(index.name, read: false)),
            ]))
        }
        let replica = JSONValue.object(JSONObject([
            ("RegionName", .string(context.namespace.region)),
            ("GlobalSecondaryIndexes", .array(indexes)),
            ("ReplicaProvisionedReadCapacityAutoScalingSettings", settings("", read: true)),
            ("ReplicaProvisionedWriteCapacityAutoScalingSettings", settings("", read: false)),
            ("ReplicaStatus", .string("ACTIVE")),
        ]))
        return .object(JSONObject([
            ("TableName", .string(definition.name)), ("TableStatus", .string(definition.status.rawValue)),
            ("Replicas", .array([replica])),
        ]))
    }
}
