import DynamoModel
import Expressions
import Storage

/// Where a Query reads, in storage terms: one encoded partition and a sort range within it. A multi-attribute
/// global index (several HASH or RANGE attributes) encodes its partition as a tuple of the HASH values and, with
/// several RANGE attributes, reads the run of entries whose leading RANGE attributes are fixed (`sortPrefix`).
struct QueryKeyPlan {
    /// The partition's encoded key bytes (a `KeyTupleEncoding` tuple for several HASH attributes).
    var partition: [UInt8]
    /// The partition key attributes and values (contributor insights count them).
    var partitionKey: Item
    /// The range on the sort key, or, with `sortPrefix`, on the RANGE attribute after the fixed ones.
    var sortRange: SortKeyRange
    /// Encoded values of the leading RANGE attributes fixed with `=`; nil unless the sort key has several attributes.
    var sortPrefix: [[UInt8]]?

    /// Plans a key condition (an expression, or the legacy `KeyConditions` map) against a table's or index's schema.
    static func make(_ expression: Condition?, legacy: [LegacyCondition]?, schema: KeySchema) throws(DynamoError) -> QueryKeyPlan {
        guard schema.isMultiAttribute else {
            let plan: KeyCondition
            if let expression {
                plan = try KeyCondition.plan(expression, schema: schema)
            } else {
                plan = try KeyCondition.plan(legacy: legacy ?? [], schema: schema)
            }
            return QueryKeyPlan(partition: KeyEncoding.encode(plan.partitionValue),
                                partitionKey: [schema.partitionKey.name: plan.partitionValue],
                                sortRange: KeyRangePlanner.sortKeyRange(plan.sort), sortPrefix: nil)
        }
        let plan: MultiAttributeKeyCondition
        if let expression {
            plan = try KeyCondition.planMultiAttribute(expression, schema: schema)
        } else {
            plan = try KeyCondition.planMultiAttribute(legacy: legacy ?? [], schema: schema)
        }
        let hashKeys = schema.partitionKeys
        let encodedHash = plan.partitionValues.map(KeyEncoding.encode)
        var partitionKey: Item = [:]
        for (key, value) in zip(hashKeys, plan.partitionValues) { partitionKey[key.name] = value }
        return QueryKeyPlan(
            partition: hashKeys.count == 1 ? encodedHash[0] : KeyTupleEncoding.tuple(encodedHash),
            partitionKey: partitionKey, sortRange: KeyRangePlanner.sortKeyRange(plan.nextSort),
            sortPrefix: schema.sortKeys.count > 1 ? plan.sortPrefix.map(KeyEncoding.encode) : nil)
    }

    /// Walks the planned entries of `index`.
    func walk(_ table: Table, _ index: SecondaryIndex, forward: Bool, exclusiveStart: [UInt8]?,
              _ visit: (EncodedKey, Item) -> Bool) {
        if let sortPrefix {
            table.queryIndex(index, partition: partition, sortPrefix: sortPrefix, nextRange: sortRange,
                             forward: forward, exclusiveStart: exclusiveStart, visit)
        } else {
            table.queryIndex(index, partition: partition, sortRange: sortRange, forward: forward,
                             exclusiveStart: exclusiveStart, visit)
        }
    }
}
