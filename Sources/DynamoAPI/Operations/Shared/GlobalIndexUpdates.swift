import Dispatch
import DynamoModel
import JSON
import Storage

/// UpdateTable's `GlobalSecondaryIndexUpdates`: Create (backfilled in the background while the index is CREATING),
/// Update (throughput) and Delete.
enum GlobalIndexUpdates {
    static func apply(_ updates: [JSONValue], definitions: [KeyAttribute]?, to table: Table,
                      context: RequestContext) throws(DynamoError) -> JSONValue {
        var names = Set<String>()
        var created: [IndexDefinition] = []
        var deleted: [String] = []
        var throughputChanges: [(String, ThroughputInput)] = []
        var maximumChanges: [(String, OnDemandThroughputInput?)] = []
        var warmChanges: [(String, WarmThroughputInput, isNew: Bool)] = []
        let current = table.definition
        try checkOnlineIndexLimit(updates, current: current)
        for update in updates {
            let object = try InputReader.object(update) ?? JSONObject()
            let create = try InputReader.object(object["Create"])
            let change = try InputReader.object(object["Update"])
            let delete = try InputReader.object(object["Delete"])
            // checkOnlineIndexLimit has refused updates with no action or several.
            let name = try InputReader.string((create ?? change ?? delete)?["IndexName"]) ?? ""
            guard names.insert(name).inserted else {
                throw .validation("One or more parameter values were invalid: Only one global secondary index update per index "
                    + "is allowed simultaneously. Index: \(name)")
            }
            if let create {
                let input = try IndexInput.read(create)
                var reader = InputReader(create)
                input.validate(into: &reader, at: "globalSecondaryIndexUpdates.1.member.create", isGlobal: true)
                try reader.throwValidationErrors()
                if current.allIndexes.contains(where: { $0.name == name }) {
                    throw .validation("One or more parameter values were invalid: Index with name: \(name) already exists")
                }
                guard let definitions else {
                    throw .validation("One or more parameter values were invalid: AttributeDefinitions is not specified "
                        + "for index: \(name)")
                }
                let allDefinitions = current.attributeDefinitions + definitions.filter { new in
                    !current.attributeDefinitions.contains { $0.name == new.name }
                }
                var index = try input.resolve(definitions: allDefinitions, tableArn: current.arn, isGlobal: true,
                                              billingMode: current.billingMode)
                try TableDefinitionRules.checkNoRedefinition(of: index, requested: definitions, in: current)
                index.status = "CREATING"
                index.backfilling = true
                created.append(index)
                try input.onDemandThroughput?.check()
                maximumChanges.append((name, input.onDemandThroughput))
                if let warm = input.warmThroughput {
                    try warm.checkAtLeast(index.provisionedThroughput, indexName: name)
                    warmChanges.append((name, warm, isNew: true))
                }
            } else if let change {
                guard current.globalSecondaryIndexes.contains(where: { $0.name == name }) else {
                    throw DynamoError(.resourceNotFound, "Requested resource not found: Index: \(name) not found")
                }
                let maximum = try OnDemandThroughputInput.read(change["OnDemandThroughput"])
                if let warm = try WarmThroughputInput.read(change["WarmThroughput"]) {
                    warmChanges.append((name, warm, isNew: false))
                    if maximum == nil && change["ProvisionedThroughput"] == nil { continue }
                }
                if let maximum, change["ProvisionedThroughput"] == nil {
                    try maximum.check()
                    maximumChanges.append((name, maximum))
                    continue
                }
                guard let throughput = try ThroughputInput.read(change["ProvisionedThroughput"]) else {
                    throw .validation("One or more parameter values were invalid: ProvisionedThroughput must be specified for index: \(name)")
                }
                throughputChanges.append((name, throughput))
            } else {
                guard current.globalSecondaryIndexes.contains(where: { $0.name == name }) else {
                    throw DynamoError(.resourceNotFound, "Requested resource not found: Index: \(name) not found")
                }
                deleted.append(name)
            }
        }
        if current.globalSecondaryIndexes.count + created.count > 20 {
            throw .validation("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20")
        }

        var updated = current
        try table.updateDefinition { (definition: inout TableDefinition) throws(DynamoError) in
            for index in created {
                for attribute in index.keySchema.attributeNames where !definition.attributeDefinitions.contains(where: { $0.name == attribute }) {
                    if let added = definitions?.first(where: { $0.name == attribute }) { definition.attributeDefinitions.append(added) }
                }
                definition.globalSecondaryIndexes.append(index)
            }
            definition.globalSecondaryIndexes.removeAll { deleted.contains($0.name) }
            for name in deleted { definition.indexOnDemandThroughput[name] = nil }
            for (name, maximum) in maximumChanges {
                // A new index starts from nothing; an Update changes the maximums it names.
                let current = created.contains { $0.name == name } ? nil : definition.indexOnDemandThroughput[name]
                definition.indexOnDemandThroughput[name] = maximum?.applied(to: current)
            }
            for (name, warm, isNew) in warmChanges {
                if isNew {
                    definition.indexWarmThroughput[name] = warm.requested
                } else if let index = definition.globalSecondaryIndexes.first(where: { $0.name == name }) {
                    let current = WarmThroughputInput.effective(definition.indexWarmThroughput[name],
                                                                provisioned: index.provisionedThroughput)
                    definition.indexWarmThroughput[name] = try warm.applied(to: current, indexName: name)
                }
            }
            for name in deleted { definition.indexWarmThroughput[name] = nil }
            for (name, throughput) in throughputChanges {
                guard let position = definition.globalSecondaryIndexes.firstIndex(where: { $0.name == name }),
                      let read = throughput.readCapacityUnits, let write = throughput.writeCapacityUnits else { continue }
                definition.globalSecondaryIndexes[position].provisionedThroughput =
                    ProvisionedThroughput(readCapacityUnits: read, writeCapacityUnits: write)
            }
            updated = definition
        }
        for name in deleted { table.removeIndex(named: name) }
        for index in created {
            let storage = table.addIndex(index)
            // Backfill off the request path; reads of the index are refused until it is ACTIVE.
            DispatchQueue.global().async {
                table.backfill(storage)
                table.updateDefinition { definition in
                    if let position = definition.globalSecondaryIndexes.firstIndex(where: { $0.name == index.name }) {
                        definition.globalSecondaryIndexes[position].backfilling = false
                        definition.globalSecondaryIndexes[position].status = "ACTIVE"
                    }
                }
            }
        }
        return .object(JSONObject([
            ("TableDescription", TableDescriptionWriter.describe(updated, itemCount: table.itemCount, sizeInBytes: table.sizeInBytes,
                                                                 encryptedAtRest: context.settings.encryptionAtRest)),
        ]))
    }

    /// DynamoDB checks each update's shape, then the online-index limit (one create or delete at a time per table,
    /// none while another index is still being built), before it looks the named indexes up.
    private static func checkOnlineIndexLimit(_ updates: [JSONValue], current: TableDefinition) throws(DynamoError) {
        var changes = 0
        for update in updates {
            let object = try InputReader.object(update) ?? JSONObject()
            let actions = [object["Create"], object["Update"], object["Delete"]].map { $0 != nil && $0 != .null }
            if !actions.contains(true) {
                throw .validation("One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Update, "
                    + "GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null")
            }
            if actions.filter({ $0 }).count > 1 {
                throw .validation("One or more parameter values were invalid: Only one global secondary index action is "
                    + "allowed per GlobalSecondaryIndexUpdate object")
            }
            if actions[0] || actions[2] { changes += 1 }
        }
        if changes > 1 || changes == 1 && current.globalSecondaryIndexes.contains(where: { $0.status != "ACTIVE" }) {
            throw DynamoError(.limitExceeded, "Subscriber limit exceeded: Only 1 online index can be created or deleted "
                + "simultaneously per table")
        }
    }
}
