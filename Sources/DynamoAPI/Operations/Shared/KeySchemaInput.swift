import DynamoModel
import JSON

/// `KeySchema` and `AttributeDefinitions` as they arrive in CreateTable (and, later, index definitions):
/// type-checked, constraint-checked, then resolved into a `KeySchema` with DynamoDB's messages.
struct KeySchemaInput {
    /// (AttributeName, KeyType) in request order.
    var elements: [(name: String?, keyType: String?)]

    /// Type-checks a KeySchema list.
    static func read(_ value: JSONValue?) throws(DynamoError) -> KeySchemaInput? {
        guard let list = try InputReader.array(value) else { return nil }
        var elements: [(name: String?, keyType: String?)] = []
        for entry in list {
            guard let object = try InputReader.object(entry) else {
                elements.append((nil, nil))
                continue
            }
            elements.append((try InputReader.string(object["AttributeName"]), try InputReader.string(object["KeyType"])))
        }
        return KeySchemaInput(elements: elements)
    }

    /// Records constraint violations under `path` (e.g. "keySchema"). Tables and local indexes keep DynamoDB's limit
    /// of two elements; a global index's key schema has no length limit in the model (multi-attribute keys), its
    /// counts are checked when it is resolved.
    func validate(into reader: inout InputReader, at path: String, limitsLength: Bool = true) {
        for (index, element) in elements.enumerated() {
            let memberPath = "\(path).\(index + 1).member"
            KeyAttributeName.validate(element.name, at: "\(memberPath).attributeName", into: &reader)
            if let keyType = element.keyType {
                reader.validateEnum(keyType, at: "\(memberPath).keyType", allowed: ["HASH", "RANGE"])
            } else {
                reader.require(false, at: "\(memberPath).keyType")
            }
        }
        let rendered = "[" + elements.map { "KeySchemaElement(attributeName=\($0.name ?? "null"), keyType=\($0.keyType ?? "null"))" }
            .joined(separator: ", ") + "]"
        reader.validate(elements.count >= 1, value: rendered, at: path, "Member must have length greater than or equal to 1")
        if limitsLength {
            reader.validate(elements.count <= 2, value: rendered, at: path, "Member must have length less than or equal to 2")
        }
    }

    /// Resolves names against attribute definitions, with DynamoDB's messages for inconsistent schemas. A global
    /// index (`multiAttribute`) may have up to four HASH and four RANGE attributes, HASH first.
    func resolve(definitions: [KeyAttribute], multiAttribute: Bool = false) throws(DynamoError) -> KeySchema {
        if multiAttribute && elements.count > 2 { return try resolveMultiAttribute(definitions: definitions) }
        let names = elements.map { $0.name ?? "" }
        let definedNames = definitions.map(\.name)
        if names.count == 2 {
            if names.contains(where: { !definedNames.contains($0) }) || (names[0] == names[1] && definedNames.count == 1) {
                throw .validation("Invalid KeySchema: Some index key attribute have no definition")
            }
        } else if names.contains(where: { !definedNames.contains($0) }) {
            throw .validation("One or more parameter values were invalid: Some index key attributes are not defined in "
                + "AttributeDefinitions. Keys: [\(names.joined(separator: ", "))], AttributeDefinitions: "
                + "[\(definedNames.joined(separator: ", "))]")
        }
        func attribute(_ name: String) -> KeyAttribute { definition(name, in: definitions) }
        if names.count == 2 && names[0] == names[1] {
            if multiAttribute && elements[0].keyType == "HASH" && elements[1].keyType == "HASH" {
                throw .validation("The KeySchema contains multiple key attributes with the same name")
            }
            throw .validation("Both the Hash Key and the Range Key element in the KeySchema have the same name")
        }
        if elements[0].keyType != "HASH" {
            throw .validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
        }
        if elements.count == 2 && elements[1].keyType != "RANGE" {
            if multiAttribute {
                // Two HASH attributes: a multi-attribute partition key.
                return KeySchema(partitionKeys: [attribute(names[0]), attribute(names[1])], sortKeys: [])
            }
            throw .validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")
        }
        return KeySchema(partitionKey: attribute(names[0]), sortKey: names.count == 2 ? attribute(names[1]) : nil)
    }

    /// The definition of a key attribute (resolution checks first that every key name has one).
    private func definition(_ name: String, in definitions: [KeyAttribute]) -> KeyAttribute {
        definitions.first { $0.name == name } ?? KeyAttribute(name: name, type: .s)
    }

    /// A global index key schema of more than two elements, with DynamoDB's checks in its order: definitions, the
    /// first element's type, HASH before RANGE, at most four of each, no repeated attribute.
    private func resolveMultiAttribute(definitions: [KeyAttribute]) throws(DynamoError) -> KeySchema {
        let names = elements.map { $0.name ?? "" }
        let definedNames = definitions.map(\.name)
        if names.contains(where: { !definedNames.contains($0) }) {
            throw .validation("One or more parameter values were invalid: Some index key attributes are not defined in "
                + "AttributeDefinitions. Keys: [\(names.joined(separator: ", "))], AttributeDefinitions: "
                + "[\(definedNames.joined(separator: ", "))]")
        }
        if elements[0].keyType != "HASH" {
            throw .validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
        }
        let hashCount = elements.prefix { $0.keyType == "HASH" }.count
        if elements.dropFirst(hashCount).contains(where: { $0.keyType == "HASH" }) {
            throw .validation("One or more parameter values were invalid: All HASH key attributes must precede RANGE key "
                + "attributes in the KeySchema")
        }
        for (keyType, count) in [("HASH", hashCount), ("RANGE", elements.count - hashCount)]
            where count > KeySchema.maximumAttributesPerKeySide {
            throw .validation("One or more parameter values were invalid: The KeySchema exceeds the maximum allowed "
                + "number of \(keyType) key attributes")
        }
        if Set(names).count != names.count {
            throw .validation("The KeySchema contains multiple key attributes with the same name")
        }
        return KeySchema(partitionKeys: names.prefix(hashCount).map { definition($0, in: definitions) },
                         sortKeys: names.dropFirst(hashCount).map { definition($0, in: definitions) })
    }
}

/// `AttributeDefinitions` as they arrive in CreateTable / UpdateTable.
struct AttributeDefinitionsInput {
    var elements: [(name: String?, type: String?)]

    static func read(_ value: JSONValue?) throws(DynamoError) -> AttributeDefinitionsInput? {
        guard let list = try InputReader.array(value) else { return nil }
        var elements: [(name: String?, type: String?)] = []
        for entry in list {
            guard let object = try InputReader.object(entry) else {
                elements.append((nil, nil))
                continue
            }
            elements.append((try InputReader.string(object["AttributeName"]),
                             try InputReader.string(object["AttributeType"])))
        }
        return AttributeDefinitionsInput(elements: elements)
    }

    func validate(into reader: inout InputReader, at path: String) {
        for (index, element) in elements.enumerated() {
            let memberPath = "\(path).\(index + 1).member"
            KeyAttributeName.validate(element.name, at: "\(memberPath).attributeName", into: &reader)
            if let type = element.type {
                reader.validateEnum(type, at: "\(memberPath).attributeType", allowed: ["B", "N", "S"])
            } else {
                reader.require(false, at: "\(memberPath).attributeType")
            }
        }
    }

    /// DynamoDB refuses a name defined twice, whether with one type or two: it could not tell which applies.
    func checkNoDuplicates() throws(DynamoError) {
        var seen = Set<String>()
        for element in elements {
            guard let name = element.name else { continue }
            if !seen.insert(name).inserted { throw .validation("Attribute Name is duplicated: \(name)") }
        }
    }

    /// The definitions, once validated.
    var attributes: [KeyAttribute] {
        elements.compactMap { element in
            guard let name = element.name, let type = element.type.flatMap(ScalarAttributeType.init(rawValue:)) else {
                return nil
            }
            return KeyAttribute(name: name, type: type)
        }
    }
}

/// The model's constraint on a key attribute's name (KeySchemaElement and AttributeDefinition alike): 1 to 255 bytes.
enum KeyAttributeName {
    static func validate(_ name: String?, at path: String, into reader: inout InputReader) {
        guard let name else {
            reader.require(false, at: path)
            return
        }
        reader.validate(name.utf8.count >= 1, value: name, at: path, "Member must have length greater than or equal to 1")
        reader.validate(name.utf8.count <= 255, value: name, at: path, "Member must have length less than or equal to 255")
    }
}
