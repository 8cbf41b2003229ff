import DynamoModel
import JSON
import Storage

/// UpdateTimeToLive and DescribeTimeToLive: one TTL attribute per table, durable with the table's definition;
/// the sweeper (Storage/TimeToLive) deletes what has expired.
enum TimeToLive {
    static func updateTimeToLive(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        var reader = InputReader(input)
        let tableName = try reader.string("TableName")
        let specification = try reader.object("TimeToLiveSpecification")
        var enabled: Bool?
        var attributeName: String?
        if let specification {
            switch specification["Enabled"] {
            case nil, .null?: enabled = nil
            case .bool(let flag)?: enabled = flag
            case let other?: throw InputReader.typeMismatch(other, expected: "Boolean")
            }
            attributeName = try InputReader.string(specification["AttributeName"])
        }
        reader.validateTableNameOrArn(tableName, at: "tableName")
        if specification != nil {
            if let attributeName {
                reader.validate(!attributeName.isEmpty, value: attributeName, at: "timeToLiveSpecification.attributeName",
                                "Member must have length greater than or equal to 1")
                reader.validate(attributeName.utf8.count <= 255, value: attributeName,
                                at: "timeToLiveSpecification.attributeName", "Member must have length less than or equal to 255")
            } else {
                reader.require(false, at: "timeToLiveSpecification.attributeName")
            }
            reader.require(enabled != nil, at: "timeToLiveSpecification.enabled")
        } else {
            reader.require(false, at: "timeToLiveSpecification")
        }
        try reader.throwValidationErrors()
        guard let tableName, let enabled, let attributeName else { throw .validation("Missing TimeToLiveSpecification") }

        let table = try TableLookup.table(tableName, in: context, wording: .table)
        let cooldown = context.settings.timeToLiveCooldownSeconds
        let changes = context.timeToLiveChanges
        try table.updateDefinition { (definition: inout TableDefinition) throws(DynamoError) in
            if definition.status != .active {
                throw DynamoError(.resourceInUse, "Attempt to change a resource which is still in use: Table is "
                    + "being \(definition.status == .creating ? "created" : "updated"): \(definition.name)")
            }
            if enabled {
                if let current = definition.timeToLiveAttribute {
                    if current == attributeName { throw .validation("TimeToLive is already enabled") }
                    throw .validation("TimeToLive is active on a different AttributeName: current AttributeName is \(current)")
                }
            } else {
                guard let current = definition.timeToLiveAttribute else { throw .validation("TimeToLive is already disabled") }
                if current != attributeName {
                    throw .validation("TimeToLive is active on a different AttributeName: current AttributeName is \(current)")
                }
            }
            guard changes.mayChange(tableId: definition.tableId, now: context.now, cooldown: cooldown) else {
                throw .validation("Time to live has been modified multiple times within a fixed interval")
            }
            definition.timeToLiveAttribute = enabled ? attributeName : nil
            changes.recordChange(tableId: definition.tableId, now: context.now, enabled: enabled, attribute: attributeName)
        }
        return .object(JSONObject([
            ("TimeToLiveSpecification", .object(JSONObject([
                ("Enabled", .bool(enabled)), ("AttributeName", .string(attributeName)),
            ]))),
        ]))
    }

    static func describeTimeToLive(_ input: JSONObject, _ context: RequestContext) throws(DynamoError) -> JSONValue {
        let definition = try TableLookup.namedTable(in: input, context).definition
        if definition.status == .creating {
            throw .validation("Cannot describe time to live while table is in CREATING state: Current table state is CREATING")
        }
        var description: [(key: String, value: JSONValue)] = []
        if let change = context.timeToLiveChanges.settling(tableId: definition.tableId, now: context.now,
                                                           transition: context.settings.timeToLiveTransitionSeconds) {
            description.append(("TimeToLiveStatus", .string(change.enabled ? "ENABLING" : "DISABLING")))
            description.append(("AttributeName", .string(change.attribute)))
        } else if let attribute = definition.timeToLiveAttribute {
            description.append(("TimeToLiveStatus", .string("ENABLED")))
            description.append(("AttributeName", .string(attribute)))
        } else {
            description.append(("TimeToLiveStatus", .string("DISABLED")))
        }
        return .object(JSONObject([("TimeToLiveDescription", .object(JSONObject(description)))]))
    }
}
