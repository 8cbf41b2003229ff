import DynamoModel
import Storage

/// DynamoDB's rules on a table definition as a whole (key attributes against attribute definitions, across the
/// table and all its indexes), written once and run on the definition a request would produce: CreateTable,
/// UpdateTable's index creation, restores and imports.
enum TableDefinitionRules {
    /// Every attribute definition must name a key attribute of the table or of one of its indexes; with no index at
    /// all DynamoDB words this as a count mismatch.
    static func checkDefinitionsUsed(_ definitions: [KeyAttribute], keySchema: KeySchema,
                                     indexes: [IndexDefinition], indexesGiven: Bool) throws(DynamoError) {
        if !indexesGiven {
            if definitions.count != keySchema.attributeNames.count {
                throw .validation("One or more parameter values were invalid: Number of attributes in KeySchema does not "
                    + "exactly match number of attributes defined in AttributeDefinitions")
            }
            return
        }
        var used: [String] = keySchema.attributeNames
        for index in indexes {
            for name in index.keySchema.attributeNames where !used.contains(name) { used.append(name) }
        }
        if Set(definitions.map(\.name)) != Set(used) {
            throw .validation("One or more parameter values were invalid: Some AttributeDefinitions are not used. "
                + "AttributeDefinitions: [\(definitions.map(\.name).joined(separator: ", "))], keys used: "
                + "[\(used.sorted().joined(separator: ", "))]")
        }
    }

    /// A new global index may not give an attribute already defined on the table another type: DynamoDB insists
    /// that later writes of that attribute have the one type every index expects.
    static func checkNoRedefinition(of index: IndexDefinition, requested: [KeyAttribute],
                                    in table: TableDefinition) throws(DynamoError) {
        for attribute in index.keySchema.keyAttributes {
            guard let new = requested.first(where: { $0.name == attribute.name }),
                  let existing = table.attributeDefinitions.first(where: { $0.name == attribute.name }),
                  existing.type != new.type else { continue }
            let owner = ([table.keySchema] + table.allIndexes.map(\.keySchema))
                .first { $0.attributeNames.contains(attribute.name) } ?? table.keySchema
            var newSchema = index.keySchema
            newSchema.retype(with: requested)
            throw .validation("One or more parameter values were invalid: Attributes cannot be redefined. Please check "
                + "that your attribute has the same type as previously defined. Existing schema: \(render(owner)) "
                + "New schema: \(render(newSchema))")
        }
    }

    /// DynamoDB's rendering of a key schema in the redefinition message: `Schema:[SchemaElement: key{name:T:HASH}]`.
    static func render(_ schema: KeySchema) -> String {
        let hashCount = schema.partitionKeys.count
        let elements = schema.keyAttributes.enumerated().map { position, attribute in
            "SchemaElement: key{\(attribute.name):\(attribute.type.rawValue):\(position < hashCount ? "HASH" : "RANGE")}"
        }
        return "Schema:[" + elements.joined(separator: ", ") + "]"
    }
}

extension KeySchema {
    /// The same schema with each attribute's type taken from `definitions` where they name it.
    fileprivate mutating func retype(with definitions: [KeyAttribute]) {
        func retyped(_ attribute: KeyAttribute) -> KeyAttribute {
            definitions.first { $0.name == attribute.name } ?? attribute
        }
        self = KeySchema(partitionKeys: partitionKeys.map(retyped), sortKeys: sortKeys.map(retyped))
    }
}
