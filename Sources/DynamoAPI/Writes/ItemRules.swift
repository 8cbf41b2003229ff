import DynamoModel
import Storage

/// DynamoDB's rules for an item about to be stored, written once and run by every write path through `ItemWrite`:
/// PutItem, UpdateItem, BatchWriteItem, TransactWriteItems, the PartiQL statements and imports.
///
/// Order, as DynamoDB answers: each secondary index's key attributes (indexes in name order, so the index named is
/// the alphabetically first one that uses the attribute; per attribute its type, then an empty value, then its
/// size), then the item's size. The table's own key is checked earlier, when the request's key is read.
enum ItemRules {
    /// Where the item came from: the wording of an empty index key depends on it.
    enum Origin {
        /// A whole item given by the request (PutItem, BatchWriteItem, TransactWriteItems Put, INSERT, import).
        case item
        /// The result of an update (UpdateItem, TransactWriteItems Update, PartiQL UPDATE).
        case update
    }

    /// DynamoDB's largest item: 400 KB counted by `ItemSize`.
    static let maximumItemBytes = ItemSize.maximumBytes

    /// Throws the first rule `item` breaks; a `RuleViolation` says whether a transaction cancels the action or
    /// refuses the whole request.
    static func check(_ item: Item, in table: Table, origin: Origin) throws(RuleViolation) {
        let indexes = table.definitionSnapshot.value.allIndexes
        if !indexes.isEmpty { try checkIndexKeys(item, indexes: indexes, tableKey: table.keySchema, origin: origin) }
        if ItemSize.of(item) > maximumItemBytes {
            throw RuleViolation(.action, .validation(origin == .item
                ? "Item size has exceeded the maximum allowed size"
                : "Item size to update has exceeded the maximum allowed size"))
        }
    }

    /// An index key attribute present in the item must have the type its definition declares, must not be empty,
    /// and must fit DynamoDB's key-size limits: an item that breaks one is refused, not silently left out of the
    /// index (an item that lacks the attribute is simply not in that index).
    static func checkIndexKeys(_ item: Item, indexes: [IndexDefinition], tableKey: KeySchema,
                               origin: Origin) throws(RuleViolation) {
        let ordered = indexes.count > 1 ? indexes.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) } : indexes
        for index in ordered {
            for (attribute, isPartition) in keyAttributes(of: index) where !tableKey.attributeNames.contains(attribute.name) {
                guard let value = item[attribute.name] else { continue }
                if value.scalarType != attribute.type {
                    throw RuleViolation(.action, .validation("One or more parameter values were invalid: Type mismatch "
                        + "for Index Key \(attribute.name) Expected: \(attribute.type.rawValue) "
                        + "Actual: \(value.typeDescriptor) IndexName: \(index.name)"))
                }
                if let emptyKind = emptyKind(of: value) {
                    throw RuleViolation(.request, .validation(origin == .item
                        ? "One or more parameter values are not valid. A value specified for a secondary index key is "
                            + "not supported. The AttributeValue for a key attribute cannot contain an empty \(emptyKind) "
                            + "value. IndexName: \(index.name), IndexKey: \(attribute.name)"
                        : "One or more parameter values are not valid. The update expression attempted to update a "
                            + "secondary index key to a value that is not supported. The AttributeValue for a key "
                            + "attribute cannot contain an empty \(emptyKind) value."))
                }
                if let tooLarge = KeySchema.sizeViolation(of: value, isPartition: isPartition) {
                    throw RuleViolation(.request, tooLarge)
                }
            }
        }
    }

    /// An index's key attributes with whether each is part of its partition key: every HASH attribute, then every
    /// RANGE attribute (several of each for a multi-attribute global index key).
    static func keyAttributes(of index: IndexDefinition) -> [(attribute: KeyAttribute, isPartition: Bool)] {
        let schema = index.keySchema
        guard schema.isMultiAttribute else {
            var attributes: [(attribute: KeyAttribute, isPartition: Bool)] = [(schema.partitionKey, true)]
            if let sortKey = schema.sortKey { attributes.append((sortKey, false)) }
            return attributes
        }
        return schema.partitionKeys.map { ($0, true) } + schema.sortKeys.map { ($0, false) }
    }

    /// "string" or "binary" for an empty S or B value, nil otherwise.
    private static func emptyKind(of value: AttributeValue) -> String? {
        switch value {
        case .s(let text) where text.isEmpty: return "string"
        case .b(let bytes) where bytes.isEmpty: return "binary"
        default: return nil
        }
    }
}

/// A broken item rule and how far it reaches: DynamoDB cancels a transaction's action for some (a mistyped key, an
/// oversized item) and refuses the whole request for others (an empty or oversized key value).
struct RuleViolation: Error {
    enum Scope {
        /// The action fails: alone, the request fails with `error`; in a transaction, the action's cancellation
        /// reason is a ValidationError.
        case action
        /// The request fails with `error`, in a transaction too.
        case request
    }

    var scope: Scope
    var error: DynamoError

    init(_ scope: Scope, _ error: DynamoError) {
        self.scope = scope
        self.error = error
    }

    init(_ violation: KeyViolation) {
        self.init(violation.kind == .mismatch ? .action : .request, violation.error)
    }
}
