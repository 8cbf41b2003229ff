import DynamoModel

/// What an index stores besides the keys.
package enum ProjectionType: String, Sendable {
    case all = "ALL"
    case keysOnly = "KEYS_ONLY"
    case include = "INCLUDE"
}

/// A secondary index as the control plane knows it.
package struct IndexDefinition: Sendable, Equatable {
    package var name: String
    package var keySchema: KeySchema
    package var projectionType: ProjectionType
    package var nonKeyAttributes: [String]
    /// Global indexes only (nil for on-demand tables and for local indexes).
    package var provisionedThroughput: ProvisionedThroughput?
    /// CREATING, UPDATING, DELETING or ACTIVE (global indexes only; local ones are always ACTIVE).
    package var status: String
    /// True while a new global index is being filled from the table's existing items.
    package var backfilling: Bool
    package var isGlobal: Bool
    package var arn: String

    package init(name: String, keySchema: KeySchema, projectionType: ProjectionType, nonKeyAttributes: [String],
                 provisionedThroughput: ProvisionedThroughput?, isGlobal: Bool, arn: String) {
        self.name = name
        self.keySchema = keySchema
        self.projectionType = projectionType
        self.nonKeyAttributes = nonKeyAttributes
        self.provisionedThroughput = provisionedThroughput
        status = "ACTIVE"
        backfilling = false
        self.isGlobal = isGlobal
        self.arn = arn
    }

    /// The index's key attributes with their types: every HASH attribute, then every RANGE attribute, in key-schema
    /// order (several of each for a multi-attribute global index). A write must give each of them, when present,
    /// the declared type, a non-empty value and a size within the key limits.
    package var keyAttributes: [KeyAttribute] { keySchema.keyAttributes }

    /// The attributes an index entry keeps for an item: everything, or the keys (table and index) plus the
    /// included attributes.
    package func project(_ item: Item, tableKey: KeySchema) -> Item {
        if projectionType == .all { return item }
        var kept: Item = [:]
        for name in tableKey.attributeNames + keySchema.attributeNames + nonKeyAttributes {
            if let value = item[name] { kept[name] = value }
        }
        return kept
    }
}

